"""The tg_0001 migration goes up and down cleanly on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import migrate
from storage.db import Database


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return await _names(conn)


async def _names(conn: AsyncConnection) -> set[str]:
    return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_telegram_callbacks_table_comes_and_goes(db: Database) -> None:
    assert "telegram_callbacks" in await _tables(db)
    await migrate.downgrade(db, "tg_0001@-1")
    try:
        assert "telegram_callbacks" not in await _tables(db)
        assert "tg_0001" not in await migrate.current_revisions(db)
    finally:
        await migrate.upgrade(db, "heads")
    assert "telegram_callbacks" in await _tables(db)
    assert await migrate.at_head(db)
