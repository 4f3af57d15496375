"""The core's conversation scripts, run on the neutral test channel and on Viber (signed
callbacks over HTTP → the fake Viber API): the same script must pass on both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pytest

from bot.app import Svoi
from tests.channels.viber.client import ViberResident, ViberService
from tests.support.conversation import Resident


class Chat(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def labels(self) -> list[str]: ...

    async def start(self) -> None: ...

    async def onboard(self, locale: str = "uk") -> None: ...

    async def send(self, text: str) -> object: ...

    async def press(self, label: str) -> object: ...


@dataclass
class CoreChat:
    """The neutral conversation client, with Viber's first step: opening the chat."""

    resident: Resident

    @property
    def text(self) -> str:
        return self.resident.text

    @property
    def labels(self) -> list[str]:
        return self.resident.labels

    async def start(self) -> None:
        await self.resident.send("/start")

    async def onboard(self, locale: str = "uk") -> None:
        await self.resident.onboard(locale)

    async def send(self, text: str) -> object:
        return await self.resident.send(text)

    async def press(self, label: str) -> object:
        return await self.resident.press(label)


@pytest.fixture(params=["core", "viber"])
def chat(request: pytest.FixtureRequest, svoi: Svoi, viber: ViberService) -> Chat:
    if request.param == "core":
        return CoreChat(Resident.on(svoi.engine))
    return ViberResident.on(viber, "7ZqB1lM4ScuT0xO2uJCmPw==")


async def test_first_contact_asks_the_language_then_shows_the_menu(chat: Chat) -> None:
    await chat.start()
    assert "Оберіть мову / Choose your language" in chat.text
    assert chat.labels == ["Українська", "English"]
    await chat.press("English")
    assert "we'll talk in English" in chat.text
    assert "Main menu" in chat.text
    assert chat.labels == [
        "📋 Plan & feedback",
        "🏛 City services",
        "♻️ Waste collection",
        "📰 News & progress",
        "⚙️ Settings",
        "📷 Report a problem",
        "💬 Talk to a person",
    ]


async def test_a_message_before_choosing_a_language_starts_onboarding(chat: Chat) -> None:
    await chat.send("привіт")
    assert chat.labels == ["Українська", "English"]
    await chat.send("English")
    assert "Main menu" in chat.text


async def test_menu_settings_help_and_back(chat: Chat) -> None:
    await chat.onboard("uk")
    await chat.press("Налаштування")
    assert "Налаштування. Мова: Українська." in chat.text
    await chat.send("/help")
    assert "/cancel — скасувати поточну дію" in chat.text
    assert "Налаштування. Мова" in chat.text  # help keeps the resident on their screen
    await chat.press("Мова")
    assert "Оберіть мову:" in chat.text
    await chat.press("Назад")
    assert "Налаштування. Мова: Українська." in chat.text
    await chat.press("Меню")
    assert "Головне меню" in chat.text


async def test_cancel_and_menu_leave_a_flow(chat: Chat) -> None:
    await chat.onboard("uk")
    await chat.send("/settings")
    await chat.send("/cancel")
    assert chat.text.startswith("Скасовано.")
    assert "Головне меню" in chat.text
    await chat.send("/cancel")
    assert chat.text.startswith("Немає дії")
    await chat.send("/language")
    await chat.send("/menu")
    assert "Головне меню" in chat.text


async def test_switching_the_language_changes_every_following_answer(chat: Chat) -> None:
    await chat.onboard("uk")
    await chat.send("/language")
    await chat.press("English")
    assert "the language has been changed" in chat.text
    assert "Settings. Language: English." in chat.text
    await chat.send("/menu")
    assert "Main menu" in chat.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   ", "The message is empty"),
        ("x" * 10_000, "The message is too long: 10,000 characters, the limit is 4,000"),
        ("/frobnicate now", "There is no command /frobnicate"),
    ],
)
async def test_bad_input_gets_a_localized_hint(chat: Chat, text: str, expected: str) -> None:
    await chat.onboard("en")
    await chat.press("Settings")
    await chat.send(text)
    assert expected in chat.text


# --- Viber only: the persistent menu --------------------------------------------------


async def test_the_persistent_menu_appears_when_a_turn_offers_no_buttons(
    viber: ViberService,
) -> None:
    resident = ViberResident.on(viber, "persistent==")
    await resident.onboard("en")
    await resident.press("Settings")
    await resident.send("x" * 5000)  # answered with a hint and no buttons of its own
    assert "The message is too long" in resident.text
    assert [b["Text"] for b in resident.keyboard] == ["🏠 Menu", "❓ Help"]
    await resident.press("Help")
    assert "/cancel — cancel the current action" in resident.text
    await resident.send("x" * 5000)
    await resident.press("Menu")
    assert "Main menu" in resident.text
    assert viber.fake.rejected == []


async def test_a_button_from_an_old_keyboard_is_refused_politely(viber: ViberService) -> None:
    resident = ViberResident.on(viber, "stale==")
    await resident.onboard("en")
    old_keyboard = list(resident.keyboard)
    await resident.press("Settings")
    resident.keyboard = old_keyboard  # the resident scrolls up and taps an old button
    await resident.press("News")
    assert "That menu is out of date" in resident.text
    assert "Settings. Language: English." in resident.text
