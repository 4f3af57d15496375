"""Benchmark: the web chat from the outside — `POST /web/api/send` turns (inbox record,
engine turn, JSON answer) from concurrent residents, and proactive messages from `deliver`
to an open page's event stream.

    .venv/bin/python -m bench.web_chat [--residents 50] [--turns 8] [--database URL]

Each resident loads the page, starts, taps English, then alternates Settings / Menu taps;
then each keeps an event stream open while `deliver` sends it one message, timed until the
message arrives on the stream. Reports turns per second and latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestServer
from yarl import URL

from bot.app import Svoi, build_web_app
from bot.channels.web import WebChannel
from bot.channels.web.session import COOKIE, CookieSigner
from bot.config import Settings
from bot.core.messages import Reply
from storage import migrate
from storage.db import Database

SECRET = "bench-secret-0123456789"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Page:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = ClientSession(cookie_jar=CookieJar(unsafe=True))
        self.count = 0
        self.last: Any = None

    async def load(self) -> None:
        async with self.http.get(self.base + "/") as response:
            await response.read()

    async def act(self, action: dict[str, Any]) -> None:
        self.count += 1
        body = {"id": f"bench{self.count:08d}", **action}
        async with self.http.post(self.base + "/web/api/send", json=body) as response:
            assert response.status == 200
            self.last = await response.json()

    def payload(self, label: str) -> str:
        for message in self.last["messages"]:
            for row in message["buttons"]:
                for button in row:
                    if label in button["label"] and "payload" in button:
                        return str(button["payload"])
        raise LookupError(label)

    def user_id(self) -> str:
        cookie = self.http.cookie_jar.filter_cookies(URL(self.base)).get(COOKIE)
        assert cookie is not None
        user = CookieSigner(SECRET).verify(cookie.value)
        assert user is not None
        return user


async def script(page: Page, turns: int, lat: list[float]) -> None:
    async def timed(action: dict[str, Any]) -> None:
        started = time.perf_counter()
        await page.act(action)
        lat.append(time.perf_counter() - started)

    await page.load()
    await timed({"type": "start"})
    await timed({"type": "button", "payload": page.payload("English")})
    for turn in range(turns):
        label = "Settings" if turn % 2 == 0 else "Menu"
        await timed({"type": "button", "payload": page.payload(label)})


async def proactive(page: Page, channel: WebChannel, lat: list[float]) -> None:
    user = page.user_id()
    async with page.http.get(page.base + "/web/api/events") as stream:
        while (await stream.content.readline()) != b": connected\n":
            pass
        started = time.perf_counter()
        await channel.deliver(user, Reply("bench"))
        while True:
            line = (await stream.content.readline()).decode()
            if line.startswith("data: "):
                assert json.loads(line[6:])["text"] == "bench"
                break
        lat.append(time.perf_counter() - started)


async def run(residents: int, turns: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        db = Database(db_url)
        await migrate.upgrade(db)
        settings = Settings(
            database_url=db_url,
            web_secret_key=SECRET,  # type: ignore[arg-type]
            flood_max_messages=1000,
            _env_file=None,  # type: ignore[call-arg]
        )
        svoi = Svoi.create(settings, db)
        app = build_web_app(svoi)
        channel = WebChannel(svoi, app)
        svoi.add_channel(channel)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        base = str(server.make_url("")).rstrip("/")
        pages = [Page(base) for _ in range(residents)]
        turn_lat: list[float] = []
        started = time.perf_counter()
        await asyncio.gather(*(script(p, turns, turn_lat) for p in pages))
        elapsed = time.perf_counter() - started
        push_lat: list[float] = []
        await asyncio.gather(*(proactive(p, channel, push_lat) for p in pages))
        await channel.stop()
        for page in pages:
            await page.http.close()
        await server.close()
        await db.dispose()
    kind = "PostgreSQL" if db_url.startswith("postgresql") else "SQLite"
    print(f"web chat on {kind}: {residents} residents × {turns + 2} turns")
    print(
        f"  turns: {len(turn_lat)} in {elapsed:.2f} s = {len(turn_lat) / elapsed:.0f}/s; "
        f"p50 {_pct(turn_lat, 0.5):.0f} ms, p95 {_pct(turn_lat, 0.95):.0f} ms, "
        f"max {max(turn_lat) * 1000:.0f} ms"
    )
    print(
        f"  deliver → open page: p50 {_pct(push_lat, 0.5):.0f} ms, "
        f"p95 {_pct(push_lat, 0.95):.0f} ms, mean {statistics.mean(push_lat) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--database", help="a database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    asyncio.run(run(args.residents, args.turns, args.database))


if __name__ == "__main__":
    main()
