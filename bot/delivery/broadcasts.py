"""Operator broadcasts: audiences, counting, enqueuing, progress, cancelling and the report.

Front ends do not call this module: the chat, the console and the CLI go through
`dialogs/broadcast/service.py`, which checks, counts, sends, cancels and audits with it; the
delivery service's supervisor runs `tick`.
A broadcast's messages are outbox rows with `broadcast_id`, inserted by one
`INSERT … SELECT` from the residents table (100,000 recipients in one statement).

Audiences: everyone; residents of one language; and those features add with typed queries
over their own models (`AudienceSource`): followers of a plan commitment (dialogs/plan),
residents subscribed to a waste zone (dialogs/waste). An audience whose feature is not
installed is not offered.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    String,
    Table,
    cast,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot import metrics
from bot.delivery.outbox import Notification, enqueue
from storage import clock
from storage.db import Database
from storage.models import OutboxMessage, Resident
from storage.models.delivery import (
    CANCELLED,
    DONE,
    SCHEDULED,
    SENDING,
    DeliveryBroadcast,
    DeliveryMute,
)
from storage.models.outbox import (
    FAILED,
    INSERT_COLUMNS,
    PENDING,
    SENT,
    SKIPPED,
    UNKNOWN,
    select_new_row,
)
from storage.models.outbox import SENDING as ROW_SENDING
from storage.repos import digests, linking
from storage.repos.access import AuditRepo, RoleRepo, stronger
from storage.repos.common import dialect_insert
from storage.repos.delivery import DeliveryRepo

log = logging.getLogger(__name__)

CATEGORY = "broadcast"
KIND = "broadcast"
EVERYONE = "everyone"
LANGUAGE = "language"
FOLLOWERS = "followers"
ZONE = "zone"
AUDIENCES = (EVERYONE, LANGUAGE, FOLLOWERS, ZONE)
URGENT_PRIORITY = 10
REPORT_PRIORITY = 5
# Channels that cannot receive proactive messages: none now (the terminal chat shows its
# waiting messages at its next prompt, bot/channels/console/pending.py).
NOT_DELIVERABLE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Audience:
    kind: str = EVERYONE
    value: str | None = None


TEXT_LIMIT = 3500  # characters; the one limit every front end gets through the service
LABEL_LIMIT = 40
_URL = re.compile(r"^https?://\S{3,490}$")


class DraftError(ValueError):
    """A draft the platforms would refuse or mangle; `code` is one of "empty", "too-long",
    "link" (dialogs.broadcast.service refuses with the same code)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def checked_text(text: str) -> str:
    """The broadcast text, stripped, or DraftError("empty" / "too-long")."""
    text = text.strip()
    if not text:
        raise DraftError("empty")
    if len(text) > TEXT_LIMIT:
        raise DraftError("too-long")
    return text


def parse_link(value: str) -> tuple[str, str]:
    """`Label | https://…` → (label, url), or DraftError("link")."""
    label, sep, url = (part.strip() for part in value.partition("|"))
    if not sep or not label or len(label) > LABEL_LIMIT or not _URL.match(url):
        raise DraftError("link")
    return label, url


@dataclass(frozen=True, slots=True)
class Draft:
    """What an operator composed: text, an optional link button, an audience."""

    text: str
    audience: Audience = Audience()
    link_label: str | None = None
    link_url: str | None = None
    urgent: bool = False

    def digest_text(self) -> str:
        """The broadcast as an item of a news digest (no buttons there: the link in words)."""
        if self.link_label and self.link_url:
            return f"{self.text}\n{self.link_label}: {self.link_url}"
        return self.text

    def buttons(self) -> list[list[dict[str, str]]]:
        if self.link_label and self.link_url:
            return [[{"label": self.link_label, "url": self.link_url}]]
        return []


@dataclass(frozen=True, slots=True)
class Progress:
    total: int
    sent: int
    blocked: int
    failed: int
    waiting: int
    other_skipped: int
    # Sent after a claim of theirs was abandoned (a sender died or lost its lock mid-send):
    # delivery is at-least-once, so up to this many residents may have received it twice.
    doubled: int = 0

    @property
    def done(self) -> int:
        return self.total - self.waiting

    def states(self) -> dict[str, int]:
        """Messages by state, as the `svoi_broadcast_messages` metric shows them."""
        return {
            "sent": self.sent,
            "blocked": self.blocked,
            "failed": self.failed,
            "waiting": self.waiting,
            "skipped": self.other_skipped,
        }


