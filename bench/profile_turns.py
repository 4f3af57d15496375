"""Profile: where one turn's CPU goes, through the real webhook path in one process.

    .venv/bin/python -m bench.profile_turns [--database sqlite|postgres] [--residents 40]
        [--rounds 4] [--profile cprofile|none] [--top 25]

Svoi with the Telegram channel serves HTTP on 127.0.0.1 (as in the tests); the fake Bot API
answers in the same process. Each resident onboards (/start, "English") and then presses
"Settings" and "Back" `--rounds` times: every update is a full turn (webhook → inbox record
→ turn → reply sent), one update at a time, so the profile is of turns, not of queueing.

Prints turns/s, CPU ms per turn (this process: server, fake API and client together) and,
with cProfile, self time grouped by where it is spent (ORM, Core, driver, aiogram, …).
cProfile sees the main thread only: aiosqlite's worker thread runs sqlite3 calls, whose
time appears as waiting in the event loop (`select`).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import asyncpg

from bench.telegram_webhook import PG_ADMIN
from bot.app import Svoi
from storage import migrate
from storage.db import Database
from tests.channels.telegram.conftest import Chat, start_service, stop_service
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.telegram import telegram_settings

PG_PROFILE = "svoi_bench_profile"

GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("SQLAlchemy ORM", ("sqlalchemy/orm/",)),
    ("SQLAlchemy Core/engine", ("sqlalchemy/",)),
    ("asyncpg driver", ("asyncpg/",)),
    ("aiosqlite / sqlite3", ("aiosqlite/", "sqlite3")),
    ("Fluent / Babel", ("fluent/", "babel/")),
    ("aiogram (models, methods)", ("aiogram/",)),
    ("pydantic", ("pydantic",)),
    ("aiohttp (server + client)", ("aiohttp/", "multidict/", "yarl/")),
    ("JSON", ("json/", "orjson")),
    ("logging", ("logging/",)),
    ("asyncio event loop", ("asyncio/", "selectors.py", "<built-in method select", "epoll")),
    ("fake Bot API (test double)", ("tests/fakes/", "tests/channels/")),
    ("Svoi: render", ("bot/core/render.py",)),
    ("Svoi: engine, dialogs, storage", ("bot/", "dialogs/", "handlers/", "storage/")),
]


def group_of(filename: str) -> str:
    for name, needles in GROUPS:
        if any(needle in filename for needle in needles):
            return name
    return "other (stdlib, builtins)"


def report(profile: cProfile.Profile, turns: int, top: int) -> None:
    stats = pstats.Stats(profile)
    raw = stats.stats  # type: ignore[attr-defined]
    groups: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        key = filename if filename != "~" else function
        groups[group_of(key)] += tottime
        total += tottime
    print(f"\nself time by group (cProfile, main thread), ms per turn; total {total:.2f} s")
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds * 1000 / turns:.2f} | {100 * seconds / total:.0f}% |")
    print()
    stats.sort_stats("tottime").print_stats(top)


async def database_url(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / 'profile.sqlite3'}"
    else:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{PG_PROFILE}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{PG_PROFILE}"')
        finally:
            await conn.close()
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_PROFILE}"
    db = Database(url)
    await migrate.upgrade(db)
    await db.dispose()
    return url


async def run(args: argparse.Namespace, tmp: Path) -> None:
    url = await database_url(args.database, tmp)
    api = FakeTelegramAPI()
    await api.start()
    db = Database(url)
    # The loop repeats each resident quickly on purpose: no flood limit in the way.
    settings = telegram_settings(url, api.url).model_copy(update={"flood_max_messages": 10_000})
    service = await start_service(Svoi.create(settings, db), api)
    chats = [Chat(service) for _ in range(args.residents)]
    try:
        for chat in chats[:3]:  # warm-up: connections, caches
            await chat.onboard()
        profile = cProfile.Profile() if args.profile == "cprofile" else None
        cpu, wall, turns = time.process_time(), time.perf_counter(), 0
        if profile is not None:
            profile.enable()
        for chat in chats[3:]:
            await chat.onboard()
            turns += 2
            for _ in range(args.rounds):
                await chat.press("⚙️ Settings")
                await chat.press("🏠 Menu")
                turns += 2
        if profile is not None:
            profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{args.database}: {turns} turns, {turns / wall:.0f} turns/s one at a time, "
            f"{cpu * 1000 / turns:.2f} ms CPU per turn (this process, all threads)"
        )
        if profile is not None:
            report(profile, turns, args.top)
    finally:
        await stop_service(service)
        await db.dispose()
        await api.stop()
        if args.database == "postgres":
            conn = await asyncpg.connect(PG_ADMIN)
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{PG_PROFILE}" WITH (FORCE)')
            finally:
                await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--residents", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--profile", choices=("cprofile", "none"), default="cprofile")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
