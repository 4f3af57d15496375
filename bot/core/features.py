"""A feature package's one record of what it gives the application.

Each package under dialogs/ exports `FEATURE = Feature(...)`; the application iterates
`dialogs.FEATURES` instead of naming features: the engine's registry (flows, menu entry,
global actions, deep links, commands, broadcast audiences — all added by `register`), the
shipped content loaded into an empty database at start-up, and HTTP routes (such as the
waste calendar's .ics links). Residents' personal data needs no hook: /mydata and /deleteme
find every table that refers to a resident (storage/repos/personal_data.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

    from bot.core.engine import Registry
    from storage.db import Database


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    register: Callable[[Registry], None]
    # Imports the shipped content (content/<feature>.yaml) into a database that has none of
    # the feature's data; True when it did. What the city's staff imported is never touched.
    shipped_content: Callable[[Database], Awaitable[bool]] | None = None
    # Adds the feature's HTTP routes to the service's application (given the running Svoi).
    add_routes: Callable[[web.Application, Any], None] | None = None