class AudienceUnavailable(Exception):
    """The audience needs a table or a value that does not exist."""


@dataclass(frozen=True, slots=True)
class AudienceSource:
    """A feature's broadcast audience: residents picked by a value the operator chooses (a
    plan commitment, a waste zone). `choices(session, locale)` lists (value, label) pairs;
    `residents(session, value)` is a query of resident ids, and raises
    AudienceUnavailable for a value that does not exist. Features add theirs with
    `add_audience_source` when they register; delivery never imports a feature."""

    kind: str
    choices: Callable[[AsyncSession, str], Awaitable[list[tuple[str, str]]]]
    residents: Callable[[AsyncSession, str], Awaitable[Select[int]]]


_SOURCES: dict[str, AudienceSource] = {}


def add_audience_source(source: AudienceSource) -> None:
    _SOURCES[source.kind] = source


def available_audiences() -> list[str]:
    """Audiences this installation can offer: everyone, a language, and those the installed
    features add (plan followers, waste zones)."""
    return [EVERYONE, LANGUAGE, *(kind for kind in AUDIENCES if kind in _SOURCES)]


async def audience_choices(session: AsyncSession, kind: str, locale: str) -> list[tuple[str, str]]:
    """(value, label) pairs an operator picks from: commitments or waste zones."""
    source = _SOURCES.get(kind)
    return await source.choices(session, locale) if source is not None else []


async def audience_query(
    session: AsyncSession, audience: Audience, channels: Sequence[str]
) -> Select[int, str, str]:
    """Active residents of the audience on deliverable channels who did not mute broadcasts:
    one per person — of linked channels only the profile's holder, the channel the person's
    notifications go to (docs/linking.md), so counts, the Viber cost and the report are of
    people, not chats."""
    muted = exists().where(
        DeliveryMute.resident_id == Resident.id, DeliveryMute.category == CATEGORY
    )
    query = select(Resident.id, Resident.channel, Resident.user_id).where(
        Resident.is_active.is_(True),
        linking.one_per_person(),
        Resident.channel.in_([c for c in channels if c not in NOT_DELIVERABLE]),
        ~muted,
    )
    if audience.kind == EVERYONE:
        return query
    if audience.kind == LANGUAGE:
        return query.where(Resident.locale == (audience.value or ""))
    source = _SOURCES.get(audience.kind)
    if source is not None:
        residents = await source.residents(session, audience.value or "")
        return query.where(Resident.id.in_(residents))
    raise AudienceUnavailable(audience.kind)


async def count_by_channel(
    session: AsyncSession, audience: Audience, channels: Sequence[str]
) -> dict[str, int]:
    query = (await audience_query(session, audience, channels)).subquery()
    rows = await session.execute(select(query.c.channel, func.count()).group_by(query.c.channel))
    return {channel: int(count) for channel, count in rows}


def viber_cost(counts: dict[str, int], price: float) -> float:
    return round(counts.get("viber", 0) * price, 2)


