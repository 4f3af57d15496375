"""Fixtures: every database-backed test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import Svoi
from bot.config import Settings
from storage import clock
from storage.db import Database
from tests.support.clock import TEST_START
from tests.support.conversation import Resident
from tests.support.databases import (
    REQUIRE_PG,
    PostgresTestDatabase,
    SqliteTemplate,
    pg_unavailable_reason,
    truncate_all,
)
from tests.support.outage import DatabaseOutage

OPERATOR = ("test", "operator-1")


@pytest.fixture(autouse=True)
def test_clock() -> Iterator[clock.SetClock]:
    """Every test runs on the same day and hour, whatever the machine's clock says.

    The clock starts at `TEST_START` (a summer weekday, late morning in Kyiv: outside the
    default quiet hours and far from a DST change) and runs at real speed, so leases and
    retries behave as usual. Tests about quiet hours, DST nights or reminders set it.
    """
    with clock.use(clock.SetClock(TEST_START)) as test_time:
        yield test_time


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    template = SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))
    template.create()
    return template


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresTestDatabase]:
    reason = pg_unavailable_reason()
    if reason is not None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (SVOI_REQUIRE_PG=1) but unreachable: {reason}")
        pytest.skip(f"PostgreSQL unreachable ({reason}); set SVOI_TEST_PG_URL")
    database = PostgresTestDatabase()
    database.create()
    yield database
    database.drop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: SqliteTemplate = request.getfixturevalue("sqlite_template")
        return template.copy_to(tmp_path / "svoi.sqlite3")
    pg: PostgresTestDatabase = request.getfixturevalue("postgres_database")
    return pg.url


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    if not database.is_sqlite:
        await truncate_all(database)
    yield database
    await database.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url,
        operators=f"{OPERATOR[0]}:{OPERATOR[1]}",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
async def svoi(settings: Settings, db: Database) -> AsyncIterator[Svoi]:
    app = Svoi.create(settings, db)
    yield app


@pytest.fixture
def resident(svoi: Svoi) -> Resident:
    return Resident.on(svoi.engine)


@pytest.fixture
def operator(svoi: Svoi) -> Resident:
    return Resident.on(svoi.engine, user_id=OPERATOR[1])


@pytest.fixture
async def outage(db_url: str) -> AsyncIterator[DatabaseOutage]:
    """The test's database behind a proxy (PostgreSQL) or a movable file (SQLite), so the
    test can take it away and bring it back."""
    handle = DatabaseOutage(db_url)
    await handle.prepare()
    yield handle
    await handle.close()
