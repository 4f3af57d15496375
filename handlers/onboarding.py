"""/start, deep links and first contact.

Steps: onboarding.language (choose Українська / English) → a short privacy notice and the
main menu, or the screen a deep link asked for (`/start c2`, Viber context `c2`).
"""

from __future__ import annotations

import logging
import re

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import Button

log = logging.getLogger(__name__)
DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LANGUAGES = (("uk", "Українська"), ("en", "English"))


async def start(turn: Turn, args: str) -> None:
    payload = args.strip()
    if payload and not DEEP_LINK.match(payload):
        payload = ""
    if not turn.resident.locale_chosen:
        await turn.start("onboarding", deep_link=payload)
        return
    if payload and await open_deep_link(turn, payload):
        return
    turn.say(turn.t("welcome-back"))
    await turn.menu()


async def open_deep_link(turn: Turn, payload: str) -> bool:
    for prefix, handler in turn.engine.registry.deep_links:
        if payload.startswith(prefix) and await handler(turn, payload):
            return True
    log.info("unknown deep link", extra={"correlation_id": turn.correlation_id})
    return False


async def render_language(turn: Turn) -> None:
    turn.say(
        turn.t("onboarding-welcome"),
        [[Button(label, f"lang:{code}") for code, label in LANGUAGES]],
    )


async def on_language(turn: Turn, payload: str) -> None:
    code = payload.removeprefix("lang:")
    if code not in turn.engine.i18n.locales:
        await turn.goto("language")
        return
    turn.resident.locale = code
    turn.resident.locale_chosen = True
    deep_link = str(turn.get("deep_link") or "")
    turn.say(turn.t("onboarding-done"))
    turn.say(turn.t("privacy-short"))
    if deep_link and await open_deep_link(turn, deep_link):
        return
    await turn.menu()


async def on_language_text(turn: Turn, text: str) -> None:
    lowered = text.strip().lower()
    for code, label in LANGUAGES:
        if lowered in (code, label.lower()):
            await on_language(turn, f"lang:{code}")
            return
    turn.say(turn.t("onboarding-pick-language"))
    await render_language(turn)


ONBOARDING = Flow(
    "onboarding",
    {"language": Screen(render_language, on_button=on_language, on_text=on_language_text)},
    start="language",
)


def register(registry: Registry) -> None:
    registry.add_flow(ONBOARDING)
    registry.add_interrupt("start", start)
