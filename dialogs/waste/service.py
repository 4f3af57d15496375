"""What the dialog, the tick, the calendar and the commands share: loading a zone's
schedule from the database, names in the resident's language, change notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Actor, Refused
from bot.core.i18n import I18n, localized
from bot.delivery.broadcasts import ZONE, AudienceSource, AudienceUnavailable
from bot.delivery.outbox import Notification, OutboxButton, enqueue
from dialogs.waste import schedule
from dialogs.waste.payloads import GLOBAL, EditReminder, StopReminder, global_payload
from dialogs.waste.schedule import Collection, ExceptionSpec, RuleSpec
from storage.models.waste import (
    CollectionException,
    CollectionRule,
    WasteSubscription,
    WasteType,
    WasteZone,
)
from storage.repos.waste import WasteRepo

NOTICE_CHUNK = 1000
URGENT_WITHIN_DAYS = 7  # a change this close to today never waits for a digest
STOP_ACTION = StopReminder.prefix  # the global actions of a reminder's buttons
EDIT_ACTION = EditReminder.prefix


def by_language(uk: str, en: str = "") -> dict[str, str]:
    """A file's `_uk`/`_en` pair as the stored `{"uk": ..., "en": ...}`: an empty text is left
    out (residents read the Ukrainian then)."""
    return {lang: text for lang, text in (("uk", uk), ("en", en)) if text}


def rule_spec(row: CollectionRule) -> RuleSpec:
    return RuleSpec(
        waste_type=row.waste_type,
        starts_on=row.starts_on,
        rrule=row.rrule,
        dates=tuple(date.fromisoformat(str(d)) for d in row.dates or ()),
        ends_on=row.ends_on,
        window_start=schedule.parse_time(row.window_start),
        window_end=schedule.parse_time(row.window_end),
        is_example=row.is_example,
    )


def exception_spec(row: CollectionException, locale: str = "uk") -> ExceptionSpec:
    return ExceptionSpec(
        row.waste_type, row.original_date, row.moved_to, localized(row.reason, locale)
    )


@dataclass
class ZoneSchedules:
    """Rules and exceptions of every zone, loaded once (a tick, a calendar file)."""

    rules: dict[int, list[RuleSpec]]
    exceptions: dict[int, list[CollectionException]]

    @classmethod
    async def load(cls, repo: WasteRepo, zone_id: int | None = None) -> ZoneSchedules:
        rules: dict[int, list[RuleSpec]] = {}
        for rule in await repo.rules(zone_id):
            rules.setdefault(rule.zone_id, []).append(rule_spec(rule))
        exceptions: dict[int, list[CollectionException]] = {}
        for exc in await repo.exceptions(zone_id):
            exceptions.setdefault(exc.zone_id, []).append(exc)
        return cls(rules, exceptions)

    def collections(
        self, zone_id: int, start: date, end: date, locale: str = "uk"
    ) -> list[Collection]:
        return schedule.collections(
            self.rules.get(zone_id, []),
            [exception_spec(e, locale) for e in self.exceptions.get(zone_id, [])],
            start,
            end,
        )

    def next_per_type(self, zone_id: int, today: date, locale: str = "uk") -> list[Collection]:
        return schedule.next_per_type(
            self.rules.get(zone_id, []),
            [exception_spec(e, locale) for e in self.exceptions.get(zone_id, [])],
            today,
        )

    def types_of(self, zone_id: int) -> list[str]:
        seen: list[str] = []
        for spec in self.rules.get(zone_id, []):
            if spec.waste_type not in seen:
                seen.append(spec.waste_type)
        return seen


class TypeNames:
    """Waste type names in both languages, loaded once."""

    def __init__(self, types: Sequence[WasteType]) -> None:
        self.rows = {t.code: t for t in types}
        self.order = [t.code for t in types]

    @classmethod
    async def load(cls, repo: WasteRepo) -> TypeNames:
        return cls(await repo.types())

    def name(self, code: str, locale: str) -> str:
        row = self.rows.get(code)
        return code if row is None else localized(row.name, locale)

    def hint(self, code: str, locale: str) -> str:
        row = self.rows.get(code)
        return "" if row is None else localized(row.hint, locale)

    def join(self, codes: Sequence[str], locale: str) -> str:
        ordered = sorted(codes, key=lambda c: self.order.index(c) if c in self.order else 99)
        return ", ".join(self.name(c, locale) for c in ordered)


def window_text(item: Collection) -> str:
    if item.window_start is None:
        return ""
    start = item.window_start.strftime("%H:%M")
    if item.window_end is None:
        return start
    return f"{start}–{item.window_end.strftime('%H:%M')}"


def window_part(item: Collection) -> str:
    """ ", 07:00–12:00" to append after a date, or nothing when the time is not known."""
    text = window_text(item)
    return f", {text}" if text else ""


def when_key(day: date, today: date) -> tuple[str, int]:
    """("today" | "tomorrow" | "days", n) for the Fluent selector `waste-when`."""
    delta = (day - today).days
    if delta == 0:
        return "today", 0
    if delta == 1:
        return "tomorrow", 1
    return "days", delta


# The buttons on every reminder and change notice: a label key and the global action whose
# payload, `g:wstop:<id>`, the subscription id completes (dialogs/waste/payloads.py,
# flow.stop_action). The tick completes it in SQL, so it takes (label key, payload prefix).
_REMINDER_ACTIONS: tuple[tuple[str, type[StopReminder | EditReminder]], ...] = (
    ("waste-btn-stop", StopReminder),
    ("waste-btn-change", EditReminder),
)
REMINDER_BUTTONS = tuple((key, f"{GLOBAL}{kind.prefix}:") for key, kind in _REMINDER_ACTIONS)


def reminder_buttons(subscription_id: int) -> tuple[tuple[OutboxButton, ...], ...]:
    return (
        tuple(
            OutboxButton(key, global_payload(kind(subscription_id)))
            for key, kind in _REMINDER_ACTIONS
        ),
    )


class ScheduleError(ValueError):
    """An operator's exception that cannot apply (unknown zone, not a collection day…)."""


