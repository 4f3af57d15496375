"""Benchmark: Telegram webhook throughput of one Svoi process, next to a minimal aiogram echo
bot, both replying through the same fake Bot API on loopback.

    .venv/bin/python -m bench.telegram_webhook [--updates 2000] [--residents 200]
        [--concurrency 32] [--database sqlite|postgres|both] [--skip-echo]
        [--rates 50,200,500 [--seconds 10]] [--before DIR] [--rounds 1]

Svoi runs as `python -m bot run` (its real start-up: migrations on SQLite, setWebhook,
commands) in a child process; the echo bot is aiogram's Dispatcher behind its own
`SimpleRequestHandler` in another child process. This process runs the fake Bot API and the
load generator: `--updates` text updates ("/start", which shows the language question: one
sendMessage each) spread over `--residents` chats, `--concurrency` requests in flight.

Reported: time-to-200 percentiles, updates/s to the last 200, updates/s until the fake
API has received every reply (end to end), the server process's CPU per update (from /proc,
measured over the timed run) and its RSS at the end. Results go in docs/benchmarks.md.

`--rates` adds an open loop after the closed one, for each server: updates are sent at a
fixed offered rate for `--seconds` (each at its scheduled moment, whether or not earlier
ones were answered: no coordinated omission), each from a chat of its own, and the latency
is from the scheduled moment to the 200 and to the reply's arrival at the fake Bot API.
A server that cannot keep up shows it as a growing p99 and an achieved rate under the
offered one.

`--before DIR` also runs Svoi from another checkout (a `git worktree` of an earlier commit,
with its own `.venv` or this one's linked in) next to this one, each on a fresh database
migrated by its own code: a before/after from one run. `--rounds N` repeats the whole
sequence N times, interleaved (so a machine that slows down or speeds up meanwhile touches
every server alike) and ends with the medians, the ratio to the echo bot taken per round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import asyncpg

from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI, TelegramUser

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "svoi_bench_telegram"


@dataclass
class Result:
    name: str
    updates: int
    to_200: float
    to_replies: float
    latencies: list[float]
    cpu_seconds: float = 0.0  # the server process's CPU (user + system) during the run
    rss_mb: float = 0.0  # the server's resident memory at the end of the run

    def row(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        return (
            f"| {self.name} | {self.updates} | {self.updates / self.to_200:.0f} | "
            f"{self.updates / self.to_replies:.0f} | {p50:.1f} | {p99:.1f} | "
            f"{self.cpu_seconds * 1000 / self.updates:.2f} | {self.rss_mb:.0f} |"
        )


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc (0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_until_up(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"bench: {url} did not come up")


async def load(
    api: FakeTelegramAPI, url: str, updates: int, residents: int, concurrency: int
) -> tuple[float, float, list[float]]:
    users = [TelegramUser(900_000_000 + n) for n in range(residents)]
    bodies = [json.dumps(users[i % residents].text("/start")) for i in range(updates)]
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    latencies: list[float] = []
    queue = iter(bodies)
    sent_before = len(api.calls_to("sendMessage"))

    async def worker(session: aiohttp.ClientSession) -> None:
        for body in queue:
            started = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"bench: webhook answered {response.status}")
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        to_200 = time.perf_counter() - started
        await api.wait_for(
            lambda: len(api.calls_to("sendMessage")) - sent_before >= updates, guard=600
        )
        to_replies = time.perf_counter() - started
    return to_200, to_replies, latencies


def ms_at(values: list[float], q: float) -> float:
    """The `q` quantile of latencies in seconds, in milliseconds (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


@dataclass
class OpenResult:
    name: str
    rate: int
    sent: int
    seconds: float  # from the first scheduled send to the last reply
    to_200: list[float]
    to_reply: list[float]
    cpu_seconds: float

    def row(self) -> str:
        return (
            f"| {self.name} | {self.rate} | {self.sent / self.seconds:.0f} | "
            f"{ms_at(self.to_200, 0.5):.1f} | {ms_at(self.to_200, 0.99):.1f} | "
            f"{ms_at(self.to_reply, 0.5):.1f} | {ms_at(self.to_reply, 0.99):.1f} | "
            f"{self.cpu_seconds * 1000 / self.sent:.2f} |"
        )


_open_chats = iter(range(950_000_000, 999_999_999))


async def open_loop(
    api: FakeTelegramAPI, url: str, rate: int, seconds: float
) -> tuple[int, float, list[float], list[float]]:
    """Offer `rate` updates/s for `seconds`; returns (sent, span, to-200s, to-replies)."""
    count = max(1, int(rate * seconds))
    users = [TelegramUser(next(_open_chats)) for _ in range(count)]
    bodies = [json.dumps(u.text("/start")) for u in users]
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    scheduled: dict[int, float] = {}
    to_200: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)  # open loop: as many connections as it takes

    async def one(session: aiohttp.ClientSession, index: int, at: float) -> None:
        delay = at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        scheduled[users[index].id] = at
        async with session.post(url, data=bodies[index], headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise SystemExit(f"bench: webhook answered {response.status}")
        to_200.append(time.monotonic() - at)

    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.monotonic() + 0.2
        await asyncio.gather(*(one(session, i, start + i / rate) for i in range(count)))
        chats = set(scheduled)
        await api.wait_for(
            lambda: len({c.chat_id for c in api.calls_to("sendMessage")} & chats) >= count,
            guard=600,
        )
    first_reply: dict[int, float] = {}
    for call in api.calls_to("sendMessage"):
        chat = call.chat_id
        if chat in scheduled and chat not in first_reply:
            first_reply[chat] = call.at
    to_reply = [first_reply[chat] - scheduled[chat] for chat in scheduled]
    span = max(first_reply.values()) - start
    return count, span, to_200, to_reply


async def run_one(
    name: str,
    command: list[str],
    env: dict[str, str],
    port: int,
    path: str,
    args: argparse.Namespace,
    open_results: list[OpenResult] | None = None,
    root: Path = ROOT,
) -> Result:
    api = FakeTelegramAPI()
    await api.start()
    child_env = {**os.environ, **env, "TELEGRAM_API_BASE": api.url, "PYTHONPATH": str(root)}
    process = await asyncio.create_subprocess_exec(*command, cwd=root, env=child_env)
    try:
        await wait_until_up(f"http://127.0.0.1:{port}/healthz")
        url = f"http://127.0.0.1:{port}{path}"
        # Warm-up: connections, caches, the first residents' rows.
        await load(api, url, min(100, args.updates), args.residents, args.concurrency)
        cpu_before = process_cpu(process.pid)
        to_200, to_replies, latencies = await load(
            api, url, args.updates, args.residents, args.concurrency
        )
        cpu = process_cpu(process.pid) - cpu_before
        rss = process_rss_mb(process.pid)
        for rate in args.rates:
            cpu_before = process_cpu(process.pid)
            sent, span, answered, replied = await open_loop(api, url, rate, args.seconds)
            if open_results is not None:
                used = process_cpu(process.pid) - cpu_before
                open_results.append(OpenResult(name, rate, sent, span, answered, replied, used))
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        await api.stop()
    return Result(name, args.updates, to_200, to_replies, latencies, cpu, rss)


async def postgres_url(root: Path = ROOT) -> str:
    """A fresh PostgreSQL database, migrated by the code in `root`."""
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{PG_BENCH}"')
    finally:
        await conn.close()
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_BENCH}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(root)}
    migrating = await asyncio.create_subprocess_exec(
        python_of(root), "-m", "bot", "migrate", cwd=root, env=env
    )
    if await migrating.wait() != 0:
        raise SystemExit("bench: migrating the PostgreSQL database failed")
    return url


