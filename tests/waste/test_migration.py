"""The waste migration goes up and down on a fresh SQLite file and a fresh PostgreSQL
database, and the schema it makes is the one the models describe."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

from storage import migrate
from storage.db import Database
from storage.models import Base
from storage.models.waste import WasteZone
from storage.repos.residents import ResidentRepo
from tests.support.databases import PG_ADMIN_URL, REQUIRE_PG, pg_unavailable_reason

WASTE_TABLES = {
    "waste_types",
    "waste_zones",
    "waste_streets",
    "waste_collection_rules",
    "waste_collection_exceptions",
    "waste_dropoff_points",
    "waste_ecobus_stops",
    "waste_subscriptions",
    "waste_calendar_links",
    "waste_reminder_watermark",
}


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgres"])
async def fresh_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}")
        yield database
        await database.dispose()
        return
    reason = await asyncio.to_thread(pg_unavailable_reason)
    if reason is not None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (SVOI_REQUIRE_PG=1) but unreachable: {reason}")
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    name = f"svoi_waste_mig_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(_dsn(PG_ADMIN_URL))
    await admin.execute(f'CREATE DATABASE "{name}"')
    database = Database(
        make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    )
    try:
        yield database
    finally:
        await database.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _tables(db: Database) -> set[str]:
    def names(conn: Connection) -> set[str]:
        return set(inspect(conn).get_table_names())

    async with db.engine.connect() as conn:
        return await conn.run_sync(names)


async def _waste_diff(db: Database) -> list[str]:
    def diff(conn: Connection) -> list[str]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return [str(d) for d in compare_metadata(context, Base.metadata) if "waste_" in str(d)]

    async with db.engine.connect() as conn:
        return await conn.run_sync(diff)


async def test_waste_migration_up_and_down(fresh_db: Database) -> None:
    await migrate.upgrade(fresh_db, "waste_0002")
    assert await _tables(fresh_db) >= WASTE_TABLES
    assert await _waste_diff(fresh_db) == []
    await migrate.downgrade(fresh_db, "0002")
    tables = await _tables(fresh_db)
    assert not tables & WASTE_TABLES and "outbox" in tables
    await migrate.upgrade(fresh_db, "waste_0002")
    assert await _tables(fresh_db) >= WASTE_TABLES


async def test_duplicate_subscriptions_merge_into_the_earliest(fresh_db: Database) -> None:
    """waste_0002: a resident's subscriptions to one address become one (the earliest, with
    every waste type any of them had); other residents' and other addresses' stay."""
    await migrate.upgrade(fresh_db)
    async with fresh_db.transaction() as session:
        first, _ = await ResidentRepo(session).upsert_for_turn("t", "a", locale="uk")
        second, _ = await ResidentRepo(session).upsert_for_turn("t", "b", locale="uk")
        zone = WasteZone(code="z", name_uk="Зона", name_en="Zone", is_example=True)
        session.add(zone)
        await session.flush()
        ids = {"a": first.id, "b": second.id, "zone": zone.id}
    await migrate.downgrade(fresh_db, "waste_0001")
    async with fresh_db.engine.begin() as conn:
        for sub_id, resident, address, types in (
            (1, ids["a"], "вул. Трудова, 5", '["mixed"]'),
            (2, ids["a"], "вул. Трудова, 5", '["glass", "mixed"]'),
            (3, ids["a"], "вул. Трудова, 7", '["mixed"]'),
            (4, ids["b"], "вул. Трудова, 5", '["mixed"]'),
        ):
            await conn.execute(
                text(
                    "INSERT INTO waste_subscriptions (id, resident_id, zone_id, address, types, "
                    "remind_offset, remind_hour, paused, created_at) "
                    "VALUES (:id, :resident, :zone, :address, :types, -1, 19, false, :now)"
                ),
                {
                    "id": sub_id,
                    "resident": resident,
                    "zone": ids["zone"],
                    "address": address,
                    "types": types,
                    "now": datetime(2026, 6, 1, tzinfo=UTC),
                },
            )
    await migrate.upgrade(fresh_db)
    async with fresh_db.engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT id, resident_id, address, types FROM waste_subscriptions ORDER BY id")
            )
        ).all()
    merged = [(r[0], r[1], r[2], json.loads(r[3]) if isinstance(r[3], str) else r[3]) for r in rows]
    assert merged == [
        (1, ids["a"], "вул. Трудова, 5", ["mixed", "glass"]),
        (3, ids["a"], "вул. Трудова, 7", ["mixed"]),
        (4, ids["b"], "вул. Трудова, 5", ["mixed"]),
    ]
