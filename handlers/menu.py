"""The main menu: every installed feature's entry (`Registry.add_menu_entry`), in order;
entries for the working group only to operators.

Steps: menu.start → the chosen entry's flow.
"""

from __future__ import annotations

from bot.core.dialog import MENU, Flow, Screen, Turn
from bot.core.engine import MenuEntry, Registry
from bot.core.messages import AnyButton, Button
from handlers.common import leave

OPEN = "open:"


def entries(turn: Turn) -> list[MenuEntry]:
    """What this person's menu lists: installed flows, operators' entries to operators only."""
    flows = turn.engine.registry.flows
    return [
        entry
        for entry in turn.engine.registry.menu
        if entry.flow in flows and (turn.is_operator or not entry.operators_only)
    ]


async def render_menu(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(turn.t(entry.label_key), f"{OPEN}{entry.flow}")] for entry in entries(turn)
    ]
    turn.say(turn.t("menu-title"), rows)


async def on_menu_button(turn: Turn, payload: str) -> None:
    flow = payload.removeprefix(OPEN)
    if any(entry.flow == flow for entry in entries(turn)):
        await turn.start(flow)


async def go_menu(turn: Turn, _arg: str) -> None:
    """The menu button (`g:menu`): like /menu, it ends what the current flow holds open."""
    await leave(turn)
    await turn.menu()


MENU_FLOW = Flow("menu", {"start": Screen(render_menu, on_button=on_menu_button)})


def register(registry: Registry) -> None:
    registry.add_flow(MENU_FLOW)
    registry.add_global_action(MENU.removeprefix("g:"), go_menu)
