"""`X-Forwarded-For` from a trusted proxy names the client only when it holds an IP address:
any other text (a port, `unknown`, a made-up name) is ignored and the peer counts, so a
script cannot get a fresh new-chat allowance, or put its own text in the audit log, by
writing something new in the header each time. Real HTTP to the service on 127.0.0.1."""

from __future__ import annotations

import itertools

import aiohttp
import pytest
from sqlalchemy import select

from bot.config import Settings
from storage.models.access import AuditEntry
from tests.web.conftest import WebService, login, web_settings

ids = itertools.count()


@pytest.fixture
def settings(db_url: str) -> Settings:
    # Loopback (the test client) is the trusted proxy.
    return web_settings(db_url, web_new_chats_per_hour=1, trusted_proxies="127.0.0.1")


async def new_chat(web: WebService, forwarded_for: str) -> int:
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client,
        client.post(
            web.url("/web/api/send"),
            json={"id": f"forwarded{next(ids):06d}", "type": "start"},
            headers={"X-Forwarded-For": forwarded_for},
        ) as response,
    ):
        await response.read()
        return response.status


async def test_a_forwarded_for_that_is_no_address_is_ignored(web: WebService) -> None:
    # Each of these would have been a client of its own, with its own allowance.
    statuses = [
        await new_chat(web, header)
        for header in ("made-up-1", "made-up-2", "198.51.100.7:4431", "unknown, 127.0.0.1")
    ]
    assert statuses == [200, 429, 429, 429]  # all counted as the proxy, 127.0.0.1
    # A real address still names the client, in its usual form.
    assert await new_chat(web, "2001:DB8::1") == 200


async def test_the_console_audits_the_peer_when_the_header_is_no_address(
    web: WebService,
) -> None:
    client = web.client
    for header in ("<b>evil</b>", "2001:DB8::7"):
        client.session.headers["X-Forwarded-For"] = header
        assert (await login(client, "telegram:999", "wrong password!!")).status == 401
    async with web.svoi.db.transaction() as session:
        targets = (
            await session.execute(
                select(AuditEntry.target)
                .where(AuditEntry.action == "web-login")
                .order_by(AuditEntry.id)
            )
        ).scalars()
        assert list(targets) == ["127.0.0.1", "2001:db8::7"]