async def add_exception(
    session: AsyncSession,
    i18n: I18n,
    *,
    zone: WasteZone,
    waste_type: str,
    original: date,
    moved_to: date | None,
    reason_uk: str,
    reason_en: str = "",
    now: datetime,
) -> tuple[CollectionException, int]:
    """Record a cancelled or moved collection day and tell every affected subscriber.

    Returns the exception and how many change notices were enqueued. Reminders follow the
    new date by themselves: the tick expands rules with exceptions applied.
    """
    repo = WasteRepo(session)
    schedules = await ZoneSchedules.load(repo, zone.id)
    specs = [s for s in schedules.rules.get(zone.id, []) if s.waste_type == waste_type]
    if not specs:
        raise ScheduleError(f"zone {zone.code} has no collection of {waste_type}")
    if not any(schedule.occurs_on(s, original) for s in specs):
        raise ScheduleError(f"{original.isoformat()} is not a {waste_type} day in {zone.code}")
    if moved_to is not None and moved_to == original:
        raise ScheduleError("the new date is the same as the original one")
    if moved_to is not None and moved_to < schedule.local_today(now):
        raise ScheduleError(f"{moved_to.isoformat()} is in the past")
    exc = await repo.exception(zone.id, waste_type, original)
    if exc is None:
        exc = CollectionException(
            zone_id=zone.id, waste_type=waste_type, original_date=original, created_at=now
        )
        session.add(exc)
    exc.moved_to = moved_to
    exc.reason = by_language(reason_uk.strip()[:500], reason_en.strip()[:500])
    await session.flush()
    today = schedule.local_today(now)
    if max(original, moved_to or original) < today:
        return exc, 0  # history: nobody needs to hear about it
    sent = await notify_change(session, i18n, exc, zone, today)
    return exc, sent


def change_is_urgent(exc: CollectionException, today: date) -> bool:
    """A change within URGENT_WITHIN_DAYS of today goes at once to everyone, whatever their
    digest choice; a later one may wait for a resident's daily or weekly «waste» digest (a
    weekly digest comes within 7 days, so it still arrives before the day)."""
    earliest = min(exc.original_date, exc.moved_to or exc.original_date)
    return (earliest - today).days <= URGENT_WITHIN_DAYS


