"""Putting proactive messages into the outbox (reminders, updates, answers, broadcasts).

Features call `enqueue` inside their own transaction; the senders deliver later, in the
resident's language, at the platform's rate limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Table,
    Text,
    bindparam,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.models.delivery import DeliveryMute
from storage.models.outbox import INSERT_COLUMNS, OutboxMessage, new_row, select_new_row
from storage.repos.common import dialect_name, insert_ignoring_conflicts
from storage.repos.digests import collect, digest_category, diverting_select, item_row
from storage.repos.residents import ResidentRepo

CHUNK = 1000
OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]  # Core: no ORM overhead


@dataclass(frozen=True, slots=True)
class OutboxButton:
    """A button on a proactive message: a translation key for the label and a payload
    (usually a global `g:` action, since the message can be pressed at any later time)."""

    key: str
    payload: str
    args: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "payload": self.payload, "args": dict(self.args)}


@dataclass(frozen=True, slots=True)
class Notification:
    resident_id: int | None
    channel: str
    user_id: str
    kind: str
    dedup_key: str
    template_key: str | None = None
    template_args: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    buttons: tuple[tuple[OutboxButton, ...], ...] = ()
    category: str = ""
    priority: int = 0
    urgent: bool = False
    not_before: datetime | None = None
    broadcast_id: int | None = None

    def row(self, now: datetime) -> dict[str, Any]:
        return new_row(
            dedup_key=self.dedup_key[:200],
            resident_id=self.resident_id,
            channel=self.channel,
            user_id=self.user_id,
            kind=self.kind,
            category=self.category,
            priority=self.priority,
            urgent=self.urgent,
            template_key=self.template_key,
            template_args=dict(self.template_args),
            text=self.text,
            buttons=[[b.as_json() for b in row] for row in self.buttons],
            next_attempt_at=self.not_before or now,
            broadcast_id=self.broadcast_id,
            created_at=now,
        )


async def _choices(
    session: AsyncSession, chunk: Sequence[Notification]
) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """The residents' mutes (resident, category) and digest choices (resident, digest
    category) in ONE statement: digests add a UNION branch, not a query."""
    ids = {n.resident_id for n in chunk if n.resident_id is not None and n.category}
    if not ids:
        return set(), set()
    statement: Any = select(
        DeliveryMute.resident_id, DeliveryMute.category, literal_column("'mute'")
    ).where(DeliveryMute.resident_id.in_(sorted(ids)))
    collectable = {
        n.resident_id
        for n in chunk
        if n.resident_id is not None and not n.urgent and digest_category(n.category)
    }
    if collectable:
        statement = union_all(statement, diverting_select(collectable))
    muted: set[tuple[int, str]] = set()
    digests: set[tuple[int, str]] = set()
    for resident_id, category, what in await session.execute(statement):
        (muted if what == "mute" else digests).add((resident_id, category))
    return muted, digests


def digest_item(n: Notification, category: str, now: datetime) -> dict[str, Any]:
    """The digest-items row that collects `n` for its resident's `category` digest."""
    assert n.resident_id is not None
    return item_row(
        dedup_key=n.dedup_key,
        resident_id=n.resident_id,
        category=category,
        kind=n.kind,
        template_key=n.template_key,
        template_args=dict(n.template_args),
        text=n.text,
        now=now,
    )


async def enqueue(session: AsyncSession, notifications: Sequence[Notification]) -> int:
    """Insert in bulk, skipping rows whose `dedup_key` exists and residents who muted the
    notification's category; a notification that is not urgent, for a resident who chose
    a digest for its category, is collected for the digest instead (docs/digests.md).
    Returns how many were new (queued or collected)."""
    now = clock.now()
    inserted = 0
    for start in range(0, len(notifications), CHUNK):
        chunk = notifications[start : start + CHUNK]
        muted, digests = await _choices(session, chunk)
        rows: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        for n in chunk:
            if (n.resident_id, n.category) in muted:
                continue
            collected = None if n.urgent else digest_category(n.category)
            if collected is not None and (n.resident_id, collected) in digests:
                items.append(digest_item(n, collected, now))
            else:
                rows.append(n.row(now))
        inserted += await collect(session, items)
        if not rows:
            continue
        # Parameters as a list ("insertmanyvalues"), not `.values(rows)`: a 1,000-row VALUES
        # clause is compiled anew for every chunk, which made enqueue ~10x slower.
        result = await session.execute(
            insert_ignoring_conflicts(session, OUTBOX).returning(OUTBOX.c.id), rows
        )
        inserted += len(result.all())
    return inserted


async def enqueue_texts(session: AsyncSession, notifications: Sequence[Notification]) -> int:
    """`enqueue` for many plain-text notifications of ONE kind and category, without
    buttons, that are never collected for a digest (the digests themselves). On PostgreSQL
    the texts travel as five array parameters of ONE `INSERT … SELECT FROM unnest(…)` per
    call (no per-row work in this process); elsewhere, and for anything else, `enqueue`.
    Mutes are not looked up here: the senders skip a muted category when sending."""
    if not notifications:
        return 0
    first = notifications[0]
    plain = all(
        n.text is not None
        and not n.buttons
        and n.resident_id is not None
        and (n.kind, n.category, n.urgent, n.priority, n.not_before)
        == (first.kind, first.category, first.urgent, first.priority, first.not_before)
        for n in notifications
    )
    if dialect_name(session) != "postgresql" or not plain or digest_category(first.category):
        return await enqueue(session, notifications)
    now = clock.now()
    given = (
        func.unnest(
            bindparam("keys", type_=ARRAY(String)),
            bindparam("residents", type_=ARRAY(Integer)),
            bindparam("channels", type_=ARRAY(String)),
            bindparam("users", type_=ARRAY(String)),
            bindparam("texts", type_=ARRAY(Text)),
        )
        .table_valued("key", "resident", "channel", "user", "text")
        .render_derived(name="given")
    )
    rows = select(
        *select_new_row(
            dedup_key=given.c.key,
            resident_id=given.c.resident,
            channel=given.c.channel,
            user_id=given.c.user,
            kind=first.kind,
            category=first.category,
            priority=first.priority,
            urgent=first.urgent,
            text=given.c.text,
            next_attempt_at=first.not_before or now,
            created_at=now,
        )
    )
    statement = (
        postgresql.insert(OUTBOX)
        .from_select(list(INSERT_COLUMNS), rows)
        .on_conflict_do_nothing()
        .returning(OUTBOX.c.id)
    )
    result = await session.execute(
        statement,
        {
            "keys": [n.dedup_key[:200] for n in notifications],
            "residents": [n.resident_id for n in notifications],
            "channels": [n.channel for n in notifications],
            "users": [n.user_id for n in notifications],
            "texts": [n.text for n in notifications],
        },
    )
    return len(result.all())


async def notify_resident(session: AsyncSession, resident_id: int | None, **fields: Any) -> int:
    """Enqueue one notification (`Notification`'s fields but the address) for a resident
    found by id — an answer, a reply, a status change; nothing when the resident is gone.
    Returns 1 when it was queued, 0 when muted, a duplicate or nobody to send to."""
    resident = None if resident_id is None else await ResidentRepo(session).by_id(resident_id)
    if resident is None:
        return 0
    notice = Notification(
        resident_id=resident.id, channel=resident.channel, user_id=resident.user_id, **fields
    )
    return await enqueue(session, [notice])
