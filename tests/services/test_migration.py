"""The services migrations go down and up again on their own branch, on both databases, and
keep the rows they convert."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Connection

from bot.core.i18n import localized
from dialogs.services import ensure_default_catalogue
from storage import clock, migrate
from storage.db import Database
from storage.models.base import UTCDateTime
from storage.models.services import ServiceQuestion
from storage.repos.residents import ResidentRepo
from storage.repos.services import ServiceRepo

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

    await migrate.downgrade(db, "services_0003@-3")  # the services branch, down to its root
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


async def test_questions_asked_before_answers_existed_survive_the_upgrade(db: Database) -> None:
    """services_0002 adds the answer columns: a question stored under services_0001 is kept,
    waiting for its answer."""
    await migrate.upgrade(db)
    await migrate.downgrade(db, "services_0001")
    async with db.transaction() as session:
        resident, _ = await ResidentRepo(session).upsert_for_turn("test", "q-1", locale="uk")
        questions = Table(
            "services_questions",
            MetaData(),
            Column("id", Integer, primary_key=True),
            Column("resident_id", Integer),
            Column("search_query", String),
            Column("text", Text),
            Column("status", String),
            Column("created_at", UTCDateTime()),
        )  # the table as services_0001 left it
        await session.execute(
            insert(questions).values(
                resident_id=resident.id,
                search_query="",
                text="Коли відремонтують зупинку?",
                status="new",
                created_at=clock.now(),
            )
        )
    await migrate.upgrade(db)
    async with db.transaction() as session:
        rows = (await session.execute(select(ServiceQuestion))).scalars().all()
    assert [(r.text, r.status, r.answer) for r in rows] == [
        ("Коли відремонтують зупинку?", "new", None)
    ]


def _pairs(table: Table, given: dict[str, Any]) -> dict[str, Any]:
    """A row of a services_0002 table: every `_uk`/`_en` column the test does not give is
    empty, as the old importer wrote it."""
    row = dict(given)
    for column in table.columns:
        if column.name.endswith(("_uk", "_en")) and column.name not in row:
            row[column.name] = [] if isinstance(column.type, JSON) else ""
    return row


def _old_tables(connection: Connection) -> dict[str, Table]:
    metadata = MetaData()
    names = ("services_offices", "services_categories", "services_services")
    return {name: Table(name, metadata, autoload_with=connection) for name in names}


async def test_texts_by_language_survive_the_upgrade_and_the_downgrade(db: Database) -> None:
    """services_0003 turns each `_uk`/`_en` pair into one `{"uk", "en"}` object: a catalogue
    imported before it reads the same afterwards, and going back restores the pairs."""
    await migrate.upgrade(db)
    await migrate.downgrade(db, "services_0002")
    now = clock.now()
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_old_tables)
        offices, categories, services = (
            tables["services_offices"],
            tables["services_categories"],
            tables["services_services"],
        )
        office = _pairs(
            offices,
            {
                "code": "cnap",
                "position": 1,
                "example": False,
                "name_uk": "ЦНАП Хмельницької міської ради",
                "name_en": "Khmelnytskyi Administrative Services Centre",
                "address_uk": "вул. Соборна, 16",
                "hours_example": True,
                "phones": ["+380 382 76-58-61"],
                "email": "",
                "website": "https://cnap.khm.gov.ua",
                "location_example": False,
                "updated_at": now,
            },
        )
        await conn.execute(insert(offices).values(id=1, **office))
        category = _pairs(
            categories,
            {"code": "passports", "position": 1, "title_uk": "Паспорти", "updated_at": now},
        )
        await conn.execute(insert(categories).values(id=1, **category))
        service = _pairs(
            services,
            {
                "code": "id-card",
                "category_id": 1,
                "office_id": 1,
                "position": 1,
                "example": False,
                "name_uk": "Паспорт громадянина України (ID-картка)",
                "name_en": "Passport of a citizen of Ukraine (ID card)",
                "documents_uk": ["свідоцтво про народження", "фото"],
                "documents_en": ["birth certificate"],
                "paid": True,
                "fee_uk": "279 грн",
                "online_url": "",
                "keywords": ["паспорт"],
                "updated_at": now,
            },
        )
        await conn.execute(insert(services).values(id=1, **service))
        await conn.commit()

    await migrate.upgrade(db)
    async with db.transaction() as session:
        [office_row] = await ServiceRepo(session).all_offices()
        [category_row] = await ServiceRepo(session).categories()
        [service_row] = await ServiceRepo(session).all_services()
    assert office_row.name == {
        "uk": "ЦНАП Хмельницької міської ради",
        "en": "Khmelnytskyi Administrative Services Centre",
    }
    assert office_row.address == {"uk": "вул. Соборна, 16"}  # no English: read in Ukrainian
    assert (office_row.hours, office_row.notice) == ({}, {})
    assert category_row.title == {"uk": "Паспорти"}
    assert service_row.documents == {
        "uk": ["свідоцтво про народження", "фото"],
        "en": ["birth certificate"],
    }
    assert localized(service_row.fee, "en") == "279 грн"
    assert (service_row.office_id, service_row.keywords) == (1, ["паспорт"])
    async with db.engine.connect() as conn:
        columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns("services_services")}
        )
    assert "name" in columns and not {c for c in columns if c.endswith(("_uk", "_en"))}

    # A third language is data: the city adds Polish without a schema change…
    async with db.transaction() as session:
        [service_row] = await ServiceRepo(session).all_services()
        service_row.name = {**service_row.name, "pl": "Paszport obywatela Ukrainy"}
    async with db.transaction() as session:
        [service_row] = await ServiceRepo(session).all_services()
    assert localized(service_row.name, "pl") == "Paszport obywatela Ukrainy"

    # …and going back keeps Ukrainian and English (the Polish has no column to go to).
    await migrate.downgrade(db, "services_0002")
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_old_tables)
        services = tables["services_services"]
        back = (await conn.execute(select(services))).mappings().one()
        offices = tables["services_offices"]
        office_back = (await conn.execute(select(offices))).mappings().one()
    assert (back["name_uk"], back["name_en"]) == (service["name_uk"], service["name_en"])
    assert (back["documents_uk"], back["documents_en"]) == (
        service["documents_uk"],
        service["documents_en"],
    )
    assert (back["fee_uk"], back["fee_en"], back["term_uk"]) == ("279 грн", "", "")
    assert (office_back["address_uk"], office_back["address_en"]) == ("вул. Соборна, 16", "")
    await migrate.upgrade(db)
    assert await migrate.at_head(db)