async def notify_change(
    session: AsyncSession, i18n: I18n, exc: CollectionException, zone: WasteZone, today: date
) -> int:
    """A "your collection date changed" notice for every subscription of the zone that
    includes the type, keyed by (subscription, type, original day, new day); urgent when
    the change is near (`change_is_urgent`), else collectable for a «waste» digest."""
    urgent = change_is_urgent(exc, today)
    repo = WasteRepo(session)
    names = await TypeNames.load(repo)
    after = 0
    total = 0
    target = exc.moved_to.isoformat() if exc.moved_to else "cancelled"
    while True:
        subs = await repo.subscribers_of_zone(zone.id, after, NOTICE_CHUNK)
        if not subs:
            return total
        after = subs[-1].id
        batch: list[Notification] = []
        for sub in subs:
            if exc.waste_type not in sub.types:
                continue
            locale = sub.locale if sub.locale in i18n.locales else i18n.default_locale
            args: dict[str, Any] = {
                "type": names.name(exc.waste_type, locale),
                "address": sub.address,
                "date": i18n.date(locale, exc.original_date),
                "reason": localized(exc.reason, locale) or "-",
            }
            if exc.moved_to is not None:
                args["new_date"] = i18n.date(locale, exc.moved_to)
            batch.append(
                Notification(
                    resident_id=sub.resident_id,
                    channel=sub.channel,
                    user_id=sub.user_id,
                    kind="waste_change",
                    category="waste",
                    dedup_key=(
                        f"waste:chg:{sub.id}:{exc.waste_type}:"
                        f"{exc.original_date.isoformat()}:{target}"
                    ),
                    template_key=(
                        "waste-change-moved"
                        if exc.moved_to is not None
                        else "waste-change-cancelled"
                    ),
                    template_args=args,
                    buttons=reminder_buttons(sub.id),
                    urgent=urgent,
                )
            )
        total += await enqueue(session, batch)


async def change_collection(
    session: AsyncSession,
    i18n: I18n,
    *,
    zone_code: str,
    waste_type: str,
    original: date,
    moved_to: date | None,
    reason_uk: str,
    reason_en: str,
    actor: Actor,
    now: datetime,
) -> int:
    """Move or cancel one collection day of a zone named by its code, with a reason; returns
    how many change notices were queued. The one implementation behind the chat's operator
    screens, the console's form and `python -m bot waste exception`: only the working group
    may, and every attempt is audited."""
    target = f"{zone_code}:{waste_type}:{original.isoformat()}"
    if not actor.is_operator:
        actor.audit(session, "waste-exception", target, outcome="refused")
        raise Refused("operator-only")
    if not reason_uk.strip():
        raise Refused("web-admin-error-reason")
    zone = await WasteRepo(session).zone_by_code(zone_code)
    if zone is None:
        raise Refused("web-admin-error-not-found")
    try:
        _exception, notices = await add_exception(
            session,
            i18n,
            zone=zone,
            waste_type=waste_type,
            original=original,
            moved_to=moved_to,
            reason_uk=reason_uk,
            reason_en=reason_en,
            now=now,
        )
    except ScheduleError as exc:
        raise Refused("web-admin-error-schedule-day", detail=str(exc)) from None
    actor.audit(
        session,
        "waste-exception",
        target,
        moved_to=moved_to.isoformat() if moved_to else None,
        notices=notices,
    )
    return notices


# --- broadcast audience: residents subscribed to a zone ----------------------------------
async def zone_choices(session: AsyncSession, locale: str) -> list[tuple[str, str]]:
    """(code, name) of every collection zone, for an operator choosing an audience."""
    zones = sorted(await WasteRepo(session).zones(), key=lambda z: z.code)
    return [(z.code, localized(z.name, locale) or z.code) for z in zones]


async def zone_residents(session: AsyncSession, code: str) -> Select[int]:
    """The ids of the residents with an active (not paused) subscription in zone `code`."""
    zone = await WasteRepo(session).zone_by_code(code)
    if zone is None:
        raise AudienceUnavailable(f"waste zone {code}")
    return select(WasteSubscription.resident_id).where(
        WasteSubscription.zone_id == zone.id, WasteSubscription.paused.is_(False)
    )


ZONE_AUDIENCE = AudienceSource(ZONE, zone_choices, zone_residents)
