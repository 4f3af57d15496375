"""Who gets into the console: logged out and viewers are refused on every page and action,
a POST without the session's CSRF token (or from another origin) is refused, repeated
failed logins lock the account, cookies carry the right flags, and a demoted operator loses
the console at the next request. Refusals are audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import Svoi
from bot.channels.web.admin.auth import COOKIE, MAX_FAILURES
from storage.db import Database
from storage.models.access import AuditEntry
from storage.repos.access import RoleRepo
from tests.web.conftest import (
    OPERATOR,
    PASSWORD,
    VIEWER,
    WebService,
    add_account,
    csrf_of,
    login,
    start_web,
    stop_web,
    text,
    web_settings,
)

PARAMS = {
    r"{id:\d+}": "1",
    r"{code:c\d{1,3}}": "c1",
    "{action:open|close}": "open",
    "{key:[0-9a-f]{32}}": "0" * 32,
}


def concrete(path: str) -> str:
    for pattern, value in PARAMS.items():
        path = path.replace(pattern, value)
    assert "{" not in path, path
    return path


def routes(web: WebService, method: str) -> list[str]:
    found = [concrete(p) for m, p in web.channel.console.routes if m == method]
    return found + [p.replace("/open", "/close") for p in found if p.endswith("/open")]


async def audit(db: Database, **where: Any) -> list[AuditEntry]:
    async with db.transaction() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        return list((await session.execute(query)).scalars())


async def test_logged_out_is_refused_everywhere(web: WebService) -> None:
    client = web.client
    pages, actions = routes(web, "GET"), routes(web, "POST")
    assert len(pages) == 28 and len(actions) == 19
    for path in pages:
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303, path
        assert response.headers["Location"].startswith("/admin/login?next="), path
    for path in actions:
        response = await client.post(path, data={"csrf": "guess"}, allow_redirects=False)
        assert response.status == 403, path
        assert "Увійдіть" in await response.text()


async def test_a_viewer_is_refused_everywhere_and_it_is_audited(web: WebService) -> None:
    await add_account(web.svoi, VIEWER, "viewer")
    client = web.client
    assert (await login(client, VIEWER)).status == 303
    for path in routes(web, "GET"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 403, path
        assert "(спостерігач)" in await response.text()  # the role by its name
    for path in routes(web, "POST"):
        response = await client.post(path, data={"csrf": "x"}, allow_redirects=False)
        assert response.status == 403, path
    refused = await audit(web.svoi.db, actor=VIEWER, outcome="refused")
    assert len(refused) == len(routes(web, "GET")) + len(routes(web, "POST"))


async def test_posts_without_the_csrf_token_are_refused(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    token = await csrf_of(operator)
    for path in routes(web, "POST"):
        missing = await operator.post(path, data={"text": "x"}, allow_redirects=False)
        assert missing.status == 403, path
        wrong = await operator.post(path, data={"csrf": token[::-1]}, allow_redirects=False)
        assert wrong.status == 403, path
    cross = await operator.post(
        "/admin/polls",
        data={"csrf": token, "question": "Q?", "options": "a\nb"},
        headers={"Origin": "https://evil.example"},
        allow_redirects=False,
    )
    assert cross.status == 403
    header = await operator.post(
        "/admin/polls",
        data={"question": "Q?", "options": "a\nb"},
        headers={"X-CSRF-Token": token},
        allow_redirects=False,
    )
    assert header.status == 303
    assert (
        len(await audit(web.svoi.db, action="web-admin-csrf")) == 2 * len(routes(web, "POST")) + 1
    )


async def test_repeated_failures_lock_the_account(web: WebService) -> None:
    await add_account(web.svoi, OPERATOR, "operator")
    client = web.client
    for attempt in range(MAX_FAILURES):
        response = await login(client, OPERATOR, "wrong password!!")
        assert response.status == 401, attempt
        page = await response.text()
    assert "заблоковано" in page
    locked = await login(client, OPERATOR, PASSWORD)
    assert locked.status == 401 and "заблоковано" in await locked.text()
    assert COOKIE not in locked.cookies
    assert (await client.get("/admin/", allow_redirects=False)).status == 303
    outcomes = [e.outcome for e in await audit(web.svoi.db, action="web-login")]
    assert outcomes == ["refused"] * (MAX_FAILURES - 1) + ["locked", "locked"]


async def test_an_unknown_account_and_a_forged_login_form_are_refused(web: WebService) -> None:
    client = web.client
    unknown = await login(client, "telegram:999", PASSWORD)
    assert unknown.status == 401 and "Неправильний" in await unknown.text()
    nonsense = await login(client, "<script>", PASSWORD)
    assert nonsense.status == 401
    forged = await client.post(
        "/admin/login",
        data={"login_token": "forged", "account": OPERATOR, "password": PASSWORD},
    )
    assert forged.status == 403


async def test_session_cookie_flags_and_logout(web: WebService) -> None:
    await add_account(web.svoi, OPERATOR, "operator")
    client = web.client
    response = await login(client, OPERATOR)
    assert response.status == 303 and response.headers["Location"] == "/admin/"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/admin"
    assert not cookie["secure"]
    page = await client.get("/admin/")
    assert page.status == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text())
    assert token is not None
    out = await client.post("/admin/logout", data={"csrf": token.group(1)}, allow_redirects=False)
    assert out.status == 303
    client.session.cookie_jar.update_cookies({COOKIE: cookie.value}, client.make_url("/admin/"))
    assert (await client.get("/admin/", allow_redirects=False)).status == 303  # ended


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_secure_cookies_behind_https(svoi: Svoi, db_url: str, db: Database) -> None:
    secure = Svoi.create(web_settings(db_url, public_base_url="https://svoi.example.org"), db)
    service = await start_web(secure)
    try:
        await add_account(secure, OPERATOR, "operator")
        form = await service.client.get("/admin/login")
        login_cookie = form.cookies["svoi_admin_login"]
        assert login_cookie["secure"] and login_cookie["samesite"] == "Strict"
        # The client keeps Secure cookies off plain HTTP, as a browser would: send it by hand.
        response = await service.client.post(
            "/admin/login",
            data={"login_token": login_cookie.value, "account": OPERATOR, "password": PASSWORD},
            headers={"Cookie": f"svoi_admin_login={login_cookie.value}"},
            allow_redirects=False,
        )
        assert response.status == 303
        assert response.cookies[COOKIE]["secure"]
        chat = await service.client.get("/")
        (header,) = [h for h in chat.headers.getall("Set-Cookie") if h.startswith("svoi_web=")]
        assert "; Secure;" in header and "SameSite=None" in header and "Partitioned" in header
    finally:
        await stop_web(service)


async def test_a_demoted_operator_loses_the_console_at_once(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    assert (await operator.get("/admin/feedback")).status == 200
    async with web.svoi.db.transaction() as session:
        await RoleRepo(session).grant("telegram", "5550001", "viewer", granted_by="test")
    assert (await operator.get("/admin/feedback", allow_redirects=False)).status == 403
    async with web.svoi.db.transaction() as session:
        await RoleRepo(session).revoke("telegram", "5550001")
    assert (await operator.get("/admin/", allow_redirects=False)).status == 403


async def test_an_open_redirect_after_login_is_not_followed(web: WebService) -> None:
    await add_account(web.svoi, OPERATOR, "operator")
    client = web.client
    page = await text(await client.get("/admin/login?next=https://evil.example/"))
    assert 'name="next" value="/admin/"' in page
    token = re.search(r'name="login_token" value="([^"]+)"', page)
    assert token is not None
    response = await client.post(
        "/admin/login",
        data={
            "login_token": token.group(1),
            "account": OPERATOR,
            "password": PASSWORD,
            "next": "//evil.example/admin",
        },
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/admin/"