async def create(
    session: AsyncSession,
    draft: Draft,
    *,
    author: tuple[str, str] | None,
    scheduled_at: datetime | None = None,
) -> DeliveryBroadcast:
    now = clock.now()
    broadcast = DeliveryBroadcast(
        author_channel=author[0] if author else None,
        author_user_id=author[1] if author else None,
        text=draft.text,
        link_label=draft.link_label,
        link_url=draft.link_url,
        audience=draft.audience.kind,
        audience_value=draft.audience.value,
        urgent=draft.urgent,
        status=SCHEDULED,
        recipients=0,
        scheduled_at=scheduled_at or now,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


def draft_of(broadcast: DeliveryBroadcast) -> Draft:
    return Draft(
        text=broadcast.text,
        audience=Audience(broadcast.audience, broadcast.audience_value),
        link_label=broadcast.link_label,
        link_url=broadcast.link_url,
        urgent=broadcast.urgent,
    )


async def start(session: AsyncSession, broadcast_id: int, channels: Sequence[str]) -> int | None:
    """Enqueue a scheduled broadcast's messages; None when another instance started it (or
    it was cancelled). Safe to call from several instances at once."""
    now = clock.now()
    won = await session.execute(
        update(DeliveryBroadcast)
        .where(DeliveryBroadcast.id == broadcast_id, DeliveryBroadcast.status == SCHEDULED)
        .values(status=SENDING, started_at=now)
    )
    if not getattr(won, "rowcount", 0):
        return None
    broadcast = await session.get(DeliveryBroadcast, broadcast_id, populate_existing=True)
    assert broadcast is not None
    draft = draft_of(broadcast)
    try:
        audience = (await audience_query(session, draft.audience, channels)).subquery()
    except AudienceUnavailable as exc:
        log.warning("broadcast %s: audience unavailable (%s)", broadcast_id, exc)
        broadcast.recipients = 0
        return 0
    outbox: Table = OutboxMessage.__table__  # type: ignore[assignment]
    rows = select(
        *select_new_row(
            dedup_key=literal(f"broadcast:{broadcast_id}:") + cast(audience.c.id, String),
            resident_id=audience.c.id,
            channel=audience.c.channel,
            user_id=audience.c.user_id,
            kind=KIND,
            category=CATEGORY,
            priority=URGENT_PRIORITY if draft.urgent else 0,
            urgent=draft.urgent,
            text=draft.text,
            buttons=draft.buttons(),
            next_attempt_at=now,
            broadcast_id=broadcast_id,
            created_at=now,
        )
    ).where(audience.c.id.is_not(None))
    broadcast.digested = 0
    if not draft.urgent:
        # Residents who chose a news digest get it there (one INSERT … SELECT), not now.
        in_digest = digests.chose(audience.c.id, digests.NEWS)
        broadcast.digested = await digests.collect_select(
            session,
            dedup_key=literal(f"broadcast:{broadcast_id}:") + cast(audience.c.id, String),
            resident_id=audience.c.id,
            category=digests.NEWS,
            kind=KIND,
            text=draft.digest_text(),
            now=now,
            where=[audience.c.id.is_not(None), in_digest],
        )
        rows = rows.where(~in_digest)
    result = await session.execute(
        dialect_insert(session, outbox)
        .from_select(list(INSERT_COLUMNS), rows)
        .on_conflict_do_nothing()
    )
    broadcast.recipients = int(getattr(result, "rowcount", 0) or 0)
    return broadcast.recipients + broadcast.digested


async def progress(session: AsyncSession, broadcast_id: int) -> Progress:
    repo = DeliveryRepo(session)
    counts = await repo.broadcast_counts(broadcast_id)
    blocked = await repo.blocked_in_broadcast(broadcast_id)
    doubled = await repo.doubled_in_broadcast(broadcast_id)
    skipped = counts.get(SKIPPED, 0)
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(SENT, 0),
        blocked=blocked,
        failed=counts.get(FAILED, 0) + counts.get(UNKNOWN, 0),
        waiting=counts.get(PENDING, 0) + counts.get(ROW_SENDING, 0),
        other_skipped=skipped - blocked,
        doubled=doubled,
    )


async def cancel(session: AsyncSession, broadcast_id: int) -> bool:
    """Stop a scheduled or running broadcast: its pending messages are skipped (messages
    already being sent finish), its items waiting for news digests are dropped. False when
    it had already finished or does not exist."""
    result = await session.execute(
        update(DeliveryBroadcast)
        .where(
            DeliveryBroadcast.id == broadcast_id,
            DeliveryBroadcast.status.in_((SCHEDULED, SENDING)),
        )
        .values(status=CANCELLED, finished_at=clock.now())
    )
    if not getattr(result, "rowcount", 0):
        return False
    await DeliveryRepo(session).skip_pending_of_broadcast(broadcast_id, "cancelled")
    # and those waiting in residents' news digests are not sent either
    await digests.drop_collected(session, f"broadcast:{broadcast_id}:")
    return True


