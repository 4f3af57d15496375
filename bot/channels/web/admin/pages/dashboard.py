"""`/admin/`: residents by channel and language, subscriptions, the outbox of the last
24 hours, what waits to be sent, and the plan's ratings, as charts and tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.web.admin import charts
from bot.channels.web.admin.operator import Operator, Route
from dialogs.plan.views import localized
from storage import clock
from storage.models import Base, OutboxMessage, Resident
from storage.repos.plan import PlanRepo

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console


def routes(console: Console) -> list[Route]:
    page = DashboardPage(console)
    return [("GET", "/admin", page.dashboard), ("GET", "/admin/", page.dashboard)]


class DashboardPage:
    def __init__(self, console: Console) -> None:
        self.console = console

    async def dashboard(self, request: web.Request, op: Operator) -> web.Response:
        async with self.console.svoi.db.transaction() as session:
            board = await figures(session, clock.now())
        t = op.t
        channels = charts.bar_chart(
            t("web-admin-chart-channels"),
            [
                (t("channel-name", channel=c), n, str(n))
                for c, n in sorted(board.by_channel.items())
            ],
        )
        languages = charts.bar_chart(
            t("web-admin-chart-languages"),
            [
                (t("web-admin-language", code=c), n, str(n))
                for c, n in sorted(board.by_language.items())
            ],
        )
        ratings = charts.bar_chart(
            t("web-admin-chart-ratings"),
            [
                (
                    f"{s.commitment.number}. {localized(s.commitment.title, op.locale)}",
                    s.average or 0.0,
                    t(
                        "web-admin-rating-shown",
                        average=f"{s.average:.2f}" if s.average else "—",
                        count=s.count,
                    ),
                )
                for s in board.ratings
            ],
            maximum=5.0,
        )
        return self.console.render(
            request,
            "admin/dashboard.html",
            operator=op,
            board=board,
            charts=[channels, languages, ratings],
        )


# --- the figures ----------------------------------------------------------------------
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


async def figures(session: AsyncSession, now: datetime) -> Dashboard:
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
