"""Shutdown drains sends: on SIGTERM the service stops claiming, gives back rows it claimed
but never sent, lets the sends in flight finish (bounded by the shutdown budget) and only
then closes the channels' HTTP sessions. A send the budget cuts off is `unknown` — the
platform may have shown it — so nothing is sent twice after a restart."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from bot.app import CLOSING_SECONDS, Svoi, build_web_app, shutdown
from bot.channels.telegram import TelegramChannel
from bot.delivery.sender import SenderConfig
from bot.delivery.service import DeliveryService
from bot.scheduler import build_scheduler
from storage.db import Database
from storage.models import Resident
from tests.delivery.conftest import (
    CHANNEL,
    add_residents,
    eventually,
    note,
    put,
    rows,
    settled,
)
from tests.delivery.fake_platform import FakePlatform
from tests.fakes.telegram_api import TOKEN, ApiCall, FakeTelegramAPI
from tests.support.process import PROJECT, clean_env
from tests.support.telegram import SECRET, WEBHOOK_URL, telegram_settings

TELEGRAM = "telegram"
LONG_TEXT = "слово " * 1000  # two Telegram messages
# Time for writing the outcomes at a stop: generous here, so that only the sends' grace is
# short and a busy test machine cannot leave rows half-recorded.
RECORDING = 10.0


class SlowTelegramAPI(FakeTelegramAPI):
    """Telegram under load: a message is shown as soon as the request arrives, the answer
    comes `answer_after` seconds later."""

    def __init__(self, answer_after: float) -> None:
        super().__init__()
        self.answer_after = answer_after

    async def _m_sendMessage(self, call: ApiCall) -> Any:
        message = await super()._m_sendMessage(call)
        await asyncio.sleep(self.answer_after)
        return message


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServiceProcess:
    """`python -m bot run` with its Telegram channel on the fake Bot API."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, db_url: str, api: FakeTelegramAPI, **env: str) -> ServiceProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=PROJECT,
            env=clean_env(
                DATABASE_URL=db_url,
                HTTP_HOST="127.0.0.1",
                HTTP_PORT=str(_free_port()),
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE=api.url,
                TELEGRAM_WEBHOOK_URL=WEBHOOK_URL,
                TELEGRAM_WEBHOOK_SECRET=SECRET,
                **env,
            ),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(process)

    async def terminate(self) -> None:
        """SIGTERM, as an orchestrator stops a container; it must exit cleanly."""
        self.process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(self.process.communicate(), timeout=60)
        assert self.process.returncode == 0, err.decode()


@pytest.fixture
async def services() -> AsyncIterator[list[ServiceProcess]]:
    started: list[ServiceProcess] = []
    yield started
    for service in started:
        if service.process.returncode is None:
            service.process.kill()
            await service.process.wait()


async def _telegram_residents(svoi: Svoi, count: int) -> list[Resident]:
    # Telegram's user ids are chat ids: numbers.
    return await add_residents(svoi, count, channel=TELEGRAM, prefix="5000")


def _sent_a_message(api: FakeTelegramAPI) -> Callable[[], Awaitable[bool]]:
    # Polled: the fake notifies waiters when it answers, and a hung call never is.
    async def check() -> bool:
        return bool(api.calls_to("sendMessage"))

    return check


def _received(api: FakeTelegramAPI) -> Counter[int | None]:
    return Counter(call.chat_id for call in api.sent())


async def test_sigterm_mid_broadcast_sends_nothing_twice(
    svoi: Svoi, db_url: str, services: list[ServiceProcess]
) -> None:
    api = SlowTelegramAPI(answer_after=1.0)
    await api.start()
    try:
        residents = await _telegram_residents(svoi, 40)
        await put(svoi, [note(r, "broadcast") for r in residents])
        # 10 sends a second: of the 16 rows claimed, some are in flight at SIGTERM and
        # some still wait for their rate slot.
        settings = {"TELEGRAM_RATE_PER_SECOND": "10", "DELIVERY_CONCURRENCY": "16"}

        first = await ServiceProcess.start(db_url, api, **settings)
        services.append(first)
        await api.wait_for(lambda: len(api.calls_to("sendMessage")) >= 10, guard=60)
        await first.terminate()

        after_stop = await rows(svoi)
        # Nothing is left claimed: what was never sent is pending again at once, so the
        # restart does not wait for a lease to expire.
        assert {r.status for r in after_stop} <= {"sent", "pending", "unknown"}
        assert all(r.lease_until is None for r in after_stop)

        second = await ServiceProcess.start(db_url, api, **settings)
        services.append(second)
        await eventually(lambda: settled(svoi), within=60)
        await second.terminate()
    finally:
        await api.stop()

    received = _received(api)
    duplicates = sum(n - 1 for n in received.values())
    assert duplicates == 0, f"{duplicates} messages sent twice"
    assert set(received) == {int(r.user_id) for r in residents}
    assert {r.status for r in await rows(svoi)} <= {"sent", "unknown"}


