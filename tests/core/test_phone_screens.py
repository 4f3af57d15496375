"""Every screen fits one phone screen (../shared/UKRAINIAN.md, "Length on a phone").

A phone shows about 37 characters a line: one screen is at most 700 characters and 15 lines
counted as wrapped (ceil(len(line) / 37) per line); a button label is at most 28 characters.
Checked over every locale message rendered with long values, and over every shipped content
card as the real flow renders it on Telegram's and Viber's capabilities: each service card,
its documents and details, its notice; the waste drop-off screen; each plan commitment card.
"""

from __future__ import annotations

import math
import re

import pytest

from bot.app import Svoi
from bot.config import Settings
from bot.core.capabilities import TELEGRAM, VIBER, ChannelCapabilities
from dialogs.plan.content import ensure_default_content
from dialogs.services import ensure_default_catalogue
from storage.db import Database
from storage.repos.services import ServiceRepo
from tests.core.test_texts import MESSAGES, Message, cases, render_all
from tests.support.conversation import Resident
from tests.waste.support import load_content

LINE = 37
MAX_CHARS = 700
MAX_LINES = 15
MAX_BUTTON = 28

BUTTON_KEY = re.compile(
    r"(^|-)btn(-|$)|^menu-(?!title)|^settings-(language|privacy|mydata|deleteme)$"
    r"|^viber-help$|^broadcast-audience-pick-|^broadcast-language-|^telegram-cmd-"
)
# Screens for the working group on a desktop console (web-admin-*) are laid out by the page.
DESKTOP = re.compile(r"^web-admin-")

CHANNELS = [
    pytest.param(("telegram", TELEGRAM), id="telegram"),
    pytest.param(("viber", VIBER), id="viber"),
]


def screen_lines(text: str) -> int:
    return sum(max(1, math.ceil(len(line) / LINE)) for line in text.split("\n"))


def too_long(text: str) -> str | None:
    if len(text) > MAX_CHARS:
        return f"{len(text)} characters (at most {MAX_CHARS})"
    lines = screen_lines(text)
    if lines > MAX_LINES:
        return f"{lines} lines on a phone (at most {MAX_LINES})"
    return None


def bad_label(label: str) -> str | None:
    if len(label) > MAX_BUTTON:
        return f"button {label!r}: {len(label)} characters (at most {MAX_BUTTON})"
    if label.endswith("…"):
        return f"button {label!r} is cut"
    return None


@pytest.mark.parametrize("message", cases([m for m in MESSAGES if not DESKTOP.match(m.name)]))
def test_every_message_fits_a_phone_screen(message: Message) -> None:
    problems = []
    for text in render_all(message):
        problem = too_long(text)
        if problem is None and BUTTON_KEY.search(message.name):
            problem = bad_label(text)
        if problem:
            problems.append(f"{problem}: {text!r}")
    assert not problems, f"{message.locale}/{message.name}:\n" + "\n".join(dict.fromkeys(problems))


def check_screen(person: Resident, where: str) -> list[str]:
    problems = []
    for reply in person.last:
        problem = too_long(reply.text)
        if problem:
            problems.append(f"{where}: {problem}\n{reply.text}")
    for label in person.labels:
        problem = bad_label(label)
        if problem:
            problems.append(f"{where}: {problem}")
    return problems


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The walk through every card is fast; flood control has its own tests.
    return settings.model_copy(update={"flood_max_messages": 100_000})


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("locale", ["uk", "en"])
async def test_every_service_card_fits_a_phone_screen(
    svoi: Svoi, db: Database, channel: tuple[str, ChannelCapabilities], locale: str
) -> None:
    assert await ensure_default_catalogue(db) is True
    async with db.transaction() as session:
        repo = ServiceRepo(session)
        categories = [c.id for c in await repo.categories()]
        services = {c: [s.id for s in await repo.services_in(c, 0, 1000)] for c in categories}
    name, caps = channel
    person = Resident.on(svoi.engine, channel=name, caps=caps)
    await person.onboard(locale)
    await person.press("🏛")
    problems: list[str] = []
    cards = 0
    for category, ids in services.items():
        for service in ids:
            await person.press_payload(f"cat:{category}")  # the categories are on every screen
            page = ids.index(service) // 6
            if page:
                await person.press_payload(f"page:{page}")
            await person.press_payload(f"svc:{service}")
            problems += check_screen(person, f"card {service}")
            cards += 1
            if "notice" in [b.payload for b in person.buttons]:
                await person.press_payload("notice")
                problems += check_screen(person, f"notice of {service}")
            await person.press_payload("details")
            problems += check_screen(person, f"details of {service}")
            await person.press_payload("up")  # back to the card
            await person.press_payload("up")  # back to the list
            await person.press_payload("g:menu")
            await person.press("🏛")
    assert cards == sum(len(ids) for ids in services.values()) > 20
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_waste_dropoff_screen_fits_and_lists_once(
    svoi: Svoi, db: Database, channel: tuple[str, ChannelCapabilities]
) -> None:
    await load_content(db)
    name, caps = channel
    for locale in ("uk", "en"):
        person = Resident.on(svoi.engine, channel=name, caps=caps)
        await person.onboard(locale)
        await person.press("♻️")
        await person.press("🗺")
        problems = check_screen(person, "drop-off")
        assert not problems, "\n".join(problems)
        furniture = "меблі" if locale == "uk" else "furniture"
        assert person.text.count(furniture) == 1  # both centres accept the same: listed once


@pytest.mark.parametrize("channel", CHANNELS)
async def test_every_plan_commitment_card_fits_a_phone_screen(
    svoi: Svoi, db: Database, channel: tuple[str, ChannelCapabilities]
) -> None:
    assert await ensure_default_content(db) is True
    name, caps = channel
    person = Resident.on(svoi.engine, channel=name, caps=caps)
    await person.onboard("uk")
    await person.press("План і відгуки")
    commitments = [b.payload for b in person.buttons if re.match(r"^\d+\. ", b.label)]
    assert commitments
    problems: list[str] = []
    for payload in commitments:
        await person.press_payload(payload)
        problems += check_screen(person, f"commitment {payload}")
        await person.press("Меню")
        await person.press("План і відгуки")
    assert not problems, "\n\n".join(problems)
