"""The delivery engine through the real Telegram adapter (aiogram) against the fake Bot API
(tests/fakes/telegram_api.py): 429 pauses the token, 403 deactivates, a hung request is
not repeated, and the limits hold on the fake's own clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from bot.app import Svoi
from bot.delivery.service import DeliveryService
from storage.db import Database
from storage.repos.residents import ResidentRepo
from tests.delivery.conftest import add_residents, eventually, fast_config, note, put, rows
from tests.support.rates import max_in_window

telegram = pytest.importorskip("bot.channels.telegram")
fakes = pytest.importorskip("tests.fakes.telegram_api")
channel_fixtures = pytest.importorskip("tests.channels.telegram.conftest")

Start = Callable[..., Awaitable[DeliveryService]]


@pytest.fixture
async def api() -> AsyncIterator[Any]:
    fake = fakes.FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def tg(db_url: str, db: Database, api: Any) -> AsyncIterator[Svoi]:
    settings = channel_fixtures.telegram_settings(db_url, api.url)
    svoi = Svoi.create(settings, db)
    channel = telegram.TelegramChannel(
        svoi, web.Application(), request_timeout=1, sweep_interval=None
    )
    svoi.add_channel(channel)
    yield svoi
    await channel.bot.session.close()


@pytest.fixture
async def start(tg: Svoi) -> AsyncIterator[Start]:
    services: list[DeliveryService] = []

    async def go(**config: Any) -> DeliveryService:
        service = DeliveryService(tg, configs={"telegram": fast_config(**config)})
        await service.start()
        services.append(service)
        return service

    yield go
    for service in services:
        await service.stop()


def _sends(api: Any, chat: int | None = None) -> list[Any]:
    return [c for c in api.calls_to("sendMessage") if chat is None or c.chat_id == chat]


async def _settled(svoi: Svoi) -> bool:
    return all(r.status not in ("pending", "sending") for r in await rows(svoi))


async def test_telegram_429_pauses_the_token_and_loses_nothing(
    tg: Svoi, api: Any, start: Start
) -> None:
    residents = await add_residents(tg, 3, channel="telegram", prefix="100")
    await put(tg, [note(r, "news") for r in residents])
    api.rate_limit("sendMessage", retry_after=1)
    await start(concurrency=1)
    await eventually(lambda: _settled(tg))

    calls = _sends(api)
    assert [c.status for c in calls] == [429, 200, 200, 200]
    assert calls[1].at - calls[0].at >= 1.0
    assert sorted(c.chat_id for c in api.sent()) == [1000, 1001, 1002]
    assert [(r.status, r.attempts) for r in await rows(tg)] == [("sent", 1)] * 3


async def test_telegram_403_deactivates_after_one_attempt_and_a_hang_is_not_repeated(
    tg: Svoi, api: Any, start: Start
) -> None:
    residents = await add_residents(tg, 3, channel="telegram", prefix="200")
    api.block(2001)
    await put(tg, [note(residents[1], "a"), note(residents[2], "b")])
    await start(concurrency=1)
    await eventually(lambda: _settled(tg))
    api.hang("sendMessage")
    await put(tg, [note(residents[0], "c")])
    await eventually(lambda: _settled(tg))

    assert len(_sends(api, 2001)) == 1
    assert len(_sends(api, 2000)) == 1
    statuses = {r.user_id: r.status for r in await rows(tg)}
    assert statuses == {"2001": "skipped", "2002": "sent", "2000": "unknown"}
    async with tg.db.transaction() as session:
        gone = await ResidentRepo(session).get("telegram", "2001")
        assert gone is not None and not gone.is_active


@pytest.mark.usefixtures("still_heap")
async def test_telegram_limits_hold_on_the_fake_apis_clock(
    tg: Svoi, api: Any, start: Start
) -> None:
    residents = await add_residents(tg, 30, channel="telegram", prefix="30")
    await put(tg, [note(r, f"m{n}") for n in range(3) for r in residents])
    await start(rate_per_second=25.0, chat_interval=1.1, concurrency=16)
    await eventually(lambda: _settled(tg), within=60)

    sent = api.sent()
    assert len(sent) == 90
    assert max_in_window([c.at for c in sent]) <= 30
    last: dict[int, float] = {}
    for call in sorted(sent, key=lambda c: c.at):
        if call.chat_id in last:
            assert call.at - last[call.chat_id] >= 1.0
        last[call.chat_id] = call.at


async def test_a_sender_faster_than_the_flood_limit_is_paused_and_loses_nothing(
    tg: Svoi, api: Any, start: Start
) -> None:
    # The fake Bot API judges its own arrival times (at most 10 a second, one a second per
    # chat) and answers 429 "retry after 1" above them, as the benchmark's server does.
    api.flood_limit, api.chat_limit = 10, True
    residents = await add_residents(tg, 30, channel="telegram", prefix="40")
    await put(tg, [note(r, "m") for r in residents])
    await start(rate_per_second=50.0, concurrency=16)
    await eventually(lambda: _settled(tg), within=60)

    assert api.answers[429] > 0
    assert {r.status for r in await rows(tg)} == {"sent"}
    stats = api.stats()
    assert (stats["distinct"], stats["duplicates"]) == (30, 0)
    assert stats["max_in_window"] <= 10
