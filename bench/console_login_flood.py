"""Benchmark: what a flood of console logins does to residents, and how many passwords a
burst of parallel logins gets checked.

    .venv/bin/python -m bench.console_login_flood [--seconds 20] [--rate 5] [--residents 4]
        [--parallel 30] [--database postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

1. Flood: anonymous clients try `--rate` logins per second with invented accounts and wrong
   passwords (each costs an argon2 check) for `--seconds`, while `--residents` web-chat
   residents tap Settings / Menu one turn after another. Reports the residents' turn
   latency (p50, p99, max) and every turn that failed (an HTTP error or the apology).
2. Burst: `--parallel` logins with a wrong password against one operator account, all at
   once. Reports how many passwords were checked (argon2 `verify` calls, counted in this
   process), the answers by HTTP status and the audit rows written.

Runs on a temporary SQLite file, or on PostgreSQL: `--database` names the server's
maintenance database; a throwaway database is created next to it and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import secrets
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from aiohttp import ClientSession, CookieJar, DummyCookieJar
from aiohttp.test_utils import TestServer
from argon2 import PasswordHasher
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import Svoi, build_web_app
from bot.channels.web import WebChannel
from bot.channels.web.admin.auth import set_password
from bot.config import Settings
from storage import migrate
from storage.db import Database
from storage.models.access import AuditEntry
from storage.repos.access import RoleRepo

SECRET = "bench-secret-0123456789"
PASSWORD = "correct horse battery staple"
ACCOUNT = "telegram:5550001"
APOLOGIES = ("something went wrong", "сталася помилка")


class CheckCounter:
    """Counts argon2 password checks in this process (bench instrumentation only)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()
        original = PasswordHasher.verify

        def counted(
            hasher: PasswordHasher, hash: str | bytes, password: str | bytes
        ) -> Literal[True]:
            with self._lock:
                self.count += 1
            return original(hasher, hash, password)

        PasswordHasher.verify = counted  # type: ignore[method-assign, assignment]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def attempt(base: str, account: str, password: str) -> int:
    """One login; its HTTP status (0: no answer)."""
    token = secrets.token_urlsafe(16)
    try:
        return await _post_login(base, token, account, password)
    except (OSError, TimeoutError) as exc:
        print(f"  a login got no answer: {exc!r}")
        return 0


async def _post_login(base: str, token: str, account: str, password: str) -> int:
    async with (
        ClientSession(cookie_jar=DummyCookieJar()) as http,
        http.post(
            base + "/admin/login",
            data={"login_token": token, "account": account, "password": password},
            headers={"Cookie": f"svoi_admin_login={token}"},
            allow_redirects=False,
        ) as response,
    ):
        await response.read()
        return response.status


class Resident:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = ClientSession(cookie_jar=CookieJar(unsafe=True))
        self.ids = itertools.count()
        self.last: Any = None
        self.settings_next = True

    def next_action(self) -> dict[str, Any]:
        """Start, choose English, then Settings / Menu in turn; /menu when lost."""
        if self.last is None:
            return {"type": "start"}
        wanted = ["English", "Settings" if self.settings_next else "Menu"]
        for message in self.last["messages"]:
            for row in message["buttons"]:
                for button in row:
                    if any(w in button["label"] for w in wanted) and "payload" in button:
                        if "English" not in button["label"]:
                            self.settings_next = not self.settings_next
                        return {"type": "button", "payload": str(button["payload"])}
        return {"type": "text", "text": "/menu"}

    async def act(self) -> str | None:
        """One turn; returns what went wrong, or None."""
        body = {"id": f"bench{next(self.ids):08d}", **self.next_action()}
        async with self.http.post(self.base + "/web/api/send", json=body) as response:
            if response.status != 200:
                return f"HTTP {response.status}"
            self.last = await response.json()
        if any(a in m["text"] for m in self.last["messages"] for a in APOLOGIES):
            return "apology"
        return None

    async def chat(self, until: float, latencies: list[float], failures: Counter[str]) -> None:
        async with self.http.get(self.base + "/") as page:
            await page.read()
        while time.perf_counter() < until:
            started = time.perf_counter()
            problem = await self.act()
            latencies.append(time.perf_counter() - started)
            if problem is not None:
                failures[problem] += 1
        await self.http.close()


