"""The digests migration (digests_0001) rolls back and forward on its own branch, on
SQLite and PostgreSQL, without touching the other features' tables."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.db import Database


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_digests_migration_downgrades_and_upgrades_alone(db: Database) -> None:
    await migrate.downgrade(db, "digests_0001@-1")
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert not {"digest_preferences", "digest_items"} & tables
    assert {"outbox", "residents", "linking_codes"} <= tables
    assert "digests_0001" not in await migrate.current_revisions(db)

    await migrate.upgrade(db)
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert {"digest_preferences", "digest_items"} <= tables
    assert await migrate.at_head(db)
