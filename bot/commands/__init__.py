"""Feature subcommands of `python -m bot` (content, services, waste, broadcast, roles, ...).

Each module here defines `register(subparsers)`, adding its parser with
`set_defaults(handler=fn)` where `fn(args, settings) -> int` is the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeAlias

from bot.config import Settings
from storage import migrate
from storage.db import Database

if TYPE_CHECKING:
    SubParsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def register_all(subparsers: SubParsers) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        hook = getattr(module, "register", None)
        if callable(hook):
            hook(subparsers)


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[Database]:
    """The configured database for one command, disposed afterwards. The embedded SQLite
    default migrates itself (as `run` does); PostgreSQL must already be at the head
    (`python -m bot migrate`, a release step), or the command stops with that advice."""
    db = Database(settings.database_url)
    try:
        if db.is_sqlite:
            await migrate.upgrade(db)
        elif not await migrate.at_head(db):
            raise SystemExit(
                "svoi: the database schema is not current: run `python -m bot migrate`"
            )
        yield db
    finally:
        await db.dispose()
