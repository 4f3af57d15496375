"""Broadcasts: the one implementation of what an operator does with one, for every front
end — the chat flow (`flow.py`), the console's broadcast pages (bot/channels/web/admin) and
the CLI (bot/commands/broadcast.py).

  validate   `draft` (text, link button, audience), `read_link`, `audience`;
             `parse_when`, the one reader of the date/time an operator types (`read_when`
             refuses what it cannot read), and `check_when`, the window (`scheduled`: both)
  count      `estimate`: recipients per channel and the Viber cost; `preview` per channel
  send       `send`: create, then start now or leave scheduled, and audit
  cancel     `cancel`: skip what is still waiting, and audit
  report     `report` and `recent`: where broadcasts stand

Each function runs inside the caller's transaction. A draft or a request that cannot apply
raises `Refused` with a `code` (see `Refused`) and the numbers a message needs; each front
end says it in its own words. The messages themselves are built and sent by
`bot.delivery.broadcasts` (audiences, outbox rows, the supervisor and the author's report).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import dates
from bot.core.actions import Actor
from bot.core.capabilities import ChannelCapabilities
from bot.core.i18n import I18n
from bot.core.messages import Reply
from bot.delivery import broadcasts
from bot.delivery.broadcasts import (
    AUDIENCES,
    EVERYONE,
    FOLLOWERS,
    LABEL_LIMIT,
    LANGUAGE,
    TEXT_LIMIT,
    ZONE,
    Audience,
    AudienceUnavailable,
    Draft,
    DraftError,
    Progress,
    audience_choices,
    available_audiences,
)
from bot.delivery.rendering import compose, for_channel
from storage.models.delivery import DeliveryBroadcast

__all__ = [
    "AUDIENCES",
    "EVERYONE",
    "FOLLOWERS",
    "LABEL_LIMIT",
    "LANGUAGE",
    "MAX_AHEAD",
    "TEXT_LIMIT",
    "WHEN_FORMATS",
    "ZONE",
    "Actor",
    "Audience",
    "Draft",
    "Estimate",
    "PreviewPart",
    "Progress",
    "Refused",
    "Report",
    "Sent",
    "audience",
    "audience_choices",
    "available_audiences",
    "cancel",
    "check_when",
    "deliverable",
    "draft",
    "estimate",
    "message",
    "parse_when",
    "preview",
    "read_link",
    "read_when",
    "recent",
    "report",
    "scheduled",
    "send",
]

MAX_AHEAD = timedelta(days=60)  # the furthest a broadcast may be scheduled
WHEN_FORMATS = dates.MOMENT_FORMATS


class Refused(ValueError):
    """The action cannot apply. `code` says why; `args_` hold what a message needs:

    empty, too-long (limit, length), link (limit), audience (kind), audience-unavailable
    (detail), when-invalid (formats), when-range (days); finished (id) is how a front end
    that must refuse a cancel that came too late says it (`cancel` itself returns False)."""

    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


# --- validate ------------------------------------------------------------------------------
def draft(text: str, audience_: Audience, link: str | None, urgent: bool) -> Draft:
    """A broadcast draft checked once for every front end: text, link button, audience."""
    try:
        checked = broadcasts.checked_text(text)
    except DraftError as exc:
        raise Refused(exc.code, limit=TEXT_LIMIT, length=len(text.strip())) from None
    checked_audience = audience(audience_.kind, audience_.value)
    label, url = read_link(link) if link and link.strip() else (None, None)
    return Draft(checked, checked_audience, label, url, urgent)


def read_link(value: str) -> tuple[str, str]:
    """`Label | https://…` → (label, url)."""
    try:
        return broadcasts.parse_link(value)
    except DraftError:
        raise Refused("link", limit=LABEL_LIMIT) from None


def audience(kind: str, value: str | None) -> Audience:
    """An audience this installation offers; every kind but everyone needs a value."""
    if kind not in AUDIENCES or (kind != EVERYONE and not value):
        raise Refused("audience", kind=kind)
    if kind not in available_audiences():
        raise Refused("audience-unavailable", detail=kind)
    return Audience(kind, value if kind != EVERYONE else None)


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The date/time phrase an operator types or picks, in city time, or None
    (`bot.core.dates.parse_moment`, the one reader every feature uses)."""
    return dates.parse_moment(text, now, zone)


def check_when(when: datetime | None, now: datetime) -> None:
    """A scheduled time must be in the future and at most MAX_AHEAD away (None: now)."""
    if when is not None and (when <= now or when - now > MAX_AHEAD):
        raise Refused("when-range", days=MAX_AHEAD.days)