async def test_a_send_cut_off_by_the_shutdown_budget_becomes_unknown(
    db_url: str, db: Database
) -> None:
    api = FakeTelegramAPI()
    await api.start()
    api.hang("sendMessage")  # Telegram takes the message and never answers
    svoi = Svoi.create(telegram_settings(db_url, api.url), db)
    app = build_web_app(svoi)
    telegram = TelegramChannel(svoi, app, sweep_interval=None)
    svoi.add_channel(telegram)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    await telegram.start()
    config = SenderConfig(rate_per_second=50, chat_interval=0, poll_interval=0.05)
    delivery = DeliveryService(svoi, configs={TELEGRAM: config})
    await delivery.start()
    scheduler = build_scheduler(svoi)
    scheduler.start(paused=True)  # its jobs are not what this test is about
    try:
        [resident] = await _telegram_residents(svoi, 1)
        await put(svoi, [note(resident, "broadcast")])
        await eventually(_sent_a_message(api))

        # The service's own shutdown, on a budget that leaves the send half a second; the
        # recording gets more time than in production, so a loaded machine cannot cut it.
        delivery.RECORD_SECONDS = RECORDING
        await shutdown(
            svoi,
            runner,
            site,
            [telegram],
            delivery,
            scheduler,
            budget=CLOSING_SECONDS + RECORDING + 0.5,
        )
    finally:
        await api.stop()

    [row] = await rows(svoi)
    assert (row.status, row.error, row.attempts) == ("unknown", "cut off", 1)
    assert row.lease_until is None


async def _arrived(platform: FakePlatform, count: int) -> bool:
    return len(platform.arrivals) >= count


async def test_a_long_message_cut_off_between_its_parts_is_unknown(
    wired: Svoi,
    platform: FakePlatform,
    start_delivery: Callable[..., Awaitable[DeliveryService]],
) -> None:
    [resident] = await add_residents(wired, 1)
    await put(wired, [note(resident, "long", text=LONG_TEXT)])
    # The second part waits a minute for the chat's interval: past the shutdown budget.
    service = await start_delivery(chat_interval=60.0)
    await eventually(lambda: _arrived(platform, 1))

    service.RECORD_SECONDS = RECORDING  # the sends get 0.2 s; writing outcomes, plenty
    await service.stop(within=RECORDING + 0.2)

    [row] = await rows(wired)
    # The first part was shown: sending the message again would repeat it.
    assert (row.status, row.error) == ("unknown", "cut off")
    assert len(platform.arrivals) == 1


async def test_a_long_message_rate_limited_between_its_parts_at_shutdown_is_finished(
    wired: Svoi,
    platform: FakePlatform,
    start_delivery: Callable[..., Awaitable[DeliveryService]],
) -> None:
    [resident] = await add_residents(wired, 1)
    platform.script[resident.user_id] = ["ok", "429"]  # the second part: retry after 1 s
    await put(wired, [note(resident, "long", text=LONG_TEXT)])
    service = await start_delivery()
    sender = service.senders[CHANNEL]

    async def paused() -> bool:
        return sender.limiter.paused_for() > 0

    await eventually(paused)
    await service.stop(within=5.0)

    [row] = await rows(wired)
    assert row.status == "sent"
    assert len(platform.delivered_to(resident.user_id)) == 2


async def test_rows_of_a_long_broadcast_not_started_at_the_deadline_are_pending_again(
    wired: Svoi,
    platform: FakePlatform,
    start_delivery: Callable[..., Awaitable[DeliveryService]],
) -> None:
    residents = await add_residents(wired, 3)
    await put(wired, [note(r, "long", text=LONG_TEXT, broadcast_id=1) for r in residents])
    # One batch of the broadcast; a text the platform splits goes one resident at a time,
    # and the first one's second part waits a minute for the chat's interval.
    service = await start_delivery(chat_interval=60.0, broadcast_batch=300)
    await eventually(lambda: _arrived(platform, 1))

    service.RECORD_SECONDS = RECORDING  # the sends get 0.2 s; writing outcomes, plenty
    await service.stop(within=RECORDING + 0.2)

    after = await rows(wired)
    assert sorted(r.status for r in after) == ["pending", "pending", "unknown"]
    assert all(r.lease_until is None for r in after)
    assert len(platform.arrivals) == 1
