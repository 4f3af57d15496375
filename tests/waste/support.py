"""Helpers for the waste tests: shipped content, residents with subscriptions, outbox rows
rendered the way a sender renders them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot.core.i18n import I18n
from dialogs.waste import schedule
from dialogs.waste.content import ensure_default_waste
from dialogs.waste.service import ZoneSchedules
from storage import clock
from storage.db import Database
from storage.models import OutboxMessage, Resident
from storage.repos.waste import WasteRepo


async def load_content(db: Database) -> None:
    assert await ensure_default_waste(db) is True


async def zone_id_of(db: Database, code: str) -> int:
    async with db.transaction() as session:
        zone = await WasteRepo(session).zone_by_code(code)
        assert zone is not None
        return zone.id


async def next_days(db: Database, code: str, waste_type: str, start: date) -> list[date]:
    """The zone's collection days of `waste_type` from `start`, over 40 days (shipped content)."""
    zone_id = await zone_id_of(db, code)
    async with db.transaction() as session:
        schedules = await ZoneSchedules.load(WasteRepo(session), zone_id)
    return [
        c.day
        for c in schedules.collections(zone_id, start, start + timedelta(days=40))
        if c.waste_type == waste_type
    ]


def kyiv(day: date, hour: int, minute: int = 0) -> datetime:
    """A Kyiv wall-clock time as an aware UTC instant."""
    return schedule.local_instant(day, time(hour, minute))


async def subscribe(
    db: Database,
    zone_code: str,
    *,
    types: tuple[str, ...] = ("mixed",),
    offset: int = -1,
    hour: int = 19,
    user: str = "r1",
    channel: str = "test",
    locale: str = "uk",
    paused: bool = False,
    active: bool = True,
) -> int:
    async with db.transaction() as session:
        resident = Resident(
            channel=channel,
            user_id=user,
            locale=locale,
            locale_chosen=True,
            is_active=active,
            created_at=clock.now(),
            last_seen_at=clock.now(),
        )
        session.add(resident)
        await session.flush()
        repo = WasteRepo(session)
        zone = await repo.zone_by_code(zone_code)
        assert zone is not None
        sub = await repo.add_subscription(
            resident.id, zone.id, f"address of {user}", types, offset, hour
        )
        sub.paused = paused
        return sub.id


@dataclass
class Sent:
    """An outbox row as the resident would see it."""

    row: OutboxMessage
    text: str
    buttons: list[tuple[str, str]]


async def outbox(db: Database, i18n: I18n, kind: str | None = None) -> list[Sent]:
    async with db.transaction() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        rows = list((await session.execute(query)).scalars())
        out = []
        for row in rows:
            resident = await session.get(Resident, row.resident_id)
            locale = resident.locale if resident is not None else "uk"
            assert row.template_key is not None
            assert i18n.has(row.template_key, "uk") and i18n.has(row.template_key, "en")
            text = i18n.t(locale, row.template_key, row.template_args)
            buttons: list[tuple[str, str]] = []
            for line in row.buttons:
                for button in line:
                    assert i18n.has(button["key"], "uk") and i18n.has(button["key"], "en")
                    buttons.append(
                        (i18n.t(locale, button["key"], button["args"]), button["payload"])
                    )
            out.append(Sent(row, text, buttons))
        return out


def keys(sent: list[Sent]) -> list[str]:
    return sorted(s.row.dedup_key for s in sent)


def args_of(sent: Sent) -> dict[str, Any]:
    return dict(sent.row.template_args)
