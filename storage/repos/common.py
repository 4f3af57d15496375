"""Helpers for statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """ "postgresql" or "sqlite": the database the session talks to."""
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def insert_ignoring_conflicts(session: AsyncSession, table: Table | Any) -> Any:
    """`INSERT … ON CONFLICT DO NOTHING` for the session's dialect (chain `.values()`)."""
    module: Any = postgresql if dialect_name(session) == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()


def dialect_module(name: str) -> Any:
    """The dialect's module (`postgresql` or `sqlite`) for its own `insert`."""
    return postgresql if name == "postgresql" else sqlite


def dialect_insert(session: AsyncSession, table: Table | Any) -> Any:
    """The dialect's own `insert` (for `on_conflict_do_update`)."""
    return dialect_module(dialect_name(session)).insert(table)
