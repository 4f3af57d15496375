"""PostgreSQL's connection pool: a connection is checked before use only after it sat idle
(storage/db.py, `_ping_after_idle`), so a burst pays no extra round trip per transaction,
and a connection the server dropped meanwhile never reaches a turn."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.db import Database
from tests.support.databases import PostgresTestDatabase, asyncpg_dsn


@pytest.fixture
async def pg_url(postgres_database: PostgresTestDatabase) -> str:
    return postgres_database.url


async def backend_pid(db: Database) -> int:
    async with db.transaction() as session:
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def terminate(url: str, pid: int) -> None:
    """What a database restart or a failover does to a pooled connection."""
    admin = await asyncpg.connect(asyncpg_dsn(url))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


@pytest.fixture
async def checked_after_any_idle(pg_url: str) -> AsyncIterator[Database]:
    db = Database(pg_url, idle_ping_seconds=0)
    yield db
    await db.dispose()


@pytest.fixture
async def never_checked(pg_url: str) -> AsyncIterator[Database]:
    db = Database(pg_url, idle_ping_seconds=3600)
    yield db
    await db.dispose()


async def test_a_connection_dropped_while_idle_is_replaced_before_a_transaction_gets_it(
    checked_after_any_idle: Database, pg_url: str
) -> None:
    db = checked_after_any_idle
    first = await backend_pid(db)
    await terminate(pg_url, first)

    second = await backend_pid(db)  # no error: the check found it dead, the pool made a new one
    assert second != first
    assert await backend_pid(db) == second  # and the new one is kept


async def test_a_connection_used_a_moment_ago_is_trusted_and_its_loss_costs_one_transaction(
    never_checked: Database, pg_url: str
) -> None:
    """The trade-off, shown: with no check the dropped connection reaches the transaction,
    which fails (the inbox keeps the update for a redelivery or the sweeper), and the pool
    then replaces its connections, so the next transaction runs."""
    db = never_checked
    first = await backend_pid(db)
    await terminate(pg_url, first)

    with pytest.raises(DBAPIError) as failed:
        await backend_pid(db)
    assert failed.value.connection_invalidated
    assert await backend_pid(db) != first
