"""Real databases for tests: a migrated SQLite file per test, and a throwaway PostgreSQL
database per test run (emptied between tests).

PostgreSQL comes from `SVOI_TEST_PG_URL` (default: the local server, user postgres). When it
cannot be reached the PostgreSQL half of the suite is skipped with a reason, unless
`SVOI_REQUIRE_PG=1` (CI sets it), in which case the run fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage import migrate
from storage.db import Database
from storage.models import Base

PG_ADMIN_URL = os.environ.get(
    "SVOI_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("SVOI_REQUIRE_PG") == "1"


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _pg_reachable() -> str | None:
    try:
        conn = await asyncpg.connect(asyncpg_dsn(PG_ADMIN_URL), timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


def pg_unavailable_reason() -> str | None:
    return asyncio.run(_pg_reachable())


class PostgresTestDatabase:
    """One database for the whole run, named after the process so parallel runs coexist."""

    def __init__(self) -> None:
        self.name = f"svoi_test_{os.getpid()}"
        self.url = (
            make_url(PG_ADMIN_URL).set(database=self.name).render_as_string(hide_password=False)
        )

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(asyncpg_dsn(PG_ADMIN_URL))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def create(self) -> None:
        async def go() -> None:
            await self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            await self._admin(f'CREATE DATABASE "{self.name}"')
            db = Database(self.url)
            await migrate.upgrade(db)
            await db.dispose()

        asyncio.run(go())

    def drop(self) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


async def truncate_all(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with db.transaction() as session:
        await session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


class SqliteTemplate:
    """Migrate once, copy the file for every test: fast and still migration-made."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.sqlite3"

    def create(self) -> None:
        async def go() -> None:
            db = Database(f"sqlite+aiosqlite:///{self.path}")
            await migrate.upgrade(db)
            await db.dispose()  # the last connection to close folds the WAL into the file

        asyncio.run(go())

    def copy_to(self, target: Path) -> str:
        shutil.copyfile(self.path, target)
        return f"sqlite+aiosqlite:///{target}"
