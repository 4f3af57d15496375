"""The same conversation scripts pass on Telegram and on Viber, over real HTTP against the fake
platform APIs, on both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Svoi
from bot.config import Settings
from dialogs.plan.content import ensure_default_content
from storage.db import Database
from tests.channels.parity_messengers import Messenger, TelegramMessenger
from tests.channels.telegram.conftest import Chat, start_service, stop_service
from tests.channels.viber.client import ViberResident
from tests.channels.viber.client import start_service as start_viber
from tests.channels.viber.conftest import viber_settings
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import FakeViberApi
from tests.support.telegram import telegram_settings


@pytest.fixture(params=["telegram", "viber"])
async def messenger(
    request: pytest.FixtureRequest, settings: Settings, db: Database, db_url: str
) -> AsyncIterator[Messenger]:
    if request.param == "telegram":
        api = FakeTelegramAPI()
        await api.start()
        svoi = Svoi.create(
            telegram_settings(db_url, api.url).model_copy(update={"flood_max_messages": 1000}),
            db,
        )
        service = await start_service(svoi, api)
        yield TelegramMessenger(Chat(service))
        await stop_service(service)
        await api.stop()
    else:
        fake = await FakeViberApi().start()
        viber = await start_viber(viber_settings(settings, fake), db, fake)
        resident = ViberResident.on(viber, "parity-viber-user==")
        await resident.open()
        yield resident
        await viber.close()
        await fake.close()


async def _onboard(messenger: Messenger) -> None:
    await messenger.send("/start")
    assert "Choose your language" in messenger.text
    await messenger.press("English")
    assert "Main menu" in messenger.text


async def test_onboarding_menu_help_settings_cancel(messenger: Messenger) -> None:
    await _onboard(messenger)
    await messenger.press("Settings")
    assert "Settings. Language: English." in messenger.text
    await messenger.send("/help")
    assert "/cancel — cancel the current action" in messenger.text
    await messenger.press("Language")
    await messenger.press("Українська")
    assert "мову змінено" in messenger.text
    await messenger.send("/cancel")
    assert "Скасовано." in messenger.text and "Головне меню" in messenger.text


async def test_bad_input_gets_hints(messenger: Messenger) -> None:
    await _onboard(messenger)
    await messenger.send("x" * 5000)
    assert "The message is too long" in messenger.text
    await messenger.send("/frobnicate")
    assert "There is no command /frobnicate" in messenger.text


async def test_service_search_opens_a_card(messenger: Messenger) -> None:
    await _onboard(messenger)
    await messenger.press("City services")
    await messenger.send("pasport")
    assert "passport" in messenger.text.lower()


async def test_rating_a_commitment(messenger: Messenger, db: Database) -> None:
    await ensure_default_content(db)
    await _onboard(messenger)
    await messenger.press("Plan & feedback")
    await messenger.press("Green City")
    assert "Green City" in messenger.text
    await messenger.press("Rate")
    assert "How do you rate the progress" in messenger.text
    await messenger.press("5")
    assert "your rating 5 is saved" in messenger.text
    await messenger.send("More bike lanes near the Gufi Centre, please")
    assert "contact" in messenger.text.lower()
    await messenger.press("No")
    assert "C2-" in messenger.text


async def test_waste_schedule_by_address(messenger: Messenger, db: Database) -> None:
    from dialogs.waste import ensure_default_waste

    await ensure_default_waste(db)
    await _onboard(messenger)
    await messenger.press("Waste collection")
    await messenger.send("trudova 5")
    assert "Trudova" in messenger.text or "Трудова" in messenger.text
    assert "(example)" in messenger.text
    await messenger.press("Remind me")
    assert "What should we remind you about?" in messenger.text
