"""The service's own HTTP endpoints: health, readiness (also with the database gone), metrics."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import make_url

from bot.app import Svoi, build_web_app, make_runner
from bot.config import Settings
from bot.delivery.outbox import Notification, enqueue
from storage import migrate
from storage.db import Database
from tests.support.conversation import Resident
from tests.support.databases import PostgresTestDatabase
from tests.support.tcpproxy import TcpProxy


async def test_metrics_count_turns_and_outbox_depth(svoi: Svoi, db: Database) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    async with db.transaction() as session:
        await enqueue(session, [Notification(None, "test", "x", "broadcast", "k1", text="hi")])
    async with TestClient(TestServer(build_web_app(svoi))) as client:
        response = await client.get("/metrics")
        body = await response.text()
    assert response.status == 200
    assert 'svoi_updates_received_total{channel="test"}' in body
    assert 'svoi_outbox_messages{status="pending"} 1.0' in body
    assert "svoi_turn_seconds_bucket" in body


@pytest.fixture
async def behind_proxy(
    postgres_database: PostgresTestDatabase,
) -> AsyncIterator[tuple[TestClient[Any, Any], TcpProxy]]:
    """The service's HTTP app on PostgreSQL reached through a proxy the test can cut."""
    db_url = postgres_database.url
    settings = Settings(database_url=db_url, _env_file=None)  # type: ignore[call-arg]
    url = make_url(db_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    database = Database(proxy.url_for(db_url))
    svoi = Svoi.create(settings, database)
    try:
        async with TestClient(TestServer(build_web_app(svoi))) as client:
            yield client, proxy
    finally:
        await database.dispose()
        await proxy.stop()


async def test_readiness_follows_the_database(
    behind_proxy: tuple[TestClient[Any, Any], TcpProxy],
) -> None:
    client, proxy = behind_proxy
    assert (await client.get("/readyz")).status == 200
    proxy.cut()
    response = await client.get("/readyz")
    assert response.status == 503
    assert (await response.json())["checks"]["database"] == "unreachable"
    assert (await client.get("/healthz")).status == 200
    proxy.restore()
    response = await client.get("/readyz")
    assert response.status == 200, await response.text()


async def test_readiness_parses_the_migration_scripts_once(svoi: Svoi) -> None:
    await svoi.prepare_database()
    before = migrate.head_revisions.cache_info()
    async with TestClient(TestServer(build_web_app(svoi))) as client:
        for _ in range(3):
            assert (await client.get("/readyz")).status == 200
    info = migrate.head_revisions.cache_info()
    assert info.misses == before.misses  # answered from the heads read at start-up
    assert info.hits == before.hits + 3  # ... and each /readyz did ask for them


async def test_a_half_sent_request_is_closed_after_the_header_timeout(svoi: Svoi) -> None:
    svoi.settings.http_header_timeout = 1.0
    runner = make_runner(build_web_app(svoi), svoi.settings)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: svoi\r\n")  # the headers never end
        loop = asyncio.get_running_loop()
        started = loop.time()
        closed = False
        while not closed and loop.time() - started < 30:
            try:
                writer.write(b"X-Slow: 1\r\n")  # a slow-loris client keeps dripping headers
                await writer.drain()
                closed = await asyncio.wait_for(reader.read(1), 0.5) == b""
            except TimeoutError:
                continue
            except (ConnectionResetError, BrokenPipeError):
                closed = True
        held = loop.time() - started
        writer.close()
        assert closed, "the server kept a half-sent request open"
        assert held >= 0.8, "closed before the header timeout: something else closed it"

        # A whole request still gets its answer.
        async with ClientSession() as client, client.get(f"http://127.0.0.1:{port}/healthz") as ok:
            assert ok.status == 200
    finally:
        await runner.cleanup()


async def test_files_and_calendars_answer_503_while_the_database_is_down(
    behind_proxy: tuple[TestClient[Any, Any], TcpProxy],
) -> None:
    client, proxy = behind_proxy
    token = "t" * 32
    assert (await client.get(f"/files/{token}")).status == 404  # database up
    proxy.cut()
    for path in (f"/files/{token}", f"/waste/calendar/{token}.ics"):
        response = await client.get(path)
        body = await response.text()
        assert response.status == 503, (path, body)
        assert response.headers["Retry-After"] == "10"
        assert body == "«Свої» ненадовго недоступні. Спробуйте ще раз за хвилину."


async def test_an_error_that_is_not_the_database_stays_an_error(svoi: Svoi) -> None:
    """The 503 is for a database that does not answer, not for every OSError."""

    async def missing_file(_request: web.Request) -> web.Response:
        raise FileNotFoundError("content/nowhere.yaml")

    app = build_web_app(svoi)
    app.router.add_get("/broken", missing_file)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/broken")
    assert response.status == 500
    assert "Retry-After" not in response.headers