async def drop_postgres() -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH}" WITH (FORCE)')
    finally:
        await conn.close()


def svoi_env(database_url: str, port: int) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "HTTP_PORT": str(port),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_URL": "https://bench.example/webhook/telegram",
        "LOG_LEVEL": "WARNING",
        "FLOOD_MAX_MESSAGES": "1000",  # the load repeats each resident quickly on purpose
        "VIBER_AUTH_TOKEN": "",
    }


def python_of(root: Path) -> str:
    """The checkout's own interpreter (its `.venv`), else this one."""
    own = root / ".venv" / "bin" / "python"
    return str(own) if root != ROOT and own.exists() else sys.executable


async def run_svoi(
    database: str, root: Path, label: str, args: argparse.Namespace, opened: list[OpenResult]
) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        else:
            url = await postgres_url(root)
        port = free_port()
        try:
            return await run_one(
                f"Svoi ({database}{label})",
                [python_of(root), "-m", "bot", "run"],
                svoi_env(url, port),
                port,
                "/webhook/telegram",
                args,
                opened,
                root,
            )
        finally:
            if database == "postgres":
                await drop_postgres()


async def run_round(args: argparse.Namespace, opened: list[OpenResult]) -> list[Result]:
    results: list[Result] = []
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in databases:
        if args.before is not None:
            results.append(await run_svoi(database, args.before, ", before", args, opened))
        label = ", after" if args.before is not None else ""
        results.append(await run_svoi(database, ROOT, label, args, opened))
    if not args.skip_echo:
        port = free_port()
        command = [sys.executable, "-m", "bench.telegram_webhook", "--echo-bot", str(port)]
        results.append(
            await run_one("aiogram echo bot", command, {}, port, "/webhook", args, opened)
        )
    return results


