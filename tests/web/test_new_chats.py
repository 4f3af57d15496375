"""A script that drops its cookies starts a new web resident with every message: new chats
are limited per client address (WEB_NEW_CHATS_PER_HOUR), the address read through trusted
proxies only (TRUSTED_PROXIES). Real HTTP to the service on 127.0.0.1."""

from __future__ import annotations

import itertools
from typing import Any

import aiohttp
import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from bot.app import Svoi
from bot.channels.web.clients import NewIdentityLimit, limit_key
from bot.config import Settings
from storage.db import Database
from storage.models import Resident
from tests.web.conftest import WebService, start_web, stop_web, web_settings

PER_HOUR = 3
ids = itertools.count()


@pytest.fixture
def settings(db_url: str) -> Settings:
    # For the `web` fixture. Loopback (the test client) and 10.0.0.0/8 are proxies;
    # 192.0.2.0/24 is not.
    return web_settings(
        db_url, web_new_chats_per_hour=PER_HOUR, trusted_proxies="127.0.0.1, 10.0.0.0/8"
    )


async def new_chat(
    web: WebService, *, cookie: str | None = None, **headers: str
) -> aiohttp.ClientResponse:
    """One message from a client that keeps no cookies (unless it sends `cookie`)."""
    if cookie is not None:
        headers["Cookie"] = cookie
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
        response = await client.post(
            web.url("/web/api/send"),
            json={"id": f"newchat{next(ids):08d}", "type": "start"},
            headers=headers,
        )
        await response.read()
        return response


async def web_residents(db: Database) -> int:
    async with db.transaction() as session:
        result = await session.execute(
            select(func.count()).select_from(Resident).where(Resident.channel == "web")
        )
        return int(result.scalar_one())


def identity_cookie(response: aiohttp.ClientResponse) -> str:
    morsel = next(iter(response.cookies.values()))
    return f"{morsel.key}={morsel.value}"


async def test_new_chats_from_one_address_are_limited_and_kept_chats_are_not(
    web: WebService, db: Database
) -> None:
    answers = [await new_chat(web) for _ in range(PER_HOUR)]
    assert [a.status for a in answers] == [200] * PER_HOUR
    assert await web_residents(db) == PER_HOUR

    refused = await new_chat(web)
    assert refused.status == 429
    body: dict[str, Any] = await refused.json()
    assert body["error"].startswith("З вашої мережі цієї години почато забагато нових розмов")
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert not refused.cookies
    assert await web_residents(db) == PER_HOUR  # no resident for the refused message

    english = await new_chat(web, **{"Accept-Language": "en-GB,en;q=0.9"})
    assert english.status == 429
    assert (await english.json())["error"].startswith("Too many new chats")

    # A resident who kept the cookie goes on talking.
    again = await new_chat(web, cookie=identity_cookie(answers[0]))
    assert again.status == 200
    assert await web_residents(db) == PER_HOUR


async def test_a_fresh_cookie_from_the_page_is_a_new_chat_too(
    web: WebService, db: Database
) -> None:
    # The page hands every visitor a signed identity before the first message; fetching one
    # for each message must not get a script past the limit.
    statuses = []
    for _ in range(PER_HOUR + 1):
        # unsafe: keep cookies of an IP-address host (127.0.0.1), as a browser does.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            page = await browser.get(web.url("/"))
            page.release()
            answer = await browser.post(
                web.url("/web/api/send"), json={"id": f"page{next(ids):08d}", "type": "start"}
            )
            statuses.append(answer.status)
            if answer.status == 200:  # the resident exists now: their next message goes on
                again = await browser.post(
                    web.url("/web/api/send"), json={"id": f"page{next(ids):08d}", "type": "start"}
                )
                assert again.status == 200
    assert statuses == [200] * PER_HOUR + [429]
    assert await web_residents(db) == PER_HOUR


