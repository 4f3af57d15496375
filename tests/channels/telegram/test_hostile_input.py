"""Input no Telegram client sends, sent anyway: a secret header that is not UTF-8, JSON nested
too deeply to parse, ids beyond Telegram's range, and names full of NUL and control
characters. Each gets a 4xx or is cleaned; none is a 500, and none leaves a resident whose
every turn fails (PostgreSQL refuses NUL in text)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import InboundEvent, Resident
from tests.channels.raw_http import deeply_nested, post_webhook
from tests.channels.telegram.conftest import Chat, Service
from tests.fakes.telegram_api import TelegramUser
from tests.support.telegram import SECRET

HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def _raw_post(service: Service, body: bytes, secret: bytes) -> int:
    return await post_webhook(service.client.server, "/webhook/telegram", HEADER, secret, body)


async def _inbox(db: Database) -> list[InboundEvent]:
    async with db.transaction() as session:
        return list((await session.execute(select(InboundEvent))).scalars())


async def _residents(db: Database) -> list[Resident]:
    async with db.transaction() as session:
        return list((await session.execute(select(Resident))).scalars())


@pytest.mark.parametrize(
    "secret",
    [b"\xff\xfe", b"\xc3\x28", SECRET.encode() + b"\xff", b"\xd1\x97" * 4],
    ids=["invalid-utf8", "broken-sequence", "secret-then-junk", "cyrillic"],
)
async def test_a_secret_header_that_is_not_utf8_is_refused_with_401(
    service: Service, db: Database, secret: bytes
) -> None:
    body = json.dumps(TelegramUser(41).text("/start")).encode()
    assert await _raw_post(service, body, secret) == 401
    assert await _inbox(db) == []


async def test_the_right_secret_sent_as_raw_bytes_still_gets_in(
    service: Service, db: Database
) -> None:
    body = json.dumps(TelegramUser(42).text("/start")).encode()
    assert await _raw_post(service, body, SECRET.encode()) == 200
    await service.channel.drain()
    assert len(await _inbox(db)) == 1


@pytest.mark.parametrize(
    "body",
    [deeply_nested(), b'{"update_id": 5, "message": ' + deeply_nested(50_000) + b"}"],
    ids=["nested-array", "nested-inside-an-update"],
)
async def test_json_nested_too_deeply_is_a_bad_request(
    service: Service, db: Database, body: bytes
) -> None:
    assert await _raw_post(service, body, SECRET.encode()) == 400
    assert await _inbox(db) == []


async def test_an_update_id_beyond_telegrams_range_is_a_bad_request(
    service: Service, db: Database
) -> None:
    update = TelegramUser(43).text("/start")
    update["update_id"] = 10**140  # its text is longer than the inbox's event id column
    assert await service.post(update) == 400
    assert await _inbox(db) == []


async def test_a_chat_id_beyond_telegrams_range_is_closed_without_a_resident(
    service: Service, db: Database
) -> None:
    user = TelegramUser(10**140)  # longer than the residents' user id column
    assert await service.deliver(user.text("/start")) == 200
    [event] = await _inbox(db)
    assert (event.status, event.error) == ("failed", "unreadable update")
    assert await _residents(db) == []
    assert service.api.sent() == []


@pytest.mark.parametrize(
    ("first_name", "last_name", "shown"),
    [
        ("Ок\x00сана", "Ко\x00валь", "Оксана Коваль"),
        ("\x00", None, None),
        ("Оксана\x1b[31m\x07", "\u0085Коваль\x7f", "Оксана[31m Коваль"),
        ("Оксана\nКоваль", "\t", "Оксана Коваль"),
    ],
    ids=["nul-inside", "only-nul", "control-characters", "line-breaks"],
)
async def test_a_name_with_nul_and_control_characters_is_cleaned_and_every_turn_works(
    service: Service, db: Database, first_name: str, last_name: str | None, shown: str | None
) -> None:
    chat = Chat(service, TelegramUser(44_000_001, first_name=first_name, last_name=last_name))
    chat.user.username = "oksana\x00"
    await chat.send("/start")
    assert "Choose your language" in chat.text
    await chat.press("English")
    assert "Main menu" in chat.text
    await chat.send("/settings")
    assert "Settings. Language: English." in chat.text
    [resident] = await _residents(db)
    assert resident.display_name == shown
    assert [e.status for e in await _inbox(db)] == ["done"] * 3


async def test_a_very_long_name_is_bounded_to_the_column(service: Service, db: Database) -> None:
    chat = Chat(service, TelegramUser(44_000_002, first_name="Я" * 64, last_name="ї" * 64))
    await chat.onboard()
    assert "Main menu" in chat.text
    [resident] = await _residents(db)
    assert resident.display_name == "Я" * 64 + " " + "ї" * 63
