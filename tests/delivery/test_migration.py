"""The delivery migration (delivery_0001) rolls back and forward on its own branch, on
SQLite and PostgreSQL, without touching the other features' tables."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.db import Database


def _schema(connection: Connection) -> tuple[set[str], set[str]]:
    inspector = inspect(connection)
    indexes = {ix["name"] or "" for ix in inspector.get_indexes("outbox")}
    return set(inspector.get_table_names()), indexes


async def test_delivery_migration_downgrades_and_upgrades_alone(db: Database) -> None:
    await migrate.downgrade(db, "delivery_0001-1")
    async with db.engine.connect() as conn:
        tables, indexes = await conn.run_sync(_schema)
    assert "delivery_mutes" not in tables and "delivery_broadcasts" not in tables
    assert "ix_outbox_claim" not in indexes and "outbox" in tables
    assert "delivery_0001" not in await migrate.current_revisions(db)

    await migrate.upgrade(db)
    async with db.engine.connect() as conn:
        tables, indexes = await conn.run_sync(_schema)
    assert {"delivery_mutes", "delivery_broadcasts"} <= tables
    assert "ix_outbox_claim" in indexes
    assert await migrate.at_head(db)


def test_notification_rows_fill_exactly_the_bulk_insert_columns() -> None:
    from bot.delivery.outbox import Notification
    from storage import clock
    from storage.models.outbox import INSERT_COLUMNS, OutboxMessage

    row = Notification(1, "telegram", "42", "broadcast", "k", text="hi").row(clock.now())
    assert tuple(row) == INSERT_COLUMNS
    assert set(INSERT_COLUMNS) <= set(OutboxMessage.__table__.columns.keys())


def _outbox_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("outbox")}


async def test_the_claim_holder_migration_downgrades_and_upgrades(db: Database) -> None:
    """delivery_0004: `claimed_by` and `reclaims` (failover in seconds, honest reports)."""
    await migrate.downgrade(db, "delivery_0003")
    async with db.engine.connect() as conn:
        columns = await conn.run_sync(_outbox_columns)
    assert not {"claimed_by", "reclaims"} & columns
    await migrate.upgrade(db)
    async with db.engine.connect() as conn:
        columns = await conn.run_sync(_outbox_columns)
    assert {"claimed_by", "reclaims"} <= columns
    assert await migrate.at_head(db)


def _broadcast_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("delivery_broadcasts")}


async def test_the_news_digest_count_migration_downgrades_and_upgrades(db: Database) -> None:
    """delivery_0006: `digested`, the residents who get a broadcast in their news digest."""
    await migrate.downgrade(db, "delivery_0005")
    async with db.engine.connect() as conn:
        assert "digested" not in await conn.run_sync(_broadcast_columns)
    await migrate.upgrade(db)
    async with db.engine.connect() as conn:
        assert {"recipients", "digested"} <= await conn.run_sync(_broadcast_columns)
    assert await migrate.at_head(db)
