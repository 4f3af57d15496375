"""Queries of the delivery engine: claiming due outbox rows, recording outcomes, returning
abandoned claims, mutes, and broadcast progress.

Claims are `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …` on
PostgreSQL, so two claimers never take the same row; on SQLite the same statement runs in a
`BEGIN IMMEDIATE` transaction (storage.db), which serialises writers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Table,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, Resident
from storage.models.base import UTCDateTime
from storage.models.delivery import ALERT_API, DeliveryAlert, DeliveryMute
from storage.models.outbox import FAILED, PENDING, SENDING, SENT, SKIPPED, UNKNOWN
from storage.repos.common import dialect_name, insert_ignoring_conflicts

OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
# A message in one of these states will not be sent again (retention strips its contents).
FINISHED = (SENT, SKIPPED, FAILED, UNKNOWN)

# During an air-raid alert only these rows are claimed (docs/delivery.md, "Air-raid alerts"):
# what answers something a resident or an operator did themselves (answers to feedback and
# questions, a broadcast's delivery report), and urgent rows that are not reminders (urgent
# broadcasts). Reminders are urgent only so that quiet hours let the hour the resident chose
# through; during an alert they wait like progress updates, waste changes, non-urgent
# broadcasts and any kind added later.
ALERT_EXEMPT_KINDS = ("plan-answer", "question-answer", "report")
REMINDER_KIND = "%reminder%"  # as `bot.metrics.delivery_kind` tells a reminder


@dataclass(frozen=True, slots=True)
class ClaimedRow:
    """A snapshot of a claimed outbox row: what the sender needs, detached from any session."""

    id: int
    channel: str
    user_id: str
    resident_id: int | None
    category: str
    urgent: bool
    template_key: str | None
    template_args: dict[str, Any]
    text: str | None
    buttons: list[Any]
    attempts: int
    broadcast_id: int | None
    priority: int = 0
    next_attempt_at: datetime | None = None
    kind: str = ""
    created_at: datetime | None = None
    claimed_by: str | None = None

    @property
    def cursor(self) -> ClaimCursor:
        """Where this row sits in claim order, for the next claim to start after it."""
        assert self.next_attempt_at is not None
        return ClaimCursor(self.priority, self.next_attempt_at, self.id)


@dataclass(frozen=True, slots=True, order=True)
class ClaimCursor:
    """A position in claim order (priority descending, then due time, then id).

    Claimed rows leave dead index entries at the front of the pending range until vacuum;
    a claim that starts after the previous one seeks past them instead of walking them all,
    which kept a 100,000-row broadcast from slowing down as it went."""

    priority: int
    next_attempt_at: datetime
    id: int

    def sort_key(self) -> tuple[int, datetime, int]:
        return (-self.priority, self.next_attempt_at, self.id)


@dataclass(frozen=True, slots=True)
class Recipient:
    locale: str
    is_active: bool
    resident_id: int


def _is_postgres(session: AsyncSession) -> bool:
    return dialect_name(session) == "postgresql"


class DeliveryRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self,
        channel: str,
        now: datetime,
        limit: int,
        lease_until: datetime,
        *,
        urgent_only: bool = False,
        alert: bool = False,
        after: ClaimCursor | None = None,
        holder: str | None = None,
    ) -> list[ClaimedRow]:
        """Take up to `limit` due rows of a channel, highest priority first, and lease them
        to `holder` (the claiming sender's id, see `reclaim_abandoned`). `urgent_only`
        (quiet hours) and `alert` (an air-raid alert: see ALERT_EXEMPT_KINDS) leave the rows
        they hold pending, as one more condition of the same query.

        With `after`, only rows of the cursor's priority that sort after it are taken (an
        index seek); the caller still claims without a cursor now and then, for rows that
        sort earlier (higher priority, or returned to pending by an expired lease)."""
        due = select(OutboxMessage.id).where(
            OutboxMessage.channel == channel,
            OutboxMessage.status == PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        if after is not None:
            due = due.where(
                OutboxMessage.priority == after.priority,
                tuple_(OutboxMessage.next_attempt_at, OutboxMessage.id)
                > tuple_(literal(after.next_attempt_at, UTCDateTime()), literal(after.id)),
            )
        due = due.order_by(
            OutboxMessage.priority.desc(), OutboxMessage.next_attempt_at, OutboxMessage.id
        ).limit(limit)
        if urgent_only:
            due = due.where(OutboxMessage.urgent.is_(True))
        if alert:
            due = due.where(
                or_(
                    OutboxMessage.kind.in_(ALERT_EXEMPT_KINDS),
                    and_(
                        OutboxMessage.urgent.is_(True), OutboxMessage.kind.not_like(REMINDER_KIND)
                    ),
                )
            )
        if _is_postgres(self.session):
            due = due.with_for_update(skip_locked=True)
        result = await self.session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(due.scalar_subquery()))
            .values(status=SENDING, lease_until=lease_until, claimed_by=holder)
            .returning(
                OUTBOX.c.id,
                OUTBOX.c.channel,
                OUTBOX.c.user_id,
                OUTBOX.c.resident_id,
                OUTBOX.c.category,
                OUTBOX.c.urgent,
                OUTBOX.c.template_key,
                OUTBOX.c.template_args,
                OUTBOX.c.text,
                OUTBOX.c.buttons,
                OUTBOX.c.attempts,
                OUTBOX.c.broadcast_id,
                OUTBOX.c.priority,
                OUTBOX.c.next_attempt_at,
                OUTBOX.c.kind,
                OUTBOX.c.created_at,
                OUTBOX.c.claimed_by,
            )
        )
        rows = [ClaimedRow(**row._asdict()) for row in result]
        rows.sort(key=lambda r: r.id)
        return rows

    async def recipients(
        self, channel: str, user_ids: Iterable[str], resident_ids: Iterable[int] = ()
    ) -> dict[str, Recipient]:
        """Locale and state of the rows' residents, by primary key where the row has it (an
        index lookup whatever the planner's statistics say right after a bulk insert), by
        (channel, user id) for the rest."""
        columns = (Resident.user_id, Resident.locale, Resident.is_active, Resident.id)
        found: dict[str, Recipient] = {}
        by_id = sorted(set(resident_ids))
        if by_id:
            result = await self.session.execute(
                select(*columns).where(Resident.id.in_(by_id), Resident.channel == channel)
            )
            for user_id, locale, is_active, resident_id in result:
                found[user_id] = Recipient(locale, is_active, resident_id)
        rest = sorted(set(user_ids) - set(found))
        if rest:
            result = await self.session.execute(
                select(*columns).where(Resident.channel == channel, Resident.user_id.in_(rest))
            )
            for user_id, locale, is_active, resident_id in result:
                found[user_id] = Recipient(locale, is_active, resident_id)
        return found

    async def mutes(self, resident_ids: Iterable[int]) -> set[tuple[int, str]]:
        ids = sorted(set(resident_ids))
        if not ids:
            return set()
        result = await self.session.execute(
            select(DeliveryMute.resident_id, DeliveryMute.category).where(
                DeliveryMute.resident_id.in_(ids)
            )
        )
        return {(resident_id, category) for resident_id, category in result}

    async def record(self, outcomes: Sequence[Mapping[str, Any]]) -> None:
        """Write the outcome of many rows at once (executemany). Each mapping has the keys
        `b_id`, `b_status`, `b_attempts`, `b_next_attempt_at`, `b_message_id`, `b_error`,
        `b_sent_at` and `b_holder`: an outcome is written only while the row is still
        claimed by `b_holder`, so a sender whose abandoned claim was given back (and
        perhaps sent by the next sender) cannot overwrite what happened since."""
        if not outcomes:
            return
        await self.session.execute(
            update(OUTBOX)
            .where(
                OUTBOX.c.id == bindparam("b_id"),
                OUTBOX.c.status == SENDING,
                OUTBOX.c.claimed_by == bindparam("b_holder"),
            )
            .values(
                status=bindparam("b_status"),
                attempts=bindparam("b_attempts"),
                next_attempt_at=bindparam("b_next_attempt_at"),
                lease_until=None,
                claimed_by=None,
                platform_message_id=bindparam("b_message_id"),
                error=bindparam("b_error"),
                sent_at=bindparam("b_sent_at"),
            ),
            [dict(outcome) for outcome in outcomes],
        )

    async def reclaim_expired(self, channel: str, now: datetime, keep: Iterable[int] = ()) -> int:
        """Rows left in `sending` past their lease (their sender died) become pending again;
        `keep` are rows this sender still holds in memory."""
        statement = (
            update(OUTBOX)
            .where(
                OUTBOX.c.channel == channel,
                OUTBOX.c.status == SENDING,
                OUTBOX.c.lease_until < now,
            )
            .values(
                status=PENDING, lease_until=None, claimed_by=None, reclaims=OUTBOX.c.reclaims + 1
            )
        )
        held = sorted(set(keep))
        if held:
            statement = statement.where(OUTBOX.c.id.not_in(held))
        result = await self.session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)

    async def reclaim_abandoned(self, channel: str, holder: str, keep: Iterable[int] = ()) -> int:
        """Rows in `sending` claimed by any holder but `holder` become pending again, lease
        or not. Call it only while holding the token's lock, and only once a former holder
        has had time to notice it lost the lock and stop (`ChannelSender` waits for that):
        then no sender is left to finish them. Claims without a holder (made before the
        holder was recorded) are left to their lease; `keep` are rows this sender still
        holds in memory from an earlier term."""
        statement = (
            update(OUTBOX)
            .where(
                OUTBOX.c.channel == channel,
                OUTBOX.c.status == SENDING,
                OUTBOX.c.claimed_by.is_not(None),
                OUTBOX.c.claimed_by != holder,
            )
            .values(
                status=PENDING, lease_until=None, claimed_by=None, reclaims=OUTBOX.c.reclaims + 1
            )
        )
        held = sorted(set(keep))
        if held:
            statement = statement.where(OUTBOX.c.id.not_in(held))
        result = await self.session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)

    async def mute(self, resident_id: int, category: str, now: datetime) -> bool:
        result = await self.session.execute(
            insert_ignoring_conflicts(self.session, DeliveryMute)
            .values(resident_id=resident_id, category=category, created_at=now)
            .returning(DeliveryMute.resident_id)
        )
        return result.scalar_one_or_none() is not None

    async def unmute(self, resident_id: int, category: str) -> None:
        mute = await self.session.get(DeliveryMute, (resident_id, category))
        if mute is not None:
            await self.session.delete(mute)

    async def muted_categories(self, resident_id: int) -> list[str]:
        result = await self.session.execute(
            select(DeliveryMute.category)
            .where(DeliveryMute.resident_id == resident_id)
            .order_by(DeliveryMute.category)
        )
        return list(result.scalars())

    async def broadcast_counts(self, broadcast_id: int) -> dict[str, int]:
        result = await self.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.broadcast_id == broadcast_id)
            .group_by(OutboxMessage.status)
        )
        return {status: int(count) for status, count in result}

    async def doubled_in_broadcast(self, broadcast_id: int) -> int:
        """Rows sent after a claim of theirs was abandoned (a sender died or lost its lock
        in the middle of sending): each may have reached its resident twice."""
        result = await self.session.execute(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.broadcast_id == broadcast_id,
                OutboxMessage.reclaims > 0,
                OutboxMessage.status == SENT,
            )
        )
        return int(result.scalar_one())

    async def blocked_in_broadcast(self, broadcast_id: int) -> int:
        """Skipped rows whose recipient is gone (blocked the bot, left), not muted ones."""
        result = await self.session.execute(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.broadcast_id == broadcast_id,
                OutboxMessage.status == SKIPPED,
                OutboxMessage.error.like("gone%"),
            )
        )
        return int(result.scalar_one())

    async def skip_pending_of_broadcast(self, broadcast_id: int, reason: str) -> int:
        result = await self.session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.broadcast_id == broadcast_id, OUTBOX.c.status == PENDING)
            .values(status=SKIPPED, error=reason)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def strip_finished(self, before: datetime) -> int:
        """Finished messages created before `before` keep their row (for reports) but lose
        their contents: text, template values, buttons, error. How many were stripped."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status.in_(FINISHED),
                OutboxMessage.created_at < before,
                OutboxMessage.text.is_not(None) | (cast(OutboxMessage.template_args, Text) != "{}"),
            )
            .values(text=None, template_args={}, buttons=[], error=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def lease(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)


@dataclass(frozen=True, slots=True)
class AlertState:
    """A region's alert state, detached from the session (see `DeliveryAlert`)."""

    region: str
    active: bool
    source: str
    since: datetime
    updated_at: datetime
    feed_active: bool | None
    feed_checked_at: datetime | None


class AlertRepo:
    """The air-raid alert state: one row per region, written under a row lock so that every
    instance's operators and feed pollers agree."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, region: str) -> AlertState | None:
        row = await self.session.get(DeliveryAlert, region)
        return _alert_state(row) if row is not None else None

    async def _locked(self, region: str, now: datetime) -> tuple[DeliveryAlert, bool]:
        """The region's row, locked for this transaction; True when it was just created."""
        inserted = await self.session.execute(
            insert_ignoring_conflicts(self.session, DeliveryAlert.__table__).values(
                region=region, active=False, source=ALERT_API, since=now, updated_at=now
            )
        )
        created = bool(getattr(inserted, "rowcount", 0))
        query = (
            select(DeliveryAlert)
            .where(DeliveryAlert.region == region)
            .execution_options(populate_existing=True)
        )
        if _is_postgres(self.session):
            query = query.with_for_update()
        row = (await self.session.execute(query)).scalar_one()
        return row, created

    async def switch(self, region: str, active: bool, source: str, now: datetime) -> bool:
        """Set the state (an operator's switch); True when it changed."""
        row, _ = await self._locked(region, now)
        changed = row.active != active
        if changed:
            row.since = now
        row.active = active
        row.source = source
        row.updated_at = now
        return changed

    async def feed(self, region: str, active: bool, now: datetime) -> bool:
        """Record one reading of the feed; True when it changed the state in force.

        The feed changes the state only on an edge of its own (its reading differs from its
        previous one), so an operator's switch stands until the feed itself changes; a
        first reading takes effect only if it reports an alert (it cannot know that an
        operator's "тривога" was wrong)."""
        row, created = await self._locked(region, now)
        previous = None if created else row.feed_active
        row.feed_checked_at = now
        row.feed_active = active
        if previous == active or (previous is None and not active and not created):
            return False
        changed = row.active != active
        if changed:
            row.since = now
        row.active = active
        row.source = ALERT_API
        row.updated_at = now
        return changed


def _alert_state(row: DeliveryAlert) -> AlertState:
    return AlertState(
        row.region,
        row.active,
        row.source,
        row.since,
        row.updated_at,
        row.feed_active,
        row.feed_checked_at,
    )