async def recent(session: AsyncSession, limit: int = 5) -> list[DeliveryBroadcast]:
    rows = await session.execute(
        select(DeliveryBroadcast).order_by(DeliveryBroadcast.id.desc()).limit(limit)
    )
    return list(rows.scalars())


async def _report(session: AsyncSession, broadcast: DeliveryBroadcast, result: Progress) -> None:
    if not broadcast.author_channel or not broadcast.author_user_id:
        return
    author = (
        await session.execute(
            select(Resident.id).where(
                Resident.channel == broadcast.author_channel,
                Resident.user_id == broadcast.author_user_id,
            )
        )
    ).scalar()
    await enqueue(
        session,
        [
            Notification(
                resident_id=author,
                channel=broadcast.author_channel,
                user_id=broadcast.author_user_id,
                kind="report",
                dedup_key=f"broadcast-report:{broadcast.id}",
                template_key="delivery-report",
                template_args={
                    "id": str(broadcast.id),
                    "total": result.total,
                    "sent": result.sent,
                    "blocked": result.blocked,
                    "failed": result.failed,
                    "skipped": result.other_skipped,
                    "digested": broadcast.digested,
                },
                priority=REPORT_PRIORITY,
                urgent=True,
            )
        ],
    )


async def _author_may_send(
    session: AsyncSession,
    broadcast_id: int,
    settings_role: Callable[[str, str], str | None] | None,
) -> bool:
    broadcast = await session.get(DeliveryBroadcast, broadcast_id)
    if broadcast is None or broadcast.author_channel is None or broadcast.author_user_id is None:
        return True  # from the CLI: the city's IT staff, not a chat operator
    channel, user_id = broadcast.author_channel, broadcast.author_user_id
    role = await RoleRepo(session).get(channel, user_id)
    if settings_role is not None:
        role = stronger(role, settings_role(channel, user_id))
    return role in ("operator", "admin")


async def tick(
    db: Database,
    channels: Sequence[str],
    now: datetime | None = None,
    settings_role: Callable[[str, str], str | None] | None = None,
) -> None:
    """Start broadcasts whose time has come; close finished ones and report to the author.
    Harmless when several instances run it at once (guarded status changes, unique keys).

    A scheduled broadcast whose author is no longer an operator when its time comes is
    cancelled and audited, not sent (`settings_role` adds OPERATORS/ADMINS to stored roles)."""
    moment = now or clock.now()
    async with db.transaction() as session:
        due = list(
            (
                await session.execute(
                    select(DeliveryBroadcast.id).where(
                        DeliveryBroadcast.status == SCHEDULED,
                        DeliveryBroadcast.scheduled_at <= moment,
                    )
                )
            ).scalars()
        )
        running = list(
            (
                await session.execute(
                    select(DeliveryBroadcast.id).where(DeliveryBroadcast.status == SENDING)
                )
            ).scalars()
        )
    for broadcast_id in due:
        async with db.transaction() as session:
            if not await _author_may_send(session, broadcast_id, settings_role):
                if await cancel(session, broadcast_id):
                    AuditRepo(session).write(
                        "system",
                        None,
                        "broadcast-start",
                        f"broadcast:{broadcast_id}",
                        outcome="refused",
                        reason="author is no longer an operator",
                    )
                    log.warning("broadcast %s cancelled: its author lost the role", broadcast_id)
                continue
            count = await start(session, broadcast_id, channels)
        if count is not None:
            log.info("broadcast %s started: %s recipients", broadcast_id, count)
    shown: dict[int, dict[str, int]] = {}
    for broadcast_id in running:
        async with db.transaction() as session:
            result = await progress(session, broadcast_id)
            if result.waiting:
                shown[broadcast_id] = result.states()
                continue
            closed = await session.execute(
                update(DeliveryBroadcast)
                .where(DeliveryBroadcast.id == broadcast_id, DeliveryBroadcast.status == SENDING)
                .values(status=DONE, finished_at=clock.now())
            )
            if not getattr(closed, "rowcount", 0):
                continue
            broadcast = await session.get(DeliveryBroadcast, broadcast_id)
            assert broadcast is not None
            await _report(session, broadcast, result)
            log.info("broadcast %s done: %s", broadcast_id, result)
    metrics.set_broadcast_progress(shown)
