"""The services migration goes down and up again on its own branch, on both databases."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, inspect, select
from sqlalchemy.engine import Connection

from dialogs.services import ensure_default_catalogue
from storage import clock, migrate
from storage.db import Database
from storage.models.base import UTCDateTime
from storage.models.services import ServiceQuestion
from storage.repos.residents import ResidentRepo

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

    await migrate.downgrade(db, "services_0002@-2")  # the services branch, down to its root
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
