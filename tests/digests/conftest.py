"""Fixtures for the digest tests: the shipped plan, residents on Telegram's and Viber's
capabilities, the digest job as the scheduler runs it, and reading the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.app import Svoi
from bot.scheduler import digests
from storage import clock
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.digests import DigestItem, DigestPreference

# The plan's conversation fixtures: fast conversations, the shipped plan, and a resident on
# Telegram's or Viber's capabilities.
from tests.plan.conftest import on_channel, plan, settings  # noqa: F401
from tests.support.clock import CITY_ZONE
from tests.support.conversation import Resident


def city(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of June 2026 in city time (the 17th, TEST_START, is a Wednesday)."""
    return datetime(2026, 6, day, hour, minute, tzinfo=CITY_ZONE)


async def run_job_at(svoi: Svoi, test_clock: clock.SetClock, at: datetime) -> None:
    """The scheduler's digest job, run at `at`."""
    test_clock.set(at)
    await digests(svoi)


async def outbox(db: Database, **where: Any) -> list[OutboxMessage]:
    async with db.transaction() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list((await session.execute(query)).scalars())


async def collected(db: Database) -> list[DigestItem]:
    async with db.transaction() as session:
        return list(await session.scalars(select(DigestItem).order_by(DigestItem.id)))


async def preferences(db: Database) -> list[DigestPreference]:
    async with db.transaction() as session:
        query = select(DigestPreference).order_by(
            DigestPreference.resident_id, DigestPreference.category
        )
        return list(await session.scalars(query))


async def choose_digest(resident: Resident, category: str, choice: str) -> None:
    """Settings → digests → a category → a choice, as the resident presses them."""
    await resident.send("/settings")
    await resident.press("digests")  # the Settings button (its payload), in either language
    await resident.press(category)
    await resident.press(choice)


async def publish(operator: Resident, code: str, percent: str, text: str) -> None:
    """The working group publishes a progress update from the chat (tests/plan)."""
    await operator.send("/operator")
    await operator.press("Publish an update")
    await operator.press(f"pc:{code}")
    await operator.press("Keep")  # the status stays; the progress moves
    await operator.send(percent)
    await operator.send(text)
    await operator.press("Publish")
    assert "The update is published." in operator.text
