"""Fixtures for the web channel: Svoi's HTTP app with the web chat and the console on a real
port (aiohttp's TestServer), the shipped plan loaded, console accounts with passwords, and
a browser-like client that logs in and reads CSRF tokens from the pages."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import Application

from bot.app import Svoi, build_web_app
from bot.channels.web import WebChannel
from bot.channels.web.admin.auth import set_password
from bot.channels.web.session import COOKIE, CookieSigner
from bot.config import Settings
from dialogs.plan.content import ensure_default_content
from storage.db import Database
from storage.repos.access import RoleRepo

SECRET = "test-web-secret-0123456789abcdef"
PASSWORD = "correct horse battery staple"
OPERATOR = "telegram:5550001"
VIEWER = "telegram:5550002"
ADMIN = "viber:admin-01"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')


def web_settings(db_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": db_url,
        "web_secret_key": SECRET,
        "flood_max_messages": 1000,
        # No quiet hours: a proactive message goes out whatever the time of the test run.
        "quiet_hours_start": time(0, 0),
        "quiet_hours_end": time(0, 0),
        **overrides,
    }
    return Settings(**values, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return web_settings(db_url)


@dataclass
class WebService:
    svoi: Svoi
    channel: WebChannel
    client: TestClient[Any, Any]

    def url(self, path: str = "/") -> str:
        return str(self.client.make_url(path))


async def start_web(
    svoi: Svoi,
    *,
    heartbeat: float = 0.5,
    more_channels: Callable[[Application], None] | None = None,
) -> WebService:
    app = build_web_app(svoi)
    channel = WebChannel(svoi, app, heartbeat=heartbeat)
    svoi.add_channel(channel)
    if more_channels is not None:
        more_channels(app)  # routes must be added before the server starts
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return WebService(svoi, channel, client)


async def stop_web(service: WebService) -> None:
    await service.channel.stop()
    await service.client.close()


@pytest.fixture
async def web(svoi: Svoi, db: Database) -> AsyncIterator[WebService]:
    assert await ensure_default_content(db) is True
    service = await start_web(svoi)
    yield service
    await stop_web(service)


async def add_account(svoi: Svoi, account: str, role: str, password: str = PASSWORD) -> None:
    channel, _, user_id = account.partition(":")
    async with svoi.db.transaction() as session:
        await RoleRepo(session).grant(channel, user_id, role, granted_by="test")
        await session.flush()
        await set_password(session, svoi.settings, channel, user_id, password)


def web_user(client: TestClient[Any, Any]) -> str:
    """The web-chat resident id in the client's signed cookie."""
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/")).get(COOKIE)
    assert cookie is not None
    user = CookieSigner(SECRET).verify(cookie.value)
    assert user is not None
    return user


async def chat_send(client: TestClient[Any, Any], action: dict[str, Any], **headers: str) -> Any:
    """One action of the web chat's page (`/web/api/send`) with a fresh id; its JSON answer."""
    body = {"id": f"act{asyncio.get_running_loop().time():.6f}".replace(".", "_"), **action}
    response = await client.post("/web/api/send", json=body, headers=headers)
    assert response.status == 200, await response.text()
    return await response.json()


def button_payload(answer: Any, label: str) -> str:
    """The payload of the one button of a web-chat answer whose label contains `label`."""
    found = [
        b["payload"]
        for m in answer["messages"]
        for row in m["buttons"]
        for b in row
        if "payload" in b and label in b["label"]
    ]
    labels = [b["label"] for m in answer["messages"] for row in m["buttons"] for b in row]
    assert len(found) == 1, (label, labels)
    return str(found[0])


async def text(response: ClientResponse) -> str:
    body = await response.text()
    response.release()
    return body


async def login(
    client: TestClient[Any, Any], account: str, password: str = PASSWORD
) -> ClientResponse:
    page = await text(await client.get("/admin/login"))
    token = LOGIN_TOKEN.search(page)
    assert token is not None
    return await client.post(
        "/admin/login",
        data={"login_token": token.group(1), "account": account, "password": password},
        allow_redirects=False,
    )


async def csrf_of(client: TestClient[Any, Any], path: str = "/admin/") -> str:
    found = CSRF.search(await text(await client.get(path)))
    assert found is not None, f"no CSRF token on {path}"
    return found.group(1)


@pytest.fixture
async def operator(web: WebService) -> TestClient[Any, Any]:
    """The service's client, logged in as an operator."""
    await add_account(web.svoi, OPERATOR, "operator")
    response = await login(web.client, OPERATOR)
    assert response.status == 303, await response.text()
    return web.client
