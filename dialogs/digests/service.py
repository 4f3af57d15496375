"""Digests (docs/digests.md): the ONLY implementation of choosing a digest, collecting a
notification for it, and composing and enqueuing the digests that are due.

A resident chooses per digest category (storage.repos.digests.CATEGORIES) «as it
happens» (no row, the default), «daily at HH:00» (one of DAILY_HOURS) or «weekly»
(WEEKLY_DAY at WEEKLY_HOUR, city time). The outbox collects a chosen category's
notifications that are not urgent (bot/delivery/outbox.py → `collect`); `run_digests`,
called by the scheduler, sends each due resident ONE message with everything collected
(split only past the channel's text limit), through the outbox (category "digest", not
urgent: quiet hours and air-raid alerts apply), and deletes what it sent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import capabilities
from bot.core.i18n import I18n
from bot.delivery.outbox import Notification, digest_item, enqueue
from storage import clock
from storage.db import Database
from storage.models import Resident
from storage.repos import digests as repo
from storage.repos.digests import CATEGORIES, DAILY, WEEKLY, DigestRepo

DAILY_HOURS = (8, 12, 18, 20)
WEEKLY_DAY = 0  # Monday
WEEKLY_HOUR = 9
CATEGORY = "digest"
KIND = "digest"
PAGE = 1000
SEPARATOR = "\n\n"
LIMITS = {
    "telegram": capabilities.TELEGRAM.max_text_length,
    "viber": capabilities.VIBER.max_text_length,
    "web": capabilities.WEB.max_text_length,
    "console": capabilities.CONSOLE.max_text_length,
}
DEFAULT_LIMIT = min(LIMITS.values())


class InvalidChoice(ValueError):
    """A category, mode or hour the settings screen does not offer."""


@dataclass(frozen=True, slots=True)
class Choice:
    mode: str  # "now" | "daily" | "weekly"
    hour: int | None = None


AS_IT_HAPPENS = Choice("now")


def offered() -> list[Choice]:
    return [AS_IT_HAPPENS, *(Choice(DAILY, h) for h in DAILY_HOURS), Choice(WEEKLY, WEEKLY_HOUR)]


# --- choosing ------------------------------------------------------------------------------
async def choices(session: AsyncSession, resident_id: int) -> dict[str, Choice]:
    """Every digest category with the resident's choice («as it happens» when none)."""
    chosen = await DigestRepo(session).preferences(resident_id)
    return {
        c: Choice(chosen[c].mode, chosen[c].hour) if c in chosen else AS_IT_HAPPENS
        for c in CATEGORIES
    }


async def choose(
    session: AsyncSession,
    i18n: I18n,
    resident: Resident,
    category: str,
    choice: Choice,
    now: datetime,
    zone: ZoneInfo,
) -> None:
    """Set the resident's choice for a category. Back to «as it happens», anything already
    collected is sent at once as one digest (nothing is lost or held back)."""
    if category not in CATEGORIES or choice not in offered():
        raise InvalidChoice(f"{category}: {choice}")
    digests = DigestRepo(session)
    if choice == AS_IT_HAPPENS:
        items = await digests.as_it_happens(resident.id, category)
        if items:
            period = "now-" + now.strftime("%Y%m%dT%H%M%S")
            await enqueue(session, digest_messages(i18n, resident, items, period))
            await digests.delete_items([i.id for i in items])
        return
    assert choice.hour is not None
    due_at = next_time(choice.mode, choice.hour, now, zone)
    await digests.choose(resident.id, category, choice.mode, choice.hour, due_at)


# --- collecting ----------------------------------------------------------------------------
async def collect(session: AsyncSession, notices: Sequence[Notification]) -> int:
    """Keep notifications for their residents' digests (the outbox calls the same
    statement for diverted ones); once per dedup key. Returns how many were new."""
    now = clock.now()
    now_rows = []
    for n in notices:
        category = repo.digest_category(n.category)
        if n.resident_id is None or category is None:
            raise InvalidChoice(f"not collectable: {n.category}")
        now_rows.append(digest_item(n, category, now))
    return await repo.collect(session, now_rows)


# --- when a digest is due ------------------------------------------------------------------
def scheduled(mode: str, hour: int, now: datetime, zone: ZoneInfo) -> datetime:
    """The latest scheduled time of a choice at or before `now` (city time)."""
    local = now.astimezone(zone)
    day = local.date()
    if mode == WEEKLY:
        day -= timedelta(days=(local.weekday() - WEEKLY_DAY) % 7)
    at = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
    if at > local:
        at -= timedelta(days=7 if mode == WEEKLY else 1)
        at = datetime(at.year, at.month, at.day, hour, tzinfo=zone)
    return at


