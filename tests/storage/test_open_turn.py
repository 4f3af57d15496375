"""Opening a turn (storage/repos/turns.py): the event claimed once, the resident upserted
and locked, the dialog state read, the message counted on the flood window — one statement
on PostgreSQL, several on SQLite, the same answers on both. And on PostgreSQL, a turn that
waited for another instance's turn of the same resident reads what that turn committed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import pytest
from sqlalchemy import select

from storage import clock
from storage.db import Database
from storage.models import DialogState, InboundEvent, Resident
from storage.repos.access import FLOOD, FloodRule, FloodVerdict
from storage.repos.inbox import DONE, InboxWriter
from storage.repos.turns import OpenedTurn, TurnKey, open_turn
from tests.support.databases import PostgresTestDatabase, asyncpg_dsn, truncate_all

RULE = FloodRule(limit=3, window=timedelta(seconds=10))


def key(event_id: str | None, user_id: str = "ivanna") -> TurnKey:
    return TurnKey("test", user_id, event_id, "uk", "Іванна")


async def opened(
    db: Database, event_id: str | None, flood: FloodRule | None = RULE
) -> OpenedTurn | None:
    async with db.transaction() as session:
        return await open_turn(session, key(event_id), clock.now(), flood)


async def record(db: Database, event_id: str) -> None:
    assert await InboxWriter(db).record("test", event_id, "{}")


async def test_a_recorded_event_opens_one_turn_and_its_redelivery_none(db: Database) -> None:
    await record(db, "u-1")
    first = await opened(db, "u-1")
    assert first is not None and first.created and first.flood is FloodVerdict.OK
    assert first.state.flow is None and first.stored_role is None

    seen = first.resident.last_seen_at
    clock.current().advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    assert await opened(db, "u-1") is None  # a duplicate: nothing of it runs
    async with db.transaction() as session:
        resident = (await session.execute(select(Resident))).scalar_one()
        assert resident.last_seen_at == seen  # not touched by the duplicate
        event = (await session.execute(select(InboundEvent))).scalar_one()
        assert (event.status, event.attempts, event.body) == (DONE, 1, "")
        assert (await session.execute(select(FLOOD.c.count))).scalar_one() == 1


async def test_an_event_never_recorded_and_input_without_one_still_run(db: Database) -> None:
    assert await opened(db, "never-recorded") is not None
    again = await opened(db, None)
    assert again is not None and not again.created


async def test_the_flood_window_counts_warns_once_ignores_and_starts_again(db: Database) -> None:
    verdicts = [(await opened(db, None)) for _ in range(6)]
    assert [v.flood for v in verdicts if v is not None] == [
        FloodVerdict.OK,
        FloodVerdict.OK,
        FloodVerdict.OK,
        FloodVerdict.WARN,
        FloodVerdict.IGNORE,
        FloodVerdict.IGNORE,
    ]
    lifecycle = await opened(db, None, flood=None)  # not a message: not counted
    assert lifecycle is not None and lifecycle.flood is None
    async with db.transaction() as session:
        assert (await session.execute(select(FLOOD.c.count))).scalar_one() == 6
    clock.current().advance(RULE.window)  # type: ignore[attr-defined]
    fresh = await opened(db, None)
    assert fresh is not None and fresh.flood is FloodVerdict.OK
    async with db.transaction() as session:
        row = (await session.execute(select(FLOOD))).one()
        assert (row.count, row.warned) == (1, False)


async def lock_waits(url: str) -> int:
    admin = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return int(
            await admin.fetchval(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    finally:
        await admin.close()


async def test_a_turn_that_waited_for_another_instances_turn_reads_what_it_committed(
    postgres_database: PostgresTestDatabase,
) -> None:
    """Two instances, one resident: the second turn's statement starts while the first turn
    holds the resident's row, waits, and must then see the first turn's dialog state — not
    the one its snapshot held when it started."""
    url = postgres_database.url
    first_instance, second_instance = Database(url), Database(url)
    try:
        await truncate_all(first_instance)
        await opened(first_instance, None)  # the resident exists, in no flow yet
        for event_id in ("e-1", "e-2"):
            await record(first_instance, event_id)

        async with first_instance.transaction() as session:
            first = await open_turn(session, key("e-1"), clock.now(), RULE)
            assert first is not None
            first.state.flow, first.state.step = "waste", "street"
            second = asyncio.create_task(opened(second_instance, "e-2"))
            for _ in range(500):  # until the second turn waits for the row lock
                if await lock_waits(url):
                    break
                await asyncio.sleep(0.01)
            else:
                pytest.fail("the second turn never waited for the resident's row")
            assert not second.done()
        # The first turn committed: the second one goes on.
        result = await second
        assert result is not None
        assert (result.state.flow, result.state.step) == ("waste", "street")
        assert result.flood is FloodVerdict.OK
        async with first_instance.transaction() as session:
            states = (await session.execute(select(DialogState))).scalars().all()
            assert [(s.flow, s.step) for s in states] == [("waste", "street")]
            assert (await session.execute(select(FLOOD.c.count))).scalar_one() == 3
            done = await session.execute(
                select(InboundEvent.event_id).where(InboundEvent.status == DONE)
            )
            assert sorted(done.scalars()) == ["e-1", "e-2"]
    finally:
        await first_instance.dispose()
        await second_instance.dispose()
