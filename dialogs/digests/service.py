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

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import capabilities
from bot.core.i18n import I18n
from bot.delivery.outbox import Notification, digest_item, enqueue, enqueue_texts
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
PAGE = 2000  # residents a transaction: a few thousand rows in memory at most
CONCURRENT_PAGES = 3
RENDERED_LIMIT = 10_000  # distinct item texts kept per run
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
    commitment share its update, so a thousand digests format it once per language. The
    digest titles («Ваш дайджест: 3 новини») are formatted once per language and count."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n
        self.cache: dict[tuple[str, str, str], str] = {}
        self.titles: dict[tuple[str, int], str] = {}

    def __call__(self, locale: str, item: Any) -> str:
        """A collected item in `locale`: a `DigestItem`, or a row of `DigestRepo.page`
        whose `args` is the arguments' JSON text (decoded only when not rendered yet)."""
        if item.text is not None:
            return str(item.text)
        raw = getattr(item, "args", None)
        if raw is None:
            raw = json.dumps(dict(item.template_args), sort_keys=True, default=str)
        key = (locale, item.template_key or "", str(raw))
        text = self.cache.get(key)
        if text is None:
            if len(self.cache) >= RENDERED_LIMIT:  # one-off texts (answers): memory stays flat
                self.cache.clear()
            args = json.loads(raw) if isinstance(raw, str) else dict(raw)
            text = self.cache[key] = self.i18n.t(locale, item.template_key or "", args)
        return text

    def title(self, locale: str, count: int) -> str:
        text = self.titles.get((locale, count))
        if text is None:
            text = self.titles[(locale, count)] = self.i18n.t(
                locale, "digests-message-title", {"count": count}
            )
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


class Addressee(Protocol):
    """Whom a digest goes to: a `Resident`, or the resident's columns of a page row."""

    @property
    def id(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def locale(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PageResident:
    id: int
    channel: str
    user_id: str
    locale: str


def digest_messages(
    i18n: I18n,
    resident: Addressee,
    items: Sequence[Any],
    period: str,
    rendered: Rendered | None = None,
) -> list[Notification]:
    """The resident's digest for `period`: one message, more only past the text limit."""
    locale = resident.locale
    render = rendered or Rendered(i18n)
    head = render.title(locale, len(items))
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

    One indexed query lists the residents with a due choice and collected items; then, a
    transaction per PAGE of them (a range of resident ids): ONE statement reads their items
    with the choice and the resident's address (up to each choice's scheduled time), one
    message each goes into the outbox, and the items are deleted by id. Last, every choice
    due is moved to its next time (one UPDATE per offered choice). Memory is bounded by a
    page; texts are rendered once per language for the whole run. A repeated, late or
    concurrent run finds the items gone (or newer than the period) and the outbox key
    taken: no period is sent twice."""
    cutoffs = [
        (c.mode, c.hour, scheduled(c.mode, c.hour, now, zone))
        for c in offered()[1:]
        if c.hour is not None
    ]
    async with db.transaction() as session:
        residents = await DigestRepo(session).due_residents(now)
    rendered = Rendered(i18n)
    # PostgreSQL works on one page while this process composes the next: CONCURRENT_PAGES
    # transactions at a time (pages are disjoint ranges of residents). SQLite has one
    # writer: one. A page that fails cancels the others (TaskGroup); what they committed
    # is sent, the rest is found again by the next run.
    running = asyncio.Semaphore(1 if db.is_sqlite else CONCURRENT_PAGES)

    async def page(start: int) -> int:
        first, last = residents[start], residents[min(start + PAGE, len(residents)) - 1]
        async with running, db.transaction() as session:
            return await _send_page(session, rendered, first, last, now, zone, cutoffs)

    async with asyncio.TaskGroup() as group:
        pages = [group.create_task(page(s)) for s in range(0, len(residents), PAGE)]
    queued = sum(p.result() for p in pages)
    async with db.transaction() as session:
        digests = DigestRepo(session)
        for mode, hour, _at in cutoffs:
            await digests.advance(mode, hour, now, next_time(mode, hour, now, zone))
    return queued


async def _send_page(
    session: AsyncSession,
    rendered: Rendered,
    first: int,
    last: int,
    now: datetime,
    zone: ZoneInfo,
    cutoffs: Sequence[tuple[str, int, datetime]],
) -> int:
    digests = DigestRepo(session)
    at = {(mode, hour): when for mode, hour, when in cutoffs}
    periods = {when: _period(when, zone) for when in at.values()}
    rows = await digests.page(first, last, now, cutoffs)
    notices: list[Notification] = []
    start = 0
    while start < len(rows):
        end = start
        resident_id = rows[start].resident_id
        while end < len(rows) and rows[end].resident_id == resident_id:
            end += 1
        collected = rows[start:end]
        head = collected[0]
        # The digest's period is its latest choice's scheduled time (plan daily and
        # answers weekly, due together, make one message).
        period = periods[max(at[(r.mode, r.hour)] for r in collected)]
        resident = PageResident(resident_id, head.channel, head.user_id, head.locale)
        notices.extend(digest_messages(rendered.i18n, resident, collected, period, rendered))
        start = end
    queued = await enqueue_texts(session, notices)
    await digests.delete_items([r.id for r in rows])
    return queued
