"""`python -m bot roles set-password` as a real process, and the web_0001 migration going down
and up on both databases."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.app import Svoi
from storage import migrate
from storage.db import Database
from storage.models.access import AuditEntry, Role
from storage.repos.access import RoleRepo
from tests.support.process import PROJECT, clean_env
from tests.web.conftest import WebService, login

TABLES = {"web_pending", "web_admin_sessions", "web_admin_lockouts"}


def _set_password(
    db_url: str, address: str, password: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "roles", "set-password", address],
        cwd=PROJECT,
        env=clean_env(DATABASE_URL=db_url, **env),
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_set_password_then_log_in(web: WebService, db_url: str) -> None:
    svoi: Svoi = web.svoi
    async with svoi.db.transaction() as session:
        await RoleRepo(session).grant("telegram", "777001", "operator", granted_by="test")

    short = await asyncio.to_thread(_set_password, db_url, "telegram:777001", "short")
    assert short.returncode == 2 and "at least 12" in short.stderr
    nobody = await asyncio.to_thread(_set_password, db_url, "telegram:404", "long enough password")
    assert nobody.returncode == 1 and "grant one first" in nobody.stderr
    bad = await asyncio.to_thread(_set_password, db_url, "no-colon", "long enough password")
    assert bad.returncode == 2 and "channel:user_id" in bad.stderr

    done = await asyncio.to_thread(_set_password, db_url, "Telegram:777001", "long enough password")
    assert done.returncode == 0, done.stderr
    assert "console password set for telegram:777001 (operator)" in done.stdout
    async with svoi.db.transaction() as session:
        stored = (await session.execute(select(Role.password_hash))).scalar_one()
        actions = (await session.execute(select(AuditEntry.action))).scalars().all()
    assert stored is not None and stored.startswith("$argon2id$")
    assert "long enough password" not in stored
    assert "web-set-password" in actions
    assert (await login(web.client, "telegram:777001", "long enough password")).status == 303

    from_settings = await asyncio.to_thread(
        _set_password, db_url, "viber:op-9", "another long password", OPERATORS="viber:op-9"
    )
    assert from_settings.returncode == 0, from_settings.stderr
    assert "(operator)" in from_settings.stdout


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return await _names(conn)


async def _names(conn: AsyncConnection) -> set[str]:
    return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_the_web_tables_come_and_go(db: Database) -> None:
    assert await _tables(db) >= TABLES
    await migrate.downgrade(db, "web_0001@-1")
    try:
        assert not TABLES & await _tables(db)
        assert "web_0001" not in await migrate.current_revisions(db)
    finally:
        await migrate.upgrade(db, "heads")
    assert await _tables(db) >= TABLES
    assert await migrate.at_head(db)


def test_roles_grant_works_on_a_fresh_embedded_database(tmp_path: Path) -> None:
    # The first thing IT staff may run on a new machine, before `run` ever migrated it.
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}"
    run = [sys.executable, "-m", "bot", "roles"]
    env = clean_env(DATABASE_URL=db_url)
    granted = subprocess.run(
        [*run, "grant", "telegram:777002", "operator"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert granted.returncode == 0, granted.stderr
    listed = subprocess.run(
        [*run, "list"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert "telegram:777002\toperator" in listed.stdout