async def test_the_address_comes_from_trusted_proxies_only(web: WebService) -> None:
    # Through the proxy chain client → 10.1.2.3 → loopback, the client is the address left
    # of the last trusted hop; it gets its own allowance.
    behind = {"X-Forwarded-For": "198.51.100.7, 10.1.2.3"}
    assert [(await new_chat(web, **behind)).status for _ in range(PER_HOUR)] == [200] * 3
    assert (await new_chat(web, **behind)).status == 429
    assert (await new_chat(web, **{"X-Forwarded-For": "198.51.100.7"})).status == 429
    assert (await new_chat(web, **{"X-Forwarded-For": "198.51.100.8"})).status == 200

    # IPv6 clients count per /64: a household or server holds a whole one.
    for n in range(1, PER_HOUR + 1):
        assert (await new_chat(web, **{"X-Forwarded-For": f"2001:db8:1:2::{n}"})).status == 200
    assert (await new_chat(web, **{"X-Forwarded-For": "2001:db8:1:2:ffff::9"})).status == 429
    assert (await new_chat(web, **{"X-Forwarded-For": "2001:db8:1:3::1"})).status == 200

    # A hop that is no proxy of ours (192.0.2.1) is the client, whatever it claims before it:
    # forging the left part of the header buys nothing.
    forged = [f"203.0.113.{n}, 192.0.2.1" for n in range(PER_HOUR + 1)]
    statuses = [(await new_chat(web, **{"X-Forwarded-For": f})).status for f in forged]
    assert statuses == [200] * PER_HOUR + [429]


async def test_without_trusted_proxies_the_header_is_ignored(db_url: str, db: Database) -> None:
    svoi = Svoi.create(web_settings(db_url, web_new_chats_per_hour=1, trusted_proxies=""), db)
    web = await start_web(svoi)
    try:
        assert (await new_chat(web, **{"X-Forwarded-For": "198.51.100.1"})).status == 200
        # The peer (127.0.0.1) is no trusted proxy: its header cannot make it someone else.
        assert (await new_chat(web, **{"X-Forwarded-For": "198.51.100.2"})).status == 429
    finally:
        await stop_web(web)


def test_the_allowance_comes_back_an_hour_after_each_new_chat() -> None:
    now = [0.0]
    limit = NewIdentityLimit(2, clock=lambda: now[0])
    for at in (0.0, 600.0):
        now[0] = at
        assert limit.admit("198.51.100.1") == 0
    now[0] = 900.0
    assert limit.admit("198.51.100.1") == 2701  # the first start leaves the window at 3600 s
    assert limit.admit("198.51.100.2") == 0
    now[0] = 3600.0
    assert limit.admit("198.51.100.1") == 0


def test_zero_means_no_limit() -> None:
    limit = NewIdentityLimit(0)
    assert not limit.enabled
    for _ in range(1000):
        assert limit.admit("198.51.100.1") == 0


def test_limit_keys() -> None:
    assert limit_key("198.51.100.7") == "198.51.100.7"
    assert limit_key("::ffff:198.51.100.7") == "198.51.100.7"
    assert limit_key("2001:db8:1:2::1") == limit_key("2001:db8:1:2:abcd::ff") == "2001:db8:1:2::/64"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key("") == ""


def test_a_bad_trusted_proxy_entry_stops_the_start() -> None:
    with pytest.raises(ValidationError, match=r"10\.0\.0\.0/33"):
        web_settings("sqlite+aiosqlite:///unused.sqlite3", trusted_proxies="127.0.0.1, 10.0.0.0/33")


def test_the_least_recently_seen_addresses_are_forgotten_first() -> None:
    limit = NewIdentityLimit(1)
    limit.MAX_TRACKED = 3  # bounded memory, whatever number of addresses a flood comes from
    for address in ("a", "b", "c"):
        assert limit.admit(address) == 0
    assert [limit.admit(a) > 0 for a in ("a", "b", "c")] == [True, True, True]
    assert limit.admit("d") == 0
    assert limit.admit("b") > 0 and limit.admit("d") > 0
    assert limit.admit("a") == 0  # forgotten
