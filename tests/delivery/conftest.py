"""Fixtures for the delivery tests: a fake platform on 127.0.0.1, the HTTP test adapter
registered as a channel of the real service, and helpers to add residents and rows."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Svoi
from bot.delivery.outbox import Notification, enqueue
from bot.delivery.sender import SenderConfig
from bot.delivery.service import DeliveryService
from storage import clock
from storage.models import OutboxMessage, Resident
from tests.delivery.fake_platform import FakePlatform
from tests.delivery.http_adapter import FakePlatformAdapter

CHANNEL = "fake"


def fast_config(**overrides: Any) -> SenderConfig:
    values: dict[str, Any] = {
        "rate_per_second": 200.0,
        "chat_interval": 0.0,
        "concurrency": 8,
        "max_attempts": 3,
        "lease_seconds": 30.0,
        "backoff_base": 0.05,
        "poll_interval": 0.05,
        "flush_interval": 0.02,
        "election_retry": 0.2,
    }
    values.update(overrides)
    return SenderConfig(**values)


@pytest.fixture
def still_heap() -> Iterator[None]:
    """For tests that judge send times on a fake server in this process: the sender and the
    server share the test's event loop, so a full garbage collection of the test process's
    large heap (hundreds of ms late in a run) would stall both and stamp the requests queued
    meanwhile as one burst. Freeze what exists, as the service does after start-up."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@pytest.fixture
async def platform() -> AsyncIterator[FakePlatform]:
    fake = FakePlatform()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def adapter(platform: FakePlatform) -> AsyncIterator[FakePlatformAdapter]:
    channel = FakePlatformAdapter(platform.url, name=CHANNEL)
    yield channel
    await channel.close()


@pytest.fixture
def wired(svoi: Svoi, adapter: FakePlatformAdapter) -> Svoi:
    svoi.add_channel(adapter)
    return svoi


async def add_residents(
    svoi: Svoi, count: int, *, channel: str = CHANNEL, locale: str = "uk", prefix: str = "r"
) -> list[Resident]:
    now = clock.now()
    async with svoi.db.transaction() as session:
        rows = [
            Resident(
                channel=channel,
                user_id=f"{prefix}{i}",
                locale=locale,
                locale_chosen=True,
                is_active=True,
                created_at=now,
                last_seen_at=now,
            )
            for i in range(count)
        ]
        session.add_all(rows)
    return rows


def note(resident: Resident, key: str, **fields: Any) -> Notification:
    values: dict[str, Any] = {
        "resident_id": resident.id,
        "channel": resident.channel,
        "user_id": resident.user_id,
        "kind": "test",
        "dedup_key": f"{key}:{resident.user_id}",
        "text": f"{key} for {resident.user_id}",
    }
    values.update(fields)
    if "template_key" in fields:
        values.pop("text")
    return Notification(**values)


async def put(svoi: Svoi, notifications: list[Notification]) -> int:
    async with svoi.db.transaction() as session:
        return await enqueue(session, notifications)


async def rows(svoi: Svoi) -> list[OutboxMessage]:
    async with svoi.db.transaction() as session:
        result = await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return list(result.scalars())


async def eventually(
    check: Callable[[], Awaitable[bool]], within: float = 30.0, step: float = 0.05
) -> None:
    """Wait until `check` holds; a deadline, so a broken sender fails instead of hanging."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"condition not reached within {within} s")
        await asyncio.sleep(step)


async def settled(svoi: Svoi) -> bool:
    return all(row.status not in ("pending", "sending") for row in await rows(svoi))


@pytest.fixture
async def start_delivery(
    wired: Svoi,
) -> AsyncIterator[Callable[..., Awaitable[DeliveryService]]]:
    services: list[DeliveryService] = []

    async def start(**config: Any) -> DeliveryService:
        service = DeliveryService(wired, configs={CHANNEL: fast_config(**config)})
        await service.start()
        services.append(service)
        return service

    yield start
    for service in services:
        await service.stop()