def print_medians(rounds: list[list[Result]]) -> None:
    """Per server over the rounds: medians of end-to-end updates/s, of the ratio to the
    echo bot of the same round, and of the server's CPU per update."""
    names = [result.name for result in rounds[0]]
    print(f"\nmedians of {len(rounds)} interleaved rounds\n")
    print("| server | updates/s end to end | × echo bot | server CPU ms/update |")
    print("|---|---|---|---|")
    for name in names:
        ratios: list[float] = []
        rates: list[float] = []
        cpus: list[float] = []
        for round_ in rounds:
            run = next(r for r in round_ if r.name == name)
            rates.append(run.updates / run.to_replies)
            cpus.append(run.cpu_seconds * 1000 / run.updates)
            echo = next((r for r in round_ if r.name == "aiogram echo bot"), None)
            if echo is not None:
                ratios.append(rates[-1] / (echo.updates / echo.to_replies))
        ratio = f"{statistics.median(ratios):.2f}×" if ratios else "–"
        cpu = statistics.median(cpus)
        print(f"| {name} | {statistics.median(rates):.0f} | {ratio} | {cpu:.2f} |")


async def main(args: argparse.Namespace) -> None:
    opened: list[OpenResult] = []
    rounds = [await run_round(args, opened) for _ in range(args.rounds)]
    load = os.getloadavg()
    print(f"\n{args.updates} updates, {args.residents} chats, {args.concurrency} in flight")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print(
        "| server | updates | updates/s to 200 | updates/s end to end | p50 ms to 200 | "
        "p99 ms to 200 | server CPU ms/update | server RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for round_ in rounds:
        for result in round_:
            print(result.row())
    if args.rounds > 1:
        print_medians(rounds)
    if opened:
        print(f"\nopen loop: each rate offered for {args.seconds:g} s, one chat per update\n")
        print(
            "| server | offered/s | achieved/s | p50 ms to 200 | p99 ms to 200 | "
            "p50 ms to reply | p99 ms to reply | server CPU ms/update |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for row in opened:
            print(row.row())


def echo_bot(port: int) -> None:
    """The baseline: aiogram's own webhook handler answering every text with itself."""
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler
    from aiohttp import web

    bot = Bot(
        TOKEN,
        session=AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"])),
    )
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    SimpleRequestHandler(dispatcher, bot, secret_token=SECRET).register(app, path="/webhook")
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--echo-bot":
        echo_bot(int(sys.argv[2]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--skip-echo", action="store_true")
    parser.add_argument(
        "--rates",
        type=lambda text: [int(r) for r in text.split(",") if r],
        default=[],
        help="offered rates for the open loop, e.g. 50,200,500",
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--before",
        type=lambda text: Path(text).resolve(),
        default=None,
        help="another checkout of Svoi to run next to this one (a before/after)",
    )
    parser.add_argument("--rounds", type=int, default=1)
    asyncio.run(main(parser.parse_args()))
