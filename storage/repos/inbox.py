"""The inbox of platform events: recorded before the webhook answers, processed once."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, Table, Text, and_, bindparam, delete, func, select, true, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.db import Database
from storage.models import InboundEvent
from storage.repos.common import dialect_module, insert_ignoring_conflicts

RECEIVED = "received"
DONE = "done"
FAILED = "failed"


# Built once: every turn runs them (see storage/repos/residents.py). On the table, not the
# mapped class: an ORM-enabled UPDATE goes through the ORM's bulk path on every run.
_INBOX: Table = InboundEvent.__table__  # type: ignore[assignment]
_EVENT = and_(
    _INBOX.c.channel == bindparam("b_channel"),
    _INBOX.c.event_id == bindparam("b_event_id"),
)
CLAIM_DONE = (
    update(_INBOX)
    .where(_EVENT, _INBOX.c.status != DONE)
    # The raw body holds the resident's message; once handled only the id is needed.
    .values(
        body="",
        status=DONE,
        attempts=_INBOX.c.attempts + 1,
        processed_at=bindparam("b_now", type_=_INBOX.c.processed_at.type),
    )
    .returning(_INBOX.c.id)
)
KNOWN = select(_INBOX.c.id).where(_EVENT)


@functools.cache
def _record_many_statement(dialect: str) -> Any:
    """`INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING channel, event_id` of a batch of
    events, ONE statement whatever the batch's size: the rows travel as arrays (`unnest`)
    on PostgreSQL and as one JSON array (`json_each`) on SQLite. A multi-row `VALUES` would
    be a new statement for every batch size — compiled, and its cache key walked over every
    value, on each write (profiled: a sixth of a turn's CPU under a burst)."""
    if dialect == "postgresql":
        given = (
            func.unnest(
                bindparam("b_channels", type_=postgresql.ARRAY(String)),
                bindparam("b_event_ids", type_=postgresql.ARRAY(String)),
                bindparam("b_bodies", type_=postgresql.ARRAY(Text)),
            )
            .table_valued("channel", "event_id", "body")
            .render_derived(name="given")
        )
        rows = select(given.c.channel, given.c.event_id, given.c.body, *_fresh_columns())
    else:
        given = func.json_each(bindparam("b_rows", type_=Text)).table_valued("value")
        fields = (func.json_extract(given.c.value, f"$[{i}]") for i in range(3))
        # SQLite: an upsert on INSERT … SELECT needs a WHERE to parse unambiguously.
        rows = select(*fields, *_fresh_columns()).where(true())
    return (
        dialect_module(dialect)
        .insert(_INBOX)
        .from_select(["channel", "event_id", "body", "status", "attempts", "received_at"], rows)
        .on_conflict_do_nothing()
        .returning(_INBOX.c.channel, _INBOX.c.event_id)
    )


def _fresh_columns() -> tuple[Any, ...]:
    return (
        bindparam("b_status", RECEIVED, type_=String),
        bindparam("b_attempts", 0),
        bindparam("b_now", type_=_INBOX.c.received_at.type),
    )


class InboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, channel: str, event_id: str, body: str) -> bool:
        """Store the event; False when it was already recorded (a duplicate delivery)."""
        result = await self.session.execute(
            insert_ignoring_conflicts(self.session, InboundEvent)
            .values(
                channel=channel,
                event_id=event_id,
                body=body,
                status=RECEIVED,
                attempts=0,
                received_at=clock.now(),
            )
            .returning(InboundEvent.id)
        )
        return result.scalar_one_or_none() is not None

    async def claim(self, channel: str, event_id: str) -> InboundEvent | None:
        """Lock the event for processing; None when it is unknown or already done."""
        event = (
            await self.session.execute(
                select(InboundEvent)
                .where(InboundEvent.channel == channel, InboundEvent.event_id == event_id)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if event is None or event.status == DONE:
            return None
        return event

    async def claim_done(self, channel: str, event_id: str) -> bool | None:
        """Claim the event for this turn and mark it done, in the caller's transaction (the
        turn's: a failed turn rolls the mark back and the sweeper runs the event again).

        One statement on the common path: `UPDATE … WHERE status <> 'done' RETURNING id`.
        On PostgreSQL the update locks the row, so a second run of the same event (another
        instance's sweeper) waits for this transaction and then finds it done. True: claimed;
        False: done already (a duplicate); None: never recorded (the turn runs anyway)."""
        keys = {"b_channel": channel, "b_event_id": event_id}
        claimed = await self.session.execute(CLAIM_DONE, {**keys, "b_now": clock.now()})
        if claimed.first() is not None:
            return True
        known = await self.session.execute(KNOWN, keys)
        return False if known.first() is not None else None

    async def get(self, channel: str, event_id: str) -> InboundEvent | None:
        return (
            await self.session.execute(
                select(InboundEvent).where(
                    InboundEvent.channel == channel, InboundEvent.event_id == event_id
                )
            )
        ).scalar_one_or_none()

    async def mark_done(self, event: InboundEvent) -> None:
        # The raw body holds the resident's message; once handled only the id is needed.
        event.body = ""
        event.status = DONE
        event.attempts += 1
        event.processed_at = clock.now()

    async def mark_attempt_failed(
        self, channel: str, event_id: str, error: str, max_attempts: int
    ) -> None:
        event = await self.get(channel, event_id)
        if event is None:
            return
        event.attempts += 1
        event.error = error[:2000]
        if event.attempts >= max_attempts:
            event.status = FAILED
            event.body = ""  # given up: the resident's message is not kept

    async def pending(
        self, channel: str, older_than: timedelta, limit: int = 100
    ) -> list[InboundEvent]:
        """Events recorded but not processed (a crash or a failure): the sweeper retries them."""
        cutoff: datetime = clock.now() - older_than
        rows = await self.session.execute(
            select(InboundEvent)
            .where(
                InboundEvent.channel == channel,
                InboundEvent.status == RECEIVED,
                InboundEvent.received_at < cutoff,
            )
            .order_by(InboundEvent.id)
            .limit(limit)
        )
        return list(rows.scalars())

    async def purge_finished(self, before: datetime) -> int:
        """Delete handled (or given-up) events received before `before`: their ids only
        matter while a platform may still redeliver (Telegram 24 h, Viber an hour)."""
        result = await self.session.execute(
            delete(InboundEvent).where(
                InboundEvent.status.in_((DONE, FAILED)), InboundEvent.received_at < before
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def purge_unfinished(self, before: datetime) -> dict[str, int]:
        """Delete events received before `before` and never finished (no platform or
        sweeper will run them any more), so their raw bodies — residents' messages — do
        not stay for ever; how many per channel, for the log."""
        old = (InboundEvent.status.not_in((DONE, FAILED)), InboundEvent.received_at < before)
        counts = await self.session.execute(
            select(InboundEvent.channel, func.count()).where(*old).group_by(InboundEvent.channel)
        )
        per_channel = {channel: int(count) for channel, count in counts.all()}
        if per_channel:
            await self.session.execute(delete(InboundEvent).where(*old))
        return per_channel


Guard = Callable[[], AbstractAsyncContextManager[Any]]


class InboxWriter:
    """Group commit for the inbox: webhooks that arrive while a write is in progress share
    the next one — one `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` of the whole
    batch (`_record_many_statement`) — and each learns only then, with the row durable,
    whether its event was new. No waiting is added: a lone webhook is written at once;
    under a burst each commit carries everything that queued behind the previous one (at
    most `max_batch` rows).

    A failed write fails every webhook of that batch (each answers 503 and the platform
    delivers again). `guard` wraps each write (SQLite's single-writer lock of a channel)."""

    def __init__(self, db: Database, guard: Guard | None = None, max_batch: int = 100) -> None:
        self.db = db
        self.guard: Guard = guard or nullcontext
        self.max_batch = max_batch
        self._queue: list[tuple[str, str, str, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, channel: str, event_id: str, body: str) -> bool:
        """Store the event durably; False when it was already recorded (a duplicate)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((channel, event_id, body, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await asyncio.shield(future)

    async def _write_all(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                fresh = await self._write(batch)
            except Exception as exc:  # noqa: BLE001 - handed to every waiter of the batch
                for *_, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            except BaseException:  # cancelled (shutting down): nobody gets an answer
                for *_, future in (*batch, *self._queue):
                    future.cancel()
                self._queue.clear()
                raise
            for channel, event_id, _body, future in batch:
                if not future.done():
                    # The first of two identical events in one batch is the fresh one.
                    future.set_result((channel, event_id) in fresh)
                    fresh.discard((channel, event_id))

    async def _write(self, batch: list[tuple[str, str, str, asyncio.Future[bool]]]) -> set[Any]:
        rows: dict[tuple[str, str], str] = {}
        for channel, event_id, body, _future in batch:
            rows.setdefault((channel, event_id), body)
        # One statement, so no transaction around it on PostgreSQL (two round trips fewer).
        async with self.guard(), self.db.statement() as conn:
            dialect = conn.dialect.name
            values: dict[str, Any] = {"b_now": clock.now()}
            if dialect == "postgresql":
                values["b_channels"] = [channel for channel, _ in rows]
                values["b_event_ids"] = [event_id for _, event_id in rows]
                values["b_bodies"] = list(rows.values())
            else:
                values["b_rows"] = json.dumps(
                    [[channel, event_id, body] for (channel, event_id), body in rows.items()],
                    ensure_ascii=False,
                )
            result = await conn.execute(_record_many_statement(dialect), values)
            return {(channel, event_id) for channel, event_id in result}
