"""Digests cost `enqueue` no statement: the digest choices come in the same statement as the
mutes (a UNION), for a chunk of plan updates whether or not anyone chose a digest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.outbox import Notification, enqueue, enqueue_texts
from storage import clock
from storage.db import Database
from storage.models import OutboxMessage, Resident
from storage.models.digests import DigestPreference


async def _statements(
    db: Database,
    notices: list[Notification],
    put: Callable[[AsyncSession, list[Notification]], Awaitable[int]] = enqueue,
    expected: int | None = None,
) -> list[str]:
    """The statements (their first word) that putting `notices` in the outbox costs."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")):
            seen.append(sql.split()[0].upper())

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with db.transaction() as session:
            queued = await put(session, notices)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert expected is None or queued == expected
    return seen


def _updates(ids: list[int], number: int) -> list[Notification]:
    return [
        Notification(
            resident_id=i,
            channel="test",
            user_id=f"r{i}",
            kind="plan-update",
            dedup_key=f"plan-update:{number}:{i}",
            text=f"update {number}",
            category="plan:c3",
        )
        for i in ids
    ]


async def test_enqueue_costs_the_same_statements_with_and_without_digests(db: Database) -> None:
    now = clock.now()
    async with db.transaction() as session:
        result = await session.execute(
            insert(Resident).returning(Resident.id),
            [{"channel": "test", "user_id": f"r{n}", "created_at": now} for n in range(4)],
        )
        ids = sorted(result.scalars())
    # Nobody has a digest: the mutes' SELECT and the outbox INSERT.
    assert await _statements(db, _updates(ids, 1)) == ["SELECT", "INSERT"]
    async with db.transaction() as session:
        await session.execute(
            insert(DigestPreference),
            [
                {
                    "resident_id": ids[0],
                    "category": "plan",
                    "mode": "daily",
                    "hour": 18,
                    "due_at": now,
                }
            ],
        )
    # One resident has: the same SELECT tells, and their update becomes a digest item.
    assert await _statements(db, _updates(ids, 2)) == ["SELECT", "INSERT", "INSERT"]
    # Only digest residents in the chunk: no outbox INSERT at all.
    assert await _statements(db, _updates(ids[:1], 3)) == ["SELECT", "INSERT"]


async def test_a_digest_pages_texts_go_in_one_statement_once(db: Database) -> None:
    """The digests' own insert (`enqueue_texts`): on PostgreSQL the whole page is ONE
    INSERT of arrays; on SQLite the ordinary enqueue. Either way a key is queued once."""
    now = clock.now()
    async with db.transaction() as session:
        result = await session.execute(
            insert(Resident).returning(Resident.id),
            [{"channel": "test", "user_id": f"d{n}", "created_at": now} for n in range(5)],
        )
        ids = sorted(result.scalars())
    digests = [
        Notification(
            resident_id=i,
            channel="test",
            user_id=f"d{i}",
            kind="digest",
            dedup_key=f"digest:{i}:2026-06-17T18:1",
            text=f"Дайджест для {i}: «Хаб у бібліотеці» — 40 %",
            category="digest",
        )
        for i in ids
    ]
    seen = await _statements(db, digests, enqueue_texts, expected=5)
    assert seen == (["SELECT", "INSERT"] if db.is_sqlite else ["INSERT"])
    async with db.transaction() as session:
        assert await enqueue_texts(session, digests) == 0  # the same period again: nothing
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        stored = list(rows)
    assert [(r.resident_id, r.text, r.kind, r.status) for r in stored] == [
        (n.resident_id, n.text, "digest", "pending") for n in digests
    ]
    assert all(r.template_args == {} and r.buttons == [] for r in stored)
