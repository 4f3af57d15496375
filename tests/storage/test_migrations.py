"""Migrations build the schema from empty, match the models, and roll back to empty."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.db import Database
from storage.models import Base
from tests.support.databases import truncate_all


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_matches_models_and_downgrade_empties(db: Database) -> None:
    if not db.is_sqlite:
        await truncate_all(db)
    assert await migrate.at_head(db)
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_diff) == []
        assert set(Base.metadata.tables) <= await conn.run_sync(_tables)

    await migrate.downgrade(db, "base")
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_tables) <= {"alembic_version"}
    assert await migrate.current_revisions(db) == set()

    await migrate.upgrade(db)
    assert await migrate.at_head(db)
