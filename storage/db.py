"""The database handle: one async engine and session factory for SQLite or PostgreSQL.

SQLite runs in WAL mode with a busy timeout so the bot and a CLI command can share the file.
"""

from __future__ import annotations

import collections
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event, text
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

# What database code raises when the database is down or unreachable: SQLAlchemy's errors,
# and the driver's socket errors and timeouts that reach us unwrapped while connecting.
DATABASE_ERRORS: tuple[type[Exception], ...] = (SQLAlchemyError, OSError, TimeoutError)


# A pooled PostgreSQL connection unused for longer than this is checked (a round trip) before
# it is handed out; one used more recently is trusted (see `_ping_after_idle`).
IDLE_PING_SECONDS = 0.5


class Database:
    def __init__(
        self, url: str, *, echo: bool = False, idle_ping_seconds: float = IDLE_PING_SECONDS
    ) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # hide_parameters: a database error's text would otherwise carry the statement's
        # values — a resident's message, phone number or address — into the logs.
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.is_sqlite:
            database = parsed.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
            kwargs["module"] = _OneHopDBAPI(aiosqlite, sqlite3)
        else:
            kwargs.update(pool_size=10, max_overflow=10)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin_immediate)
        else:
            _ping_after_idle(self.engine, idle_ping_seconds)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def statement(self) -> AsyncIterator[AsyncConnection]:
        """A connection for ONE statement that needs no transaction around it (a single
        `INSERT` is atomic and durable when it returns). On PostgreSQL it runs in
        autocommit: no `BEGIN` and `COMMIT` round trips. SQLite keeps its transaction
        (`BEGIN IMMEDIATE`: the single-writer rule)."""
        if self.is_sqlite:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self.engine.connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _ping_after_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Check a pooled connection before use only when it sat unused for `idle_seconds`.

    `pool_pre_ping` checks on every checkout: a round trip before each transaction, two per
    turn (the inbox record and the turn) — measured at ~10 % of a turn's CPU under a burst,
    where every connection was in use a few milliseconds earlier. A connection that waited
    longer (a quiet spell, a database restarted meanwhile) is pinged; a dead one is
    replaced (the pool retries the checkout with a new connection). One that dies while in
    use fails its transaction, and SQLAlchemy then recycles every connection of the pool:
    the inbox keeps the update for a redelivery or the sweeper. Idle time is measured on
    the monotonic clock: it is about the connection, not about residents' time."""
    sync_engine = engine.sync_engine

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["svoi_idle_since"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("svoi_idle_since", None)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # a new connection, or one in use a moment ago
        try:
            sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failure: the pool takes a new connection
            raise DisconnectionError(f"pooled connection failed its check: {exc}") from exc

    event.listen(sync_engine, "checkin", checkin)
    event.listen(sync_engine, "checkout", checkout)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when a transaction starts (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # A deferred transaction that reads and then writes can fail at once with "database is
    # locked" when another one writes first; taking the write lock up front makes SQLite wait
    # (busy_timeout) instead, so concurrent turns queue rather than fail.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


# --- SQLite: one thread hop per statement -------------------------------------------------
# aiosqlite runs every sqlite3 call on its connection's thread, and SQLAlchemy's adapter makes
# three or four such calls per statement (open a cursor, execute, fetch, close): each is a
# queue put, a thread switch and a wake-up of the event loop. This cursor runs the whole
# statement — execute, fetch every row, close — in one call on that thread. Same connection,
# same thread, same single writer; only the number of round trips between threads changes.


def _run_statement(
    conn: sqlite3.Connection, operation: Any, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:  # no aiosqlite cursor: no hop
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    async def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
            run: Any = connection._execute  # aiosqlite's "call this on the connection's thread"
            description, rows, rowcount, lastrowid = await run(
                _run_statement, connection._conn, operation, parameters, many
            )
        self._description, self._rowcount, self._lastrowid = description, rowcount, lastrowid
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._run(operation, parameters, False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._run(operation, seq_of_parameters, True)

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass

    def nextset(self) -> None:
        pass


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _OneHopCursor


class _OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        connection = self.aiosqlite.connect(*arg, **kw)
        connection._thread.daemon = True  # as SQLAlchemy's own adapter does
        return _OneHopConnection(self, await_(connection))
