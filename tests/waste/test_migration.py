"""The waste migration goes up and down on a fresh SQLite file and a fresh PostgreSQL
database, and the schema it makes is the one the models describe."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, Table, insert, inspect, select, text
from sqlalchemy.engine import Connection, make_url

from bot.core.i18n import localized
from storage import clock, migrate
from storage.db import Database
from storage.models import Base
from storage.models.waste import WasteSubscription, WasteZone
from storage.repos.residents import ResidentRepo
from storage.repos.waste import WasteRepo
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
    await migrate.upgrade(fresh_db, "waste_0003")
    assert await _tables(fresh_db) >= WASTE_TABLES
    assert await _waste_diff(fresh_db) == []
    await migrate.downgrade(fresh_db, "0002")
    tables = await _tables(fresh_db)
    assert not tables & WASTE_TABLES and "outbox" in tables
    await migrate.upgrade(fresh_db, "waste_0003")
    assert await _tables(fresh_db) >= WASTE_TABLES


async def test_duplicate_subscriptions_merge_into_the_earliest(fresh_db: Database) -> None:
    """waste_0002: a resident's subscriptions to one address become one (the earliest, with
    every waste type any of them had); other residents' and other addresses' stay."""
    await migrate.upgrade(fresh_db)
    async with fresh_db.transaction() as session:
        first, _ = await ResidentRepo(session).upsert_for_turn("t", "a", locale="uk")
        second, _ = await ResidentRepo(session).upsert_for_turn("t", "b", locale="uk")
        zone = WasteZone(code="z", name={"uk": "Зона", "en": "Zone"}, is_example=True)
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


def _old_tables(connection: Connection) -> dict[str, Table]:
    metadata = MetaData()
    return {name: Table(name, metadata, autoload_with=connection) for name in OLD_TABLES}


OLD_TABLES = (
    "waste_types",
    "waste_zones",
    "waste_streets",
    "waste_collection_rules",
    "waste_collection_exceptions",
    "waste_dropoff_points",
    "waste_ecobus_stops",
    "waste_subscriptions",
)


async def test_texts_by_language_survive_the_upgrade_and_the_downgrade(
    fresh_db: Database,
) -> None:
    """waste_0003 turns each `_uk`/`_en` pair into one `{"uk", "en"}` object: content
    imported before it reads the same afterwards, a resident's subscription to the zone stays,
    and going back restores the pairs."""
    await migrate.upgrade(fresh_db)
    async with fresh_db.transaction() as session:
        resident, _ = await ResidentRepo(session).upsert_for_turn("t", "a", locale="en")
    await migrate.downgrade(fresh_db, "waste_0002")
    now = clock.now()
    async with fresh_db.engine.begin() as conn:
        old = await conn.run_sync(_old_tables)
        await conn.execute(
            insert(old["waste_types"]).values(
                code="mixed",
                name_uk="Змішані відходи",
                name_en="Mixed waste",
                hint_uk="Пакети зав'язуйте",
                hint_en="",
                position=1,
            )
        )
        await conn.execute(
            insert(old["waste_zones"]).values(
                id=1,
                code="dubove",
                name_uk="Дубове",
                name_en="Dubove",
                kind="microdistrict",
                is_example=False,
            )
        )
        await conn.execute(
            insert(old["waste_streets"]).values(
                id=1,
                zone_id=1,
                kind="вул.",
                name_uk="Трудова",
                name_en="Trudova Street",
                aliases=[],
                side="all",
                is_example=False,
            )
        )
        await conn.execute(
            insert(old["waste_collection_rules"]).values(
                id=1,
                zone_id=1,
                waste_type="mixed",
                rrule="FREQ=WEEKLY;BYDAY=MO",
                dates=[],
                starts_on=date(2026, 1, 5),
                note_uk="До 8:00",
                note_en="",
                is_example=False,
            )
        )
        await conn.execute(
            insert(old["waste_collection_exceptions"]).values(
                id=1,
                zone_id=1,
                waste_type="mixed",
                original_date=date(2026, 12, 28),
                moved_to=date(2026, 12, 29),
                reason_uk="Ремонт дороги",
                reason_en="Road repairs",
                created_at=now,
            )
        )
        await conn.execute(
            insert(old["waste_dropoff_points"]).values(
                id=1,
                code="centre-1",
                kind="centre",
                phone="",
                name_uk="Центр поводження з відходами",
                name_en="Waste management centre",
                address_uk="вул. Вінницьке шосе, 3",
                address_en="3 Vinnytske Highway",
                hours_uk="Пн–Пт 9:00–17:00",
                hours_en="",
                accepts=[],
                is_example=False,
            )
        )
        await conn.execute(
            insert(old["waste_ecobus_stops"]).values(
                id=1,
                code="stop-1",
                place_uk="Майдан Незалежності",
                place_en="",
                starts_at=now + timedelta(days=1),
                ends_at=now + timedelta(days=1, hours=1),
                is_example=False,
            )
        )
        await conn.execute(
            insert(old["waste_subscriptions"]).values(
                id=1,
                resident_id=resident.id,
                zone_id=1,
                address="вул. Трудова, 5",
                types=["mixed"],
                remind_offset=-1,
                remind_hour=19,
                paused=False,
                created_at=now,
            )
        )

    await migrate.upgrade(fresh_db)
    assert await migrate.at_head(fresh_db)
    async with fresh_db.transaction() as session:
        repo = WasteRepo(session)
        [kind] = await repo.types()
        [zone] = await repo.zones()
        [street] = await repo.streets()
        [rule] = await repo.rules()
        [exception] = await repo.exceptions()
        [point] = await repo.dropoff_points()
        [stop] = await repo.ecobus_stops()
        subscriptions = (await session.execute(select(WasteSubscription))).scalars().all()
    assert (kind.name, kind.hint) == (
        {"uk": "Змішані відходи", "en": "Mixed waste"},
        {"uk": "Пакети зав'язуйте"},  # no English: read in Ukrainian
    )
    assert zone.name == {"uk": "Дубове", "en": "Dubove"}
    assert street.name == {"uk": "Трудова", "en": "Trudova Street"}
    assert rule.note == {"uk": "До 8:00"}
    assert exception.reason == {"uk": "Ремонт дороги", "en": "Road repairs"}
    assert (point.name["en"], point.address["en"]) == (
        "Waste management centre",
        "3 Vinnytske Highway",
    )
    assert localized(point.hours, "en") == "Пн–Пт 9:00–17:00"
    assert stop.place == {"uk": "Майдан Незалежності"}
    assert [(s.zone_id, s.address) for s in subscriptions] == [(1, "вул. Трудова, 5")]
    assert await _waste_diff(fresh_db) == []
    async with fresh_db.engine.connect() as conn:
        columns = await conn.run_sync(
            lambda c: {
                column["name"] for table in OLD_TABLES for column in inspect(c).get_columns(table)
            }
        )
    assert not {c for c in columns if c.endswith(("_uk", "_en"))}

    # A third language is data: the city names the zone in Polish without a schema change…
    async with fresh_db.transaction() as session:
        [zone] = await WasteRepo(session).zones()
        zone.name = {**zone.name, "pl": "Dubowe"}
    async with fresh_db.transaction() as session:
        [zone] = await WasteRepo(session).zones()
    assert localized(zone.name, "pl") == "Dubowe"

    # …and going back keeps Ukrainian and English (the Polish has no column to go to).
    await migrate.downgrade(fresh_db, "waste_0002")
    async with fresh_db.engine.connect() as conn:
        old = await conn.run_sync(_old_tables)
        back = {
            name: (await conn.execute(select(old[name]))).mappings().one() for name in OLD_TABLES
        }
    assert (back["waste_zones"]["name_uk"], back["waste_zones"]["name_en"]) == (
        "Дубове",
        "Dubove",
    )
    assert (back["waste_types"]["hint_uk"], back["waste_types"]["hint_en"]) == (
        "Пакети зав'язуйте",
        "",
    )
    assert back["waste_streets"]["name_en"] == "Trudova Street"
    assert back["waste_collection_rules"]["note_uk"] == "До 8:00"
    assert back["waste_collection_exceptions"]["reason_en"] == "Road repairs"
    assert back["waste_dropoff_points"]["hours_en"] == ""
    assert back["waste_ecobus_stops"]["place_uk"] == "Майдан Незалежності"
    assert back["waste_subscriptions"]["zone_id"] == 1
    await migrate.upgrade(fresh_db)
    assert await migrate.at_head(fresh_db)
