"""Settings: language, connecting another messenger, the privacy notice, my data.

Steps: settings.start → settings.language | settings.privacy → back to settings.start;
«Connect another messenger» opens the linking flow (dialogs/linking); «My data» and
«Delete my data» are /mydata and /deleteme.
"""

from __future__ import annotations

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import MenuEntry, Registry
from bot.core.messages import Button
from handlers.onboarding import LANGUAGES
from handlers.privacy import deleteme_command, mydata_command


async def render_settings(turn: Turn) -> None:
    current = dict(LANGUAGES)[turn.locale]
    turn.say(
        turn.t("settings-title", language=current),
        [
            [Button(turn.t("settings-language"), "language")],
            [Button(turn.t("settings-linking"), "linking")],
            [Button(turn.t("settings-digests"), "digests")],
            [Button(turn.t("settings-privacy"), "privacy")],
            [Button(turn.t("settings-mydata"), "mydata")],
            [Button(turn.t("settings-deleteme"), "deleteme")],
            turn.nav_row(back=False),
        ],
    )


async def on_settings(turn: Turn, payload: str) -> None:
    if payload in ("language", "privacy"):
        await turn.goto(payload)
    elif payload == "linking" and "linking" in turn.engine.registry.flows:
        await turn.start("linking")
    elif payload == "digests" and "digests" in turn.engine.registry.flows:
        await turn.start("digests")
    elif payload == "mydata":
        await mydata_command(turn)
    elif payload == "deleteme":
        await deleteme_command(turn)


async def render_language(turn: Turn) -> None:
    turn.say(
        turn.t("settings-choose-language"),
        [[Button(label, f"lang:{code}") for code, label in LANGUAGES], turn.nav_row()],
    )


async def on_language(turn: Turn, payload: str) -> None:
    code = payload.removeprefix("lang:")
    if code in turn.engine.i18n.locales:
        turn.resident.locale = code
        turn.resident.locale_chosen = True
        turn.say(turn.t("settings-language-changed"))
    await turn.goto("start")


async def render_privacy(turn: Turn) -> None:
    turn.say(turn.t("privacy-full") + "\n\n" + turn.t("privacy-rights"), [turn.nav_row()])


SETTINGS = Flow(
    "settings",
    {
        "start": Screen(render_settings, on_button=on_settings),
        "language": Screen(render_language, on_button=on_language, back="start"),
        "privacy": Screen(render_privacy, back="start"),
    },
)


async def settings_command(turn: Turn, _args: str) -> None:
    await turn.start("settings")


async def language_command(turn: Turn, _args: str) -> None:
    await turn.start("settings", "language")


def register(registry: Registry) -> None:
    registry.add_flow(SETTINGS)
    registry.add_menu_entry(MenuEntry("menu-settings", SETTINGS.name, 90))
    registry.add_interrupt("settings", settings_command)
    registry.add_interrupt("language", language_command)
