"""What an idle service holds in memory (issue 18: under 120 MB with no token): a restart on a
current schema never imports Alembic (with Mako and Pygments, ~30 MB), and the heads read
without it are Alembic's own. The figures are bench/idle_memory.py's (docs/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from storage import migrate
from storage.db import Database
from tests.support.process import PROJECT, clean_env

START_UP = """
import asyncio, sys
from bot.app import Svoi
from bot.config import Settings

async def main() -> None:
    svoi = Svoi.create(Settings())
    await svoi.prepare_database()
    await svoi.close()

asyncio.run(main())
heavy = sorted(name for name in ("alembic", "mako", "pygments") if name in sys.modules)
print("heavy:", ",".join(heavy) or "none")
"""


def _start_up(database: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", START_UP],
        cwd=PROJECT,
        env=clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{database}"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_service_never_imports_alembic_to_migrate_or_to_check(tmp_path: Path) -> None:
    database = tmp_path / "svoi.sqlite3"
    assert _start_up(database) == "heavy: none"  # a new file is migrated by a child process
    assert _start_up(database) == "heavy: none"  # the usual restart does not


def test_the_heads_read_from_the_scripts_are_alembics_own() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert migrate.head_revisions() == frozenset(script.get_heads())


async def test_a_database_never_migrated_is_behind(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        assert await migrate.current_revisions(db) == set()
        assert await migrate.at_head(db) is False
        await migrate.upgrade(db)
        assert await migrate.at_head(db) is True
    finally:
        await db.dispose()
