"""Run Alembic migrations programmatically (the CLI's `migrate` and the embedded default)."""

from __future__ import annotations

import asyncio
import functools

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from bot.config import PROJECT_ROOT
from storage.db import Database


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "storage" / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade(connection: Connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def upgrade(db: Database, revision: str = "heads") -> None:
    config = alembic_config(db.url)
    async with db.engine.connect() as conn:
        await conn.run_sync(_upgrade, config, revision)
        await conn.commit()


async def downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db.url)
    async with db.engine.connect() as conn:
        await conn.run_sync(_downgrade, config, revision)
        await conn.commit()


@functools.cache
def head_revisions() -> frozenset[str]:
    """The scripts' heads, parsed once per process: they do not change while it runs, and
    parsing them costs ~15 ms of CPU (too much for every `/readyz`)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return frozenset(script.get_heads())


async def current_revisions(db: Database) -> set[str]:
    def _current(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with db.engine.connect() as conn:
        return await conn.run_sync(_current)


async def at_head(db: Database) -> bool:
    return await current_revisions(db) == head_revisions()


if __name__ == "__main__":  # pragma: no cover - convenience for developers
    asyncio.run(upgrade(Database("sqlite+aiosqlite:///var/svoi.sqlite3")))
