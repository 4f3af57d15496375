"""The linking migration (linking_0001) rolls back and forward on its own branch, on SQLite
and PostgreSQL, and keeps the residents and every feature's rows that refer to them (a copy
of `residents` on SQLite would cascade through them)."""

from __future__ import annotations

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection

from bot.app import Svoi
from storage import migrate
from storage.db import Database
from storage.models import Resident as ResidentRow
from storage.models.plan import Follow
from tests.support.conversation import Resident


def _schema(connection: Connection) -> tuple[set[str], set[str]]:
    inspector = inspect(connection)
    columns = {column["name"] for column in inspector.get_columns("residents")}
    return set(inspector.get_table_names()), columns


async def _counts(db: Database) -> tuple[int, int]:
    async with db.engine.connect() as conn:
        residents = (await conn.execute(select(func.count()).select_from(ResidentRow))).scalar()
        follows = (await conn.execute(select(func.count()).select_from(Follow))).scalar()
    return int(residents or 0), int(follows or 0)


async def test_linking_migration_downgrades_and_upgrades_keeping_rows(
    svoi: Svoi, plan: None, db: Database
) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send("/start c3")
    await resident.press("Follow progress")
    before = await _counts(db)
    assert before == (1, 1)

    await migrate.downgrade(db, "linking_0001@-1")  # the linking branch alone
    async with db.engine.connect() as conn:
        tables, columns = await conn.run_sync(_schema)
    assert not {"linking_codes", "linking_guesses"} & tables
    assert not {"profile_id", "notify_here"} & columns
    assert "linking_0001" not in await migrate.current_revisions(db)

    await migrate.upgrade(db)
    async with db.engine.connect() as conn:
        tables, columns = await conn.run_sync(_schema)
    assert {"linking_codes", "linking_guesses"} <= tables
    assert {"profile_id", "notify_here"} <= columns
    assert await migrate.at_head(db)
    assert await _counts(db) == before
