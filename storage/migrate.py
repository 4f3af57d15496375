"""Run Alembic migrations programmatically (the CLI's `migrate` and the embedded default).

Whether the schema is current (`at_head`: start-up, `/readyz`) is answered without Alembic:
the heads are read from the scripts' `revision` / `down_revision` lines (`ast`, no import of
the scripts) and the applied revisions from `alembic_version`. Alembic — with Mako and
Pygments, ~30 MB and ~0.3 s — is imported only when something is to be migrated, so a
service restarting on a current schema never loads it (tests/test_idle_memory.py).
"""

from __future__ import annotations

import ast
import asyncio
import functools
import sys
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.config import PROJECT_ROOT
from storage.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = PROJECT_ROOT / "storage" / "migrations" / "versions"
VERSION_TABLE = "alembic_version"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "storage" / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    from alembic import command

    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade(connection: Connection, config: Config, revision: str) -> None:
    from alembic import command

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


def _assigned(tree: ast.Module, name: str) -> Any:
    """The literal a module assigns to `name` (`x = …` or `x: T = …`), or None."""
    for node in tree.body:
        target: ast.expr
        value: ast.expr | None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == name and value is not None:
            return ast.literal_eval(value)
    return None


@functools.cache
def head_revisions() -> frozenset[str]:
    """The scripts' heads (revisions no other script revises), read once per process from
    their `revision` and `down_revision` assignments; they do not change while it runs."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in sorted(VERSIONS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        revision = _assigned(tree, "revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        down = _assigned(tree, "down_revision")
        if isinstance(down, str):
            revised.add(down)
        elif isinstance(down, tuple | list):
            revised.update(str(item) for item in down)
    return frozenset(revisions - revised)


async def current_revisions(db: Database) -> set[str]:
    """The revisions applied (`alembic_version`); empty for a database never migrated."""

    def _current(connection: Connection) -> set[str]:
        if not inspect(connection).has_table(VERSION_TABLE):
            return set()
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return {str(row[0]) for row in rows}

    async with db.engine.connect() as conn:
        return await conn.run_sync(_current)


async def at_head(db: Database) -> bool:
    return await current_revisions(db) == head_revisions()


async def upgrade_in_child(url: str) -> None:
    """Upgrade to the heads in a child process (`python -m storage.migrate URL`), so that
    Alembic's imports never enter the calling service's memory. Raises SystemExit with the
    child's last lines when it fails."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "storage.migrate",
        url,
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await child.communicate()
    if child.returncode != 0:
        tail = "\n".join(output.decode("utf-8", "replace").strip().splitlines()[-5:])
        raise SystemExit(f"svoi: migrating the database failed:\n{tail}")


async def _upgrade_url(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


if __name__ == "__main__":  # the child of `upgrade_in_child`
    asyncio.run(_upgrade_url(sys.argv[1]))
