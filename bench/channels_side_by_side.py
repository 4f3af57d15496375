"""Benchmark: Telegram updates, Viber callbacks and web-chat messages side by side, against
ONE Svoi process, at the same fixed offered rates, interleaved.

    .venv/bin/python -m bench.channels_side_by_side [--rates 50,100,200] [--seconds 5]
        [--database sqlite|postgres|both]

Svoi runs as `python -m bot run` (its real start-up) in a child process with all three
channels: Telegram (webhook, fake Bot API), Viber (signed callbacks, fake Viber API) and the
web chat. This process runs the fakes and the load. For each rate, each channel in turn is
offered that rate for `--seconds` (open loop: every request at its scheduled moment, each
from a person of its own, so every one is a first message: a new resident, the heaviest
common turn). Latency is from the scheduled moment to the 200 and to the reply: the reply's
arrival at the fake Bot API or Viber API; for the web chat the reply is the HTTP answer
itself. Server CPU per message comes from /proc over each phase. Results go in
docs/benchmarks.md (issue 18).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from bench.telegram_webhook import (
    ROOT,
    OpenResult,
    drop_postgres,
    free_port,
    open_loop,
    postgres_url,
    process_cpu,
    process_rss_mb,
    svoi_env,
    wait_until_up,
)
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import TOKEN as VIBER_TOKEN
from tests.fakes.viber_api import Callbacks, FakeViberApi, sign

WEB_SECRET = "bench-web-secret-0123456789"


Result = tuple[int, float, list[float], list[float]]
_viber_users = iter(range(10**9))


async def schedule(
    rate: int, seconds: float, one: Callable[[int, float], Awaitable[None]]
) -> tuple[int, float]:
    """Call `one(index, scheduled_at)` for each request at its moment; returns (count, start)."""
    count = max(1, int(rate * seconds))
    start = time.monotonic() + 0.2

    async def at(index: int) -> None:
        moment = start + index / rate
        delay = moment - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await one(index, moment)

    await asyncio.gather(*(at(i) for i in range(count)))
    return count, start


async def viber_loop(fake: FakeViberApi, url: str, rate: int, seconds: float) -> Result:
    """A first text from a new Viber user each time: the language question comes back
    through `send_message` to the fake Viber API."""
    users = [f"bench{next(_viber_users):09d}AAAAAAAAAA==" for _ in range(int(rate * seconds) + 1)]
    scheduled: dict[str, float] = {}
    to_200: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(index: int, moment: float) -> None:
            user = users[index]
            body = json.dumps(Callbacks(user).text("Привіт"), ensure_ascii=False).encode()
            headers = {
                "Content-Type": "application/json",
                "X-Viber-Content-Signature": sign(body, VIBER_TOKEN),
            }
            scheduled[user] = moment
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"bench: Viber webhook answered {response.status}")
            to_200.append(time.monotonic() - moment)

        count, start = await schedule(rate, seconds, one)

        def replied() -> dict[str, float]:
            first: dict[str, float] = {}
            for call in fake.calls:
                receiver = call.receiver
                if call.endpoint == "send_message" and receiver in scheduled:
                    first.setdefault(receiver, call.at)
            return first

        deadline = time.monotonic() + 600
        while len(replied()) < count:
            if time.monotonic() > deadline:
                raise SystemExit("bench: Viber replies did not all arrive")
            await asyncio.sleep(0.05)
    first = replied()
    to_reply = [first[u] - scheduled[u] for u in scheduled]
    return count, max(first.values()) - start, to_200, to_reply


async def web_loop(base: str, rate: int, seconds: float) -> Result:
    """A first message from a new visitor of the web chat (no cookie yet): the reply is the
    HTTP answer."""
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    ends: list[float] = []
    # No cookie jar: every request is a visitor without a cookie, i.e. a new resident.
    jar = aiohttp.DummyCookieJar()
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as session:

        async def one(index: int, moment: float) -> None:
            body = {"id": f"bench{index:08d}", "type": "text", "text": "Привіт"}
            async with session.post(f"{base}/web/api/send", json=body) as response:
                answer = await response.json()
                if response.status != 200 or not answer.get("messages"):
                    raise SystemExit(f"bench: web chat answered {response.status}: {answer}")
            now = time.monotonic()
            latencies.append(now - moment)
            ends.append(now)

        count, start = await schedule(rate, seconds, one)
    return count, max(ends) - start, latencies, latencies


async def run_database(database: str, args: argparse.Namespace) -> list[OpenResult]:
    rows: list[OpenResult] = []
    telegram = FakeTelegramAPI()
    await telegram.start()
    viber = await FakeViberApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        else:
            url = await postgres_url()
        port = free_port()
        env = {
            **os.environ,
            **svoi_env(url, port),
            "TELEGRAM_API_BASE": telegram.url,
            "VIBER_AUTH_TOKEN": VIBER_TOKEN,
            "VIBER_API_BASE": viber.url,
            "WEB_SECRET_KEY": WEB_SECRET,
            "WEB_NEW_CHATS_PER_HOUR": "0",
            "PYTHONPATH": str(ROOT),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env
        )
        base = f"http://127.0.0.1:{port}"
        try:
            await wait_until_up(f"{base}/healthz")
            loops: dict[str, Callable[[int], Awaitable[Result]]] = {
                "Telegram": lambda rate: open_loop(
                    telegram, f"{base}/webhook/telegram", rate, args.seconds
                ),
                "Viber": lambda rate: viber_loop(
                    viber, f"{base}/webhook/viber", rate, args.seconds
                ),
                "web chat": lambda rate: web_loop(base, rate, args.seconds),
            }
            for loop in loops.values():  # warm-up: connections, caches
                await loop(20)
            for rate in args.rates:
                for channel, loop in loops.items():
                    before = process_cpu(process.pid)
                    sent, span, to_200, to_reply = await loop(rate)
                    used = process_cpu(process.pid) - before
                    name = f"{channel} ({database})"
                    rows.append(OpenResult(name, rate, sent, span, to_200, to_reply, used))
            print(f"{database}: server RSS at the end {process_rss_mb(process.pid):.0f} MB")
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
            await telegram.stop()
            await viber.close()
            if database == "postgres":
                await drop_postgres()
    return rows


async def main(args: argparse.Namespace) -> None:
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    rows: list[OpenResult] = []
    for database in databases:
        rows.extend(await run_database(database, args))
    print(f"\neach rate offered for {args.seconds:g} s per channel, one person per message\n")
    print(
        "| channel (database) | offered/s | achieved/s | p50 ms to 200 | p99 ms to 200 | "
        "p50 ms to reply | p99 ms to reply | server CPU ms/message |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row.row())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rates", type=lambda text: [int(r) for r in text.split(",") if r], default=[50, 100, 200]
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    asyncio.run(main(parser.parse_args()))