def next_time(mode: str, hour: int, now: datetime, zone: ZoneInfo) -> datetime:
    """The first scheduled time of a choice after `now`."""
    at = scheduled(mode, hour, now, zone)
    later = at + timedelta(days=7 if mode == WEEKLY else 1)  # wall time: DST-proof
    return datetime(later.year, later.month, later.day, hour, tzinfo=zone)


def _period(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%dT%H")


# --- composing -----------------------------------------------------------------------------
class Rendered:
    """Collected items in a language, each text rendered once per run: followers of one
    commitment share its update, so a thousand digests format it once per language."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n
        self.cache: dict[tuple[str, str, str], str] = {}

    def __call__(self, locale: str, item: Any) -> str:
        """A collected item (a `DigestItem` or a row with its columns) in `locale`."""
        if item.text is not None:
            return str(item.text)
        args = dict(item.template_args)
        key = (locale, item.template_key or "", json.dumps(args, sort_keys=True, default=str))
        text = self.cache.get(key)
        if text is None:
            text = self.cache[key] = self.i18n.t(locale, item.template_key or "", args)
        return text


def split(head: str, parts: Sequence[str], limit: int) -> list[str]:
    """`head` and the parts joined by blank lines, in as few messages as fit `limit`;
    a part is never cut unless it alone is longer than a message."""
    messages: list[str] = []
    current = head
    for part in parts:
        if len(part) > limit:
            part = part[: limit - 1] + "…"
        candidate = current + SEPARATOR + part if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = part
    if current:
        messages.append(current)
    return messages


def digest_messages(
    i18n: I18n,
    resident: Resident,
    items: Sequence[Any],
    period: str,
    rendered: Rendered | None = None,
) -> list[Notification]:
    """The resident's digest for `period`: one message, more only past the text limit."""
    locale = resident.locale
    render = rendered or Rendered(i18n)
    head = i18n.t(locale, "digests-message-title", {"count": len(items)})
    texts = split(
        head,
        [render(locale, i) for i in items],
        LIMITS.get(resident.channel, DEFAULT_LIMIT),
    )
    return [
        Notification(
            resident_id=resident.id,
            channel=resident.channel,
            user_id=resident.user_id,
            kind=KIND,
            dedup_key=f"digest:{resident.id}:{period}:{number}",
            text=text,
            category=CATEGORY,
        )
        for number, text in enumerate(texts, 1)
    ]


# --- the scheduled run ---------------------------------------------------------------------
async def run_digests(db: Database, i18n: I18n, now: datetime, zone: ZoneInfo) -> int:
    """Send every digest that is due at `now`; returns how many messages were queued.

    One indexed query finds the choices due with collected items; then a transaction per
    PAGE residents: their items up to the scheduled time, one message each, the items
    deleted. Last, every choice due is moved to its next time (one UPDATE per offered
    choice). A repeated, late or concurrent run finds the items gone (or newer than the
    period) and the outbox key taken: no period is sent twice."""
    async with db.transaction() as session:
        due = await DigestRepo(session).due(now)
    queued = 0
    residents = sorted({resident_id for resident_id, *_rest in due})
    for start in range(0, len(residents), PAGE):
        page = set(residents[start : start + PAGE])
        async with db.transaction() as session:
            queued += await _send_page(session, i18n, [d for d in due if d[0] in page], now, zone)
    async with db.transaction() as session:
        digests = DigestRepo(session)
        for choice in offered()[1:]:
            assert choice.hour is not None
            after = next_time(choice.mode, choice.hour, now, zone)
            await digests.advance(choice.mode, choice.hour, now, after)
    return queued


async def _send_page(
    session: AsyncSession,
    i18n: I18n,
    page: Sequence[tuple[int, str, str, int]],
    now: datetime,
    zone: ZoneInfo,
) -> int:
    digests = DigestRepo(session)
    due = {(rid, category): scheduled(mode, hour, now, zone) for rid, category, mode, hour in page}
    # A digest covers what was collected up to its scheduled time; later items wait for
    # the next one (a late run must not take tomorrow's news into today's digest).
    items = [
        i
        for i in await digests.items(sorted(due), now)
        if i.created_at <= due[(i.resident_id, i.category)]
    ]
    by_resident: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        by_resident[item.resident_id].append(item)
    residents = {
        r.id: r for r in await session.scalars(select(Resident).where(Resident.id.in_(by_resident)))
    }
    periods: dict[int, datetime] = {}
    for (rid, _category), at in due.items():
        periods[rid] = max(at, periods.get(rid, at))
    rendered = Rendered(i18n)
    notices: list[Notification] = []
    for resident_id, collected in by_resident.items():
        resident = residents.get(resident_id)
        if resident is None:
            continue
        period = _period(periods[resident_id], zone)
        notices.extend(digest_messages(i18n, resident, collected, period, rendered))
    queued = await enqueue(session, notices)
    await digests.delete_items([i.id for i in items])
    return queued
