"""Console logins under attack: a flood of attempts does not hold up residents, parallel
attempts on one account get no more password checks than the lock-out allows (on every
instance together), every attempt is audited and none fails, and accounts nobody holds are
tracked only up to a bound. Real HTTP to the service, real databases."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient
from sqlalchemy import func, insert, select

from bot.app import Svoi
from bot.channels.web.admin.auth import FAILURE_WINDOW, MAX_FAILURES
from bot.config import Settings
from storage import clock
from storage.db import Database
from storage.models.access import AuditEntry
from storage.models.web import WebAdminLockout
from storage.repos.web import MAX_TRACKED_ACCOUNTS
from tests.web.conftest import (
    OPERATOR,
    PASSWORD,
    WebService,
    add_account,
    start_web,
    stop_web,
)

WRONG = "wrong password!!"
APOLOGY = "Вибачте, сталася помилка"
action_ids = itertools.count()


async def attempt(web: WebService, account: str, password: str = WRONG) -> tuple[int, str]:
    """One login from a client of its own (a script: no page visited, its own token)."""
    token = secrets.token_urlsafe(16)
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client,
        client.post(
            web.url("/admin/login"),
            data={"login_token": token, "account": account, "password": password},
            headers={"Cookie": f"svoi_admin_login={token}"},
            allow_redirects=False,
        ) as response,
    ):
        return response.status, await response.text()


async def chat(client: TestClient[Any, Any], action: dict[str, Any]) -> list[str]:
    """One web-chat turn; the texts of the answer."""
    body = {"id": f"resident{next(action_ids):06d}", **action}
    response = await client.post("/web/api/send", json=body)
    assert response.status == 200, await response.text()
    texts = [str(m["text"]) for m in (await response.json())["messages"]]
    assert texts and not any(APOLOGY in t for t in texts), texts
    return texts


async def login_audit(db: Database) -> list[AuditEntry]:
    async with db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == "web-login")
        return list((await session.execute(query.order_by(AuditEntry.id))).scalars())


async def lockout_rows(db: Database) -> int:
    async with db.transaction() as session:
        count = await session.execute(select(func.count()).select_from(WebAdminLockout))
        return int(count.scalar_one())


async def tracked(db: Database, account: str) -> bool:
    async with db.transaction() as session:
        return await session.get(WebAdminLockout, account) is not None


async def first_attempt_counted(db: Database) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30  # against a hang only
    while await lockout_rows(db) == 0:
        assert loop.time() < deadline, "no attempt was counted before its password check"
        await asyncio.sleep(0.02)


@contextmanager
def password_checks_held() -> Iterator[None]:
    """Keep every password check waiting until the block ends.

    Checks run in the event loop's worker threads (argon2 takes ~0.2 s of CPU); this gives
    the loop a pool of one worker and keeps that worker busy, so a check that starts stays
    in progress for as long as the test needs — a long check, without timing anything."""
    release = threading.Event()
    workers = ThreadPoolExecutor(max_workers=1)
    asyncio.get_running_loop().set_default_executor(workers)
    workers.submit(release.wait)
    try:
        yield
    finally:
        release.set()


async def test_login_flood_does_not_delay_residents(web: WebService) -> None:
    await add_account(web.svoi, OPERATOR, "operator")
    invented = [f"telegram:{900_000 + n}" for n in range(5)]
    targets = [OPERATOR] * 25 + invented
    with password_checks_held():
        flood = [asyncio.create_task(attempt(web, account)) for account in targets]
        # The first attempt is counted (committed) before its password is checked; its
        # check now waits, and the other attempts wait behind it.
        await first_attempt_counted(web.svoi.db)

        # Meanwhile a resident goes through onboarding and the menu, every turn answered
        # (on SQLite a login holding the write lock through its check made these wait
        # until "database is locked").
        resident = web.client
        start = await chat(resident, {"type": "start"})
        assert "Оберіть мову / Choose your language" in start[0]
        for text in ("/menu", "/settings", "/menu", "/help"):
            await chat(resident, {"type": "text", "text": text})
        assert not all(task.done() for task in flood), "the checks were still held"

    answers = await asyncio.gather(*flood)
    assert [status for status, _ in answers] == [401] * len(targets)
    audited = await login_audit(web.svoi.db)
    assert len(audited) == len(targets)
    assert sum(1 for e in audited if e.details["password_checked"]) == MAX_FAILURES + 5


async def test_parallel_attempts_get_at_most_five_password_checks(
    settings: Settings, db: Database, web: WebService
) -> None:
    # Three instances of the service on one database, as behind a load balancer: each
    # handles its own share of the attempts, all at once.
    await add_account(web.svoi, OPERATOR, "operator")
    others = [await start_web(Svoi.create(settings, db)) for _ in range(2)]
    instances = [web, *others]
    try:
        attempts = 30
        answers = await asyncio.gather(
            *(attempt(instances[n % 3], OPERATOR) for n in range(attempts))
        )
    finally:
        for other in others:
            await stop_web(other)

    statuses = Counter(status for status, _ in answers)
    assert statuses == {401: attempts}  # never a 500 (two first failures used to collide)
    wrong = sum(1 for _, page in answers if "Неправильний обліковий запис або пароль" in page)
    locked = sum(1 for _, page in answers if "заблоковано" in page)
    # Each "wrong password" is a check; so is the one that starts the lock.
    assert (wrong, locked) == (MAX_FAILURES - 1, attempts - MAX_FAILURES + 1)

    audited = await login_audit(db)
    assert len(audited) == attempts  # one row per attempt
    assert Counter(e.outcome for e in audited) == {
        "refused": MAX_FAILURES - 1,
        "locked": attempts - MAX_FAILURES + 1,
    }
    assert sum(1 for e in audited if e.details["password_checked"]) == MAX_FAILURES
    assert {e.role for e in audited} == {"operator"}


async def test_a_success_clears_the_count_and_a_lock_ends_after_its_time(
    web: WebService, test_clock: clock.SetClock
) -> None:
    await add_account(web.svoi, OPERATOR, "operator")
    for _ in range(MAX_FAILURES - 1):
        assert (await attempt(web, OPERATOR))[0] == 401
    assert (await attempt(web, OPERATOR, PASSWORD))[0] == 303
    assert not await tracked(web.svoi.db, OPERATOR)  # a new window of five

    for _ in range(MAX_FAILURES):
        await attempt(web, OPERATOR)
    status, page = await attempt(web, OPERATOR, PASSWORD)
    assert status == 401 and "заблоковано" in page
    test_clock.advance(FAILURE_WINDOW + timedelta(minutes=1))
    assert (await attempt(web, OPERATOR, PASSWORD))[0] == 303


async def test_accounts_nobody_holds_are_tracked_up_to_a_bound(
    web: WebService, test_clock: clock.SetClock
) -> None:
    await add_account(web.svoi, OPERATOR, "operator")
    db = web.svoi.db
    now = clock.now()
    async with db.transaction() as session:
        await session.execute(
            insert(WebAdminLockout),
            [
                {"account": f"telegram:{n}", "failures": 1, "window_start": now}
                for n in range(MAX_TRACKED_ACCOUNTS)
            ],
        )

    # Full: an invented account is still checked and refused, but not tracked ...
    assert (await attempt(web, "telegram:404404"))[0] == 401
    assert not await tracked(db, "telegram:404404")
    # ... while a real account always is, and so its lock-out holds.
    assert (await attempt(web, OPERATOR))[0] == 401
    assert await tracked(db, OPERATOR)
    # Text that is no account is nobody's: neither checked nor tracked.
    assert (await attempt(web, "<script>alert(1)</script>"))[0] == 401
    assert await lockout_rows(db) == MAX_TRACKED_ACCOUNTS + 1

    # Once their window is over, the rows make room for new ones.
    test_clock.advance(FAILURE_WINDOW + timedelta(minutes=1))
    assert (await attempt(web, "telegram:404404"))[0] == 401
    assert await tracked(db, "telegram:404404")
    assert await lockout_rows(db) == 1

    audited = await login_audit(db)
    assert [(e.actor, e.role, e.details["password_checked"]) for e in audited] == [
        ("telegram:404404", "", True),
        (OPERATOR, "operator", True),
        ("web:unknown", "", False),
        ("telegram:404404", "", True),
    ]
