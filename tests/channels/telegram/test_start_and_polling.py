"""Start-up against the fake Bot API (webhook, commands menu, descriptions), a rejected
token, and polling mode: the right offsets, every update processed once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Svoi
from bot.channels.telegram import webhook_secret
from bot.config import TelegramSettings
from storage.db import Database
from tests.channels.telegram.conftest import Service, start_service, stop_service
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI, TelegramUser
from tests.support.telegram import SECRET, WEBHOOK_URL, telegram_settings


async def test_start_sets_the_webhook_commands_and_descriptions(service: Service) -> None:
    await service.channel.start()
    api = service.api
    assert api.webhook["url"] == WEBHOOK_URL
    assert api.webhook["secret_token"] == SECRET
    assert api.webhook["allowed_updates"] == [
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
    ]
    assert set(api.commands) == {"", "uk", "en"}
    for language in api.commands:
        commands = [c["command"] for c in api.commands[language]]
        assert commands == ["start", "menu", "help", "settings", "language"]
    assert api.commands["uk"][2]["description"] == "Довідка і команди"
    assert api.commands["en"][2]["description"] == "Help and commands"
    assert api.commands[""] == api.commands["uk"]  # the default locale serves the rest
    assert "Хмельницької міської ради" in api.descriptions["uk"]
    assert "Khmelnytskyi City Council" in api.descriptions["en"]
    assert all(len(d) <= 512 for d in api.descriptions.values())


async def test_a_rejected_token_stops_the_service_with_a_clear_message(
    service: Service,
) -> None:
    service.api.fail("setWebhook", status=401, description="Unauthorized")
    with pytest.raises(SystemExit, match="Telegram rejected TELEGRAM_BOT_TOKEN"):
        await service.channel.start()


async def test_an_unreachable_telegram_at_start_does_not_stop_the_service(
    service: Service,
) -> None:
    service.api.fail("setWebhook", status=502, description="Bad Gateway")
    await service.channel.start()  # logged, retried in the background
    assert service.api.calls_to("setWebhook")[0].status == 502


def test_without_a_configured_secret_one_is_derived_from_the_token() -> None:
    section = TelegramSettings(bot_token=TOKEN, _env_file=None)  # type: ignore[call-arg,arg-type]
    secret = webhook_secret(section)
    assert secret == webhook_secret(section)  # every instance computes the same
    assert 1 <= len(secret) <= 256
    assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    assert TOKEN.split(":")[1] not in secret


@pytest.fixture
async def polling(
    db_url: str, db: Database, telegram_api: FakeTelegramAPI
) -> AsyncIterator[Service]:
    telegram_api.webhook = {"url": "https://old.example/webhook"}  # left from webhook mode
    settings = telegram_settings(db_url, telegram_api.url, mode="polling", webhook_url=None)
    running = await start_service(Svoi.create(settings, db), telegram_api, poll_timeout=1)
    await running.channel.start()
    yield running
    await stop_service(running)


def replies_to(api: FakeTelegramAPI, user: TelegramUser) -> list[Any]:
    return api.sent(user.id)


async def test_polling_fetches_with_the_right_offset_and_runs_each_update_once(
    polling: Service,
) -> None:
    api = polling.api
    assert api.calls_to("deleteWebhook")  # getUpdates would get 409 otherwise
    anna, petro = TelegramUser(801), TelegramUser(802, language_code="en")
    first = [anna.text("/start"), petro.text("/start")]
    for update in first:
        api.push_update(update)
    await api.wait_for(lambda: bool(api.sent(anna.id)) and bool(api.sent(petro.id)))

    again = anna.text("English")  # answers the language question by typing
    api.push_update(again)
    await api.wait_for(lambda: len(api.sent(anna.id)) == 4)  # question, done, privacy, menu
    await api.wait_for(
        lambda: any(
            c.params.get("offset") == str(again["update_id"] + 1)
            for c in api.calls_to("getUpdates")
        )
    )
    await polling.channel.drain()

    offsets = [c.params.get("offset") for c in api.calls_to("getUpdates")]
    expected = [None, str(first[-1]["update_id"] + 1), str(again["update_id"] + 1)]
    assert [o for i, o in enumerate(offsets) if i == 0 or o != offsets[i - 1]] == expected
    assert len(api.sent(anna.id)) == 4
    assert "Main menu" in api.sent(anna.id)[-1].text
    assert len(api.sent(petro.id)) == 1
    assert all(c.params["allowed_updates"][0] == "message" for c in api.calls_to("getUpdates"))
