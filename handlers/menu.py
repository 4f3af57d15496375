"""The main menu and the placeholder for sections that are not built yet.

Steps: menu.start (five sections) → a section's flow, or soon.start ("coming soon").
"""

from __future__ import annotations

from bot.core.dialog import MENU, Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button

# (menu label key, flow name) in the order residents see them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("menu-plan", "plan"),
    ("menu-services", "services"),
    ("menu-waste", "waste"),
    ("menu-news", "news"),
    ("menu-settings", "settings"),
)


async def render_menu(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [[Button(turn.t(key), f"open:{flow}")] for key, flow in SECTIONS]
    turn.say(turn.t("menu-title"), rows)


async def on_menu_button(turn: Turn, payload: str) -> None:
    flow = payload.removeprefix("open:")
    if flow in turn.engine.registry.flows:
        await turn.start(flow)
    else:
        await turn.start("soon", section=flow)


async def render_soon(turn: Turn) -> None:
    section = str(turn.get("section", ""))
    key = next((k for k, f in SECTIONS if f == section), "menu-title")
    turn.say(turn.t("soon-text", section=turn.t(key)), [turn.nav_row(back=False)])


async def go_menu(turn: Turn, _arg: str) -> None:
    await turn.menu()


MENU_FLOW = Flow("menu", {"start": Screen(render_menu, on_button=on_menu_button)})
SOON_FLOW = Flow("soon", {"start": Screen(render_soon)})


def register(registry: Registry) -> None:
    registry.add_flow(MENU_FLOW)
    registry.add_flow(SOON_FLOW)
    registry.add_global_action(MENU.removeprefix("g:"), go_menu)
