"""The handoff migration (handoff_0001) rolls back and forward on its own branch, on SQLite
and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.db import Database


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_handoff_migration_downgrades_and_upgrades_alone(db: Database) -> None:
    await migrate.downgrade(db, "handoff_0001-1")
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert not {"handoff_conversations", "handoff_messages"} & tables
    assert {"residents", "outbox"} <= tables
    assert "handoff_0001" not in await migrate.current_revisions(db)

    await migrate.upgrade(db)
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert {"handoff_conversations", "handoff_messages"} <= tables
    assert await migrate.at_head(db)
