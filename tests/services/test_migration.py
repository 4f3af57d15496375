"""The services migration goes down and up again on its own branch, on both databases."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from dialogs.services import ensure_default_catalogue
from storage import migrate
from storage.db import Database

TABLES = {
    "services_offices",
    "services_categories",
    "services_services",
    "services_catalogue",
    "services_questions",
}


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_services_migration_down_and_up(db: Database) -> None:
    await ensure_default_catalogue(db)
    async with db.engine.connect() as conn:
        before = await conn.run_sync(_tables)
    assert before >= TABLES

    await migrate.downgrade(db, "services_0001@-1")
    async with db.engine.connect() as conn:
        after_down = await conn.run_sync(_tables)
    assert not after_down & TABLES
    assert after_down == before - TABLES  # other features' tables are untouched
    assert "services_0001" not in await migrate.current_revisions(db)

    await migrate.upgrade(db)
    assert await migrate.at_head(db)
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_tables) == before
    assert await ensure_default_catalogue(db) is True  # empty again, and usable