def read_when(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """`parse_when`, refusing what it cannot read."""
    when = parse_when(text, now, zone)
    if when is None:
        raise Refused("when-invalid", formats=", ".join(WHEN_FORMATS))
    return when


def scheduled(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """A typed time, read and checked against the window."""
    when = read_when(text, now, zone)
    check_when(when, now)
    return when


# --- count and preview ---------------------------------------------------------------------
def deliverable(channels: Iterable[str]) -> list[str]:
    """The channels a broadcast can go to."""
    return sorted(c for c in channels if c not in broadcasts.NOT_DELIVERABLE)


@dataclass
class Estimate:
    counts: dict[str, int]
    total: int
    viber_cost: float
    currency: str


async def estimate(
    session: AsyncSession,
    audience_: Audience,
    channels: Sequence[str],
    price: float,
    currency: str,
) -> Estimate:
    """How many residents would get it, per channel, and what Viber would charge."""
    try:
        counts = await broadcasts.count_by_channel(session, audience_, channels)
    except AudienceUnavailable as exc:
        raise Refused("audience-unavailable", detail=str(exc)) from None
    return Estimate(counts, sum(counts.values()), broadcasts.viber_cost(counts, price), currency)


def message(i18n: I18n, locale: str, draft_: Draft) -> Reply:
    """The message as a resident of `locale` gets it, before a channel's limits."""
    return compose(
        i18n,
        locale,
        text=draft_.text,
        template_key=None,
        template_args={},
        buttons=draft_.buttons(),
        category=broadcasts.CATEGORY,
    )


@dataclass
class PreviewPart:
    text: str
    buttons: list[list[str]] = field(default_factory=list)


def preview(
    i18n: I18n, locale: str, draft_: Draft, capabilities: dict[str, ChannelCapabilities]
) -> dict[str, list[PreviewPart]]:
    """The message as each channel will show it (split and degraded to its limits)."""
    reply = message(i18n, locale, draft_)
    shown: dict[str, list[PreviewPart]] = {}
    for channel, caps in sorted(capabilities.items()):
        parts = for_channel(reply, caps, i18n, locale)
        shown[channel] = [
            PreviewPart(p.text, [[b.label for b in row] for row in p.buttons]) for p in parts
        ]
    return shown


# --- send and cancel -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Sent:
    broadcast: DeliveryBroadcast
    queued: int | None  # people who get it: now, or in their news digest; None when scheduled


async def send(
    session: AsyncSession,
    draft_: Draft,
    *,
    actor: Actor,
    channels: Sequence[str],
    when: datetime | None,
    now: datetime,
) -> Sent:
    """Queue now (the messages are inserted at once) or schedule for `when`; audited."""
    check_when(when, now)
    try:
        await broadcasts.audience_query(session, draft_.audience, channels)
    except AudienceUnavailable as exc:
        raise Refused("audience-unavailable", detail=str(exc)) from None
    broadcast = await broadcasts.create(session, draft_, author=actor.author, scheduled_at=when)
    queued = await broadcasts.start(session, broadcast.id, channels) if when is None else None
    actor.audit(
        session,
        "broadcast-send",
        str(broadcast.id),
        "done",
        audience=draft_.audience.kind,
        value=draft_.audience.value,
        urgent=draft_.urgent,
        scheduled=when.isoformat() if when else None,
    )
    return Sent(broadcast, queued)


async def cancel(session: AsyncSession, broadcast_id: int, *, actor: Actor) -> bool:
    """Stop a scheduled or running broadcast; False when it had finished or does not exist.
    Audited either way (outcome "done" or "too-late")."""
    cancelled = await broadcasts.cancel(session, broadcast_id)
    actor.audit(session, "broadcast-cancel", str(broadcast_id), "done" if cancelled else "too-late")
    return cancelled


# --- report --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Report:
    broadcast: DeliveryBroadcast
    progress: Progress


async def report(session: AsyncSession, broadcast_id: int) -> Report | None:
    """Where one broadcast stands (read afresh: this transaction may have just changed it)."""
    found = await session.get(DeliveryBroadcast, broadcast_id, populate_existing=True)
    if found is None:
        return None
    return Report(found, await broadcasts.progress(session, broadcast_id))


async def recent(session: AsyncSession, limit: int = 5) -> list[Report]:
    """The latest broadcasts, newest first."""
    return [
        Report(b, await broadcasts.progress(session, b.id))
        for b in await broadcasts.recent(session, limit)
    ]
