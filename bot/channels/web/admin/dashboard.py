"""The console's dashboard figures: residents by channel and language, subscriptions,
the outbox of the last 24 hours, what waits to be sent, and the plan's ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, OutboxMessage, Resident
from storage.repos.plan import PlanRepo


@dataclass
class Dashboard:
    by_channel: dict[str, int]
    by_language: dict[str, int]
    inactive: int
    subscriptions: dict[str, int]
    outbox: dict[str, dict[str, int]]  # channel -> status -> count (last 24 hours)
    waiting: int
    oldest_waiting: datetime | None
    ratings: list[Any]


def _table(name: str) -> Table | None:
    return Base.metadata.tables.get(name)


async def dashboard(session: AsyncSession, now: datetime) -> Dashboard:
    by_channel: dict[str, int] = {}
    by_language: dict[str, int] = {}
    inactive = 0
    rows = await session.execute(
        select(Resident.channel, Resident.locale, Resident.is_active, func.count()).group_by(
            Resident.channel, Resident.locale, Resident.is_active
        )
    )
    for channel, locale, active, count in rows.all():
        if not active:
            inactive += int(count)
            continue
        by_channel[channel] = by_channel.get(channel, 0) + int(count)
        by_language[locale] = by_language.get(locale, 0) + int(count)
    subscriptions: dict[str, int] = {}
    for label, table_name in (
        ("plan", "plan_follows"),
        ("waste", "waste_subscriptions"),
        ("mutes", "delivery_mutes"),
    ):
        table = _table(table_name)
        if table is not None:
            subscriptions[label] = int(
                (await session.execute(select(func.count()).select_from(table))).scalar() or 0
            )
    outbox: dict[str, dict[str, int]] = {}
    recent = await session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .where(OutboxMessage.created_at >= now - timedelta(hours=24))
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    )
    for channel, status, count in recent.all():
        outbox.setdefault(channel, {})[status] = int(count)
    waiting_row = (
        await session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status.in_(("pending", "sending"))
            )
        )
    ).one()
    ratings = await PlanRepo(session).rating_stats()
    return Dashboard(
        by_channel,
        by_language,
        inactive,
        subscriptions,
        outbox,
        int(waiting_row[0] or 0),
        waiting_row[1],
        ratings,
    )
