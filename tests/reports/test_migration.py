"""The reports and attachments migrations (reports_0001, attachments_0001: each its own
branch off 0002) roll back and forward on their own, with their indexes, on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.db import Database


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _indexes(connection: Connection, table: str) -> set[str]:
    return {str(i["name"]) for i in inspect(connection).get_indexes(table)}


@pytest.mark.parametrize(
    ("revision", "table", "index"),
    [
        ("reports_0001", "reports", "ix_reports_category_created"),
        ("attachments_0001", "attachments", "ix_attachments_purpose_owner"),
    ],
)
async def test_the_migration_downgrades_and_upgrades_alone(
    db: Database, revision: str, table: str, index: str
) -> None:
    await migrate.downgrade(db, f"{revision}-1")
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert table not in tables
    assert {"residents", "outbox"} <= tables  # the other branches stay
    assert revision not in await migrate.current_revisions(db)

    await migrate.upgrade(db)
    async with db.engine.connect() as conn:
        assert table in await conn.run_sync(_tables)
        assert index in await conn.run_sync(_indexes, table)
    assert await migrate.at_head(db)
