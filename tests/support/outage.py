"""Stopping and restarting "the database" under a running Svoi, for durability tests.

PostgreSQL runs behind a TCP proxy on 127.0.0.1 that the test stops (listening socket closed,
live connections cut) and starts again on the same port. SQLite's file is moved away (the
engine's connections closed first), so the next connection finds an empty database, and is
moved back.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.db import Database


class PostgresProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers.difference_update((writer, up_writer))


class DatabaseOutage:
    """`url` is what Svoi must use; `stop()` takes the database away, `start()` brings it
    back with everything it held."""

    def __init__(self, db_url: str) -> None:
        self.original = db_url
        self.url = db_url
        self.proxy: PostgresProxy | None = None
        parsed = make_url(db_url)
        is_sqlite = parsed.get_backend_name() == "sqlite" and bool(parsed.database)
        self.sqlite_path = Path(str(parsed.database)) if is_sqlite else None

    async def prepare(self) -> str:
        if self.sqlite_path is None:
            parsed = make_url(self.original)
            self.proxy = PostgresProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
            await self.proxy.start()
            self.url = parsed.set(host="127.0.0.1", port=self.proxy.port).render_as_string(
                hide_password=False
            )
        return self.url

    def _files(self) -> list[Path]:
        assert self.sqlite_path is not None
        return [Path(f"{self.sqlite_path}{suffix}") for suffix in ("", "-wal", "-shm")]

    async def stop(self, db: Database) -> None:
        if self.proxy is not None:
            await self.proxy.stop()
            return
        await db.dispose()
        for path in self._files():
            if path.exists():
                shutil.move(path, path.with_name(path.name + ".away"))

    async def start(self, db: Database) -> None:
        if self.proxy is not None:
            await self.proxy.start()
            return
        await db.dispose()
        for path in self._files():
            path.unlink(missing_ok=True)
            away = path.with_name(path.name + ".away")
            if away.exists():
                shutil.move(away, path)

    async def close(self) -> None:
        if self.proxy is not None:
            await self.proxy.stop()