async def flood(base: str, seconds: float, rate: float, residents: int) -> None:
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    until = time.perf_counter() + seconds
    logins: list[asyncio.Task[int]] = []

    async def attacker() -> None:
        while time.perf_counter() < until:
            account = f"telegram:{secrets.randbelow(10**9)}"
            logins.append(asyncio.create_task(attempt(base, account, "wrong password!!")))
            await asyncio.sleep(1 / rate)

    chats = [Resident(base).chat(until, latencies, failures) for _ in range(residents)]
    await asyncio.gather(attacker(), *chats)
    answers = Counter(await asyncio.gather(*logins))
    print(f"  flood: {len(logins)} logins (answers {dict(answers)}) over {seconds:.0f} s")
    print(
        f"  resident turns: {len(latencies)}, p50 {_pct(latencies, 0.5):.0f} ms, "
        f"p99 {_pct(latencies, 0.99):.0f} ms, max {max(latencies) * 1000:.0f} ms; "
        f"failed: {sum(failures.values())} {dict(failures)}"
    )


async def burst(base: str, db: Database, parallel: int, checks: CheckCounter) -> None:
    async with db.transaction() as session:
        before = (await session.execute(select(func.count()).select_from(AuditEntry))).scalar()
    checked = checks.count
    statuses = await asyncio.gather(
        *(attempt(base, ACCOUNT, "wrong password!!") for _ in range(parallel))
    )
    async with db.transaction() as session:
        after = (await session.execute(select(func.count()).select_from(AuditEntry))).scalar()
    print(
        f"  burst: {parallel} parallel wrong logins on one account: "
        f"{checks.count - checked} password checks, answers {dict(Counter(statuses))}, "
        f"{(after or 0) - (before or 0)} audit rows"
    )


async def admin(url: str, sql: str) -> None:
    """CREATE / DROP DATABASE, which cannot run inside a transaction."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def run(args: argparse.Namespace) -> None:
    checks = CheckCounter()
    with tempfile.TemporaryDirectory() as tmp:
        if args.database:
            name = f"svoi_bench_login_{secrets.token_hex(4)}"
            await admin(args.database, f'CREATE DATABASE "{name}"')
            db_url = make_url(args.database).set(database=name).render_as_string(False)
        else:
            db_url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        db = Database(db_url)
        try:
            await migrate.upgrade(db)
            settings = Settings(
                database_url=db_url,
                web_secret_key=SECRET,
                flood_max_messages=1000,
                web_new_chats_per_hour=0,
                _env_file=None,
            )
            svoi = Svoi.create(settings, db)
            async with db.transaction() as session:
                await RoleRepo(session).grant("telegram", "5550001", "operator", "bench")
                await session.flush()
                await set_password(session, settings, "telegram", "5550001", PASSWORD)
            app = build_web_app(svoi)
            channel = WebChannel(svoi, app)
            svoi.add_channel(channel)
            server = TestServer(app, host="127.0.0.1")
            await server.start_server()
            base = str(server.make_url("")).rstrip("/")
            kind = "PostgreSQL" if db.is_sqlite is False else "SQLite"
            print(f"console logins on {kind}")
            if args.seconds > 0:
                await flood(base, args.seconds, args.rate, args.residents)
            if args.parallel > 0:
                await burst(base, db, args.parallel, checks)
            await channel.stop()
            await server.close()
        finally:
            await db.dispose()
            if args.database:
                await admin(args.database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=5, help="login attempts per second")
    parser.add_argument("--residents", type=int, default=4)
    parser.add_argument("--parallel", type=int, default=30)
    parser.add_argument("--database", help="PostgreSQL maintenance database URL")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
