"""The reminder tick: every minute, enqueue the reminders that fell due since the last tick.

    lock the watermark → window (watermark, now] → collection days around it (rules with
    exceptions applied) → reminder instants per (days before, hour) slot → subscriptions of
    those zones and slots, page by page → outbox rows keyed (subscription, collection day)
    → watermark = now, all in one transaction.

A repeated or concurrent tick finds an empty window (the watermark row is locked and then
moved) and the outbox key stops anything that slips through; a tick after an outage covers
the whole gap, sending what is still useful and skipping reminders older than the allowed
lateness or for a day already over. Reminder instants come from local wall-clock times in
Europe/Kyiv, so the evening-before reminder is at 19:00 local on both sides of a DST change.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.config import Settings
from bot.core.i18n import I18n
from dialogs.waste import schedule
from dialogs.waste.config import WasteSettings
from dialogs.waste.schedule import Collection
from dialogs.waste.service import REMINDER_BUTTONS, TypeNames, ZoneSchedules, window_part
from storage import clock
from storage.db import Database
from storage.repos.waste import WasteRepo

log = logging.getLogger(__name__)

PAGE = 10_000  # subscriptions read at a time: bounds memory, few statements
OFFSETS = (-1, 0)  # the evening before, the morning of
MAX_LOOKBACK = timedelta(days=2)  # work after a long outage stays bounded


@dataclass(frozen=True, slots=True)
class TickResult:
    enqueued: int
    stale: int  # reminders skipped because they were found too late
    window_start: datetime
    window_end: datetime


@dataclass(frozen=True, slots=True)
class _Due:
    zone_id: int
    day: date
    items: tuple[Collection, ...]


def _i18n(config: I18n | Settings) -> I18n:
    if isinstance(config, I18n):
        return config
    return I18n(config.default_locale, config.zone)


async def tick(
    db: Database,
    i18n_or_settings: I18n | Settings,
    now: datetime,
    policy: WasteSettings | None = None,
) -> int:
    """Enqueue due reminders; returns how many outbox rows were added."""
    result = await run_tick(db, _i18n(i18n_or_settings), now, policy or WasteSettings())
    return result.enqueued


async def run_tick(db: Database, i18n: I18n, now: datetime, policy: WasteSettings) -> TickResult:
    lateness = timedelta(minutes=policy.reminder_max_lateness_minutes)
    async with db.transaction() as session:
        repo = WasteRepo(session)
        mark = await repo.lock_watermark(initial=now - lateness)
        start = mark.reached_at
        if now <= start:
            return TickResult(0, 0, start, now)
        scan_from = max(start, now - MAX_LOOKBACK)
        schedules = await ZoneSchedules.load(repo)
        fresh, late = _due_slots(schedules, scan_from, now, lateness)
        enqueued = stale = 0
        if fresh or late:
            names = await TypeNames.load(repo)
            composer = _Composer(i18n, names, now)
            for (offset, hour), dues in sorted(fresh.items()):
                enqueued += await _slot(repo, composer, offset, hour, dues, send=True)
            for (offset, hour), dues in sorted(late.items()):
                stale += await _slot(repo, composer, offset, hour, dues, send=False)
        if stale:
            log.warning(
                "waste reminders skipped as stale after a gap",
                extra={"stale": stale, "since": start.isoformat()},
            )
        mark.reached_at = now
        mark.updated_at = clock.now()
        return TickResult(enqueued, stale, start, now)


Slots = dict[tuple[int, int], list[_Due]]


def _due_slots(
    schedules: ZoneSchedules, scan_from: datetime, now: datetime, lateness: timedelta
) -> tuple[Slots, Slots]:
    """Which (days before, hour) slots fell due in (scan_from, now], per zone and day:
    those still worth sending, and those found too late."""
    first = schedule.local_today(scan_from)
    today = schedule.local_today(now)
    fresh: Slots = defaultdict(list)
    late: Slots = defaultdict(list)
    for zone_id in schedules.rules:
        by_day: dict[date, list[Collection]] = defaultdict(list)
        for item in schedules.collections(zone_id, first, today + timedelta(days=1)):
            by_day[item.day].append(item)
        for day, items in by_day.items():
            for offset in OFFSETS:
                for hour in range(24):
                    due = schedule.local_instant(day + timedelta(days=offset), time(hour))
                    if not scan_from < due <= now:
                        continue
                    target = late if now - due > lateness or today > day else fresh
                    target[(offset, hour)].append(_Due(zone_id, day, tuple(items)))
    return fresh, late


async def _slot(
    repo: WasteRepo,
    composer: _Composer,
    offset: int,
    hour: int,
    dues: list[_Due],
    *,
    send: bool,
) -> int:
    """Enqueue the slot's reminders (or, for a stale slot, only count them).

    Subscriptions are read a page at a time; the page is grouped by what the reminder
    says (day, collections of the subscribed types, language), and each group becomes one
    INSERT … SELECT, so 100,000 residents due in the same minute cost a few statements.
    """
    by_zone: dict[int, list[_Due]] = defaultdict(list)
    for due in dues:
        by_zone[due.zone_id].append(due)
    after = 0
    total = 0
    while True:
        page = await repo.due_subscription_keys(offset, hour, list(by_zone), after, PAGE)
        if not page:
            return total
        after = page[-1].id
        groups: dict[tuple[date, tuple[Collection, ...], str], list[int]] = defaultdict(list)
        for sub in page:
            for due in by_zone[sub.zone_id]:
                items = tuple(i for i in due.items if i.waste_type in sub.types)
                if items:
                    groups[(due.day, items, composer.locale(sub.locale))].append(sub.id)
        for (day, items, locale), ids in groups.items():
            if not send:
                total += len(ids)
                continue
            total += await repo.enqueue_reminders(
                ids,
                day,
                "waste-reminder",
                composer.args(locale, day, items),
                REMINDER_BUTTONS,
                signature="+".join(sorted({i.waste_type for i in items})),
                kind="waste_reminder",
                category="waste",
                # The resident chose this time (06:00 is inside the default quiet hours).
                urgent=True,
                now=composer.now,
            )


class _Composer:
    """Builds reminder rows, caching the localized parts shared by many residents."""

    def __init__(self, i18n: I18n, names: TypeNames, now: datetime) -> None:
        self.i18n = i18n
        self.names = names
        self.now = now
        self.today = schedule.local_today(now)
        self._dates: dict[tuple[str, date], str] = {}
        self._items: dict[tuple[str, tuple[Collection, ...]], str] = {}

    def locale(self, locale: str) -> str:
        return locale if locale in self.i18n.locales else self.i18n.default_locale

    def day_text(self, locale: str, day: date) -> str:
        key = (locale, day)
        if key not in self._dates:
            self._dates[key] = self.i18n.date(locale, day)
        return self._dates[key]

    def items(self, locale: str, items: tuple[Collection, ...]) -> str:
        key = (locale, items)
        if key not in self._items:
            lines = []
            for item in items:
                args: dict[str, Any] = {
                    "type": self.names.name(item.waste_type, locale),
                    "window": window_part(item),
                }
                line = self.i18n.t(locale, "waste-item", args)
                if item.moved_from is not None:
                    line += " " + self.i18n.t(
                        locale, "waste-item-moved", {"date": self.day_text(locale, item.moved_from)}
                    )
                lines.append(line)
            self._items[key] = "\n".join(lines)
        return self._items[key]

    def args(self, locale: str, day: date, items: tuple[Collection, ...]) -> dict[str, str]:
        """The reminder's template arguments but the address (added per subscription)."""
        return {
            "when": "today" if day == self.today else "tomorrow",
            "date": self.day_text(locale, day),
            "items": self.items(locale, items),
            "example": "yes" if any(i.is_example for i in items) else "no",
        }
