"""Benchmark: a 100,000-recipient broadcast through the real sender to a fake platform.

    .venv/bin/python bench/delivery_broadcast.py [--recipients 100000] [--database sqlite|postgres]

1. Enqueue time for 100,000 rows on SQLite and on PostgreSQL: `enqueue()` with 100,000
   `Notification`s (the API features use), and a broadcast's `INSERT … SELECT`.
2. Delivery: the sender runs as its own process (tests/delivery/sender_process.py) against
   the fake platform in another process (tests/delivery/fake_platform.py), which enforces the
   limit with a one-second sliding window and answers 429 above it:
   - 1,000 messages/s (Telegram's paid-broadcast limit, so our own overhead shows);
   - 30 messages/s on a compressed clock (10 virtual seconds per real second).
   The sender is set to 97 % of the limit. Reported: achieved rate / limit (on the fake's
   clock, first to last arrival), lost, duplicates, 429s, the busiest one-second window and
   the sender's peak memory (max RSS).
Results are written up in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import asyncpg  # noqa: E402
from sqlalchemy import delete, insert  # noqa: E402

from bot.delivery import broadcasts  # noqa: E402
from bot.delivery.broadcasts import Draft  # noqa: E402
from bot.delivery.outbox import Notification, enqueue  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import OutboxMessage, Resident  # noqa: E402
from storage.models.base import utcnow  # noqa: E402
from tests.support.databases import PG_ADMIN_URL, _asyncpg_dsn  # noqa: E402

CHANNEL = "fake"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


async def fresh_database(kind: str, workdir: Path) -> Database:
    if kind == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}")
    else:
        name = f"svoi_bench_{os.getpid()}"
        admin = await asyncpg.connect(_asyncpg_dsn(PG_ADMIN_URL))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        db = Database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    await migrate.upgrade(db)
    return db


async def drop_database(db: Database) -> None:
    await db.dispose()
    if not db.is_sqlite:
        name = db.url.rsplit("/", 1)[1]
        admin = await asyncpg.connect(_asyncpg_dsn(PG_ADMIN_URL))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def seed(db: Database, count: int) -> None:
    now = utcnow()
    async with db.transaction() as session:
        for start in range(0, count, 5000):
            await session.execute(
                insert(Resident),
                [
                    {
                        "channel": CHANNEL,
                        "user_id": str(1_000_000 + i),
                        "locale": "uk" if i % 4 else "en",
                        "locale_chosen": True,
                        "is_active": True,
                        "created_at": now,
                        "last_seen_at": now,
                    }
                    for i in range(start, min(count, start + 5000))
                ],
            )


async def time_enqueue(db: Database, count: int) -> dict[str, float]:
    notifications = [
        Notification(
            resident_id=i + 1,
            channel=CHANNEL,
            user_id=str(1_000_000 + i),
            kind="waste_reminder",
            dedup_key=f"bench:{i}",
            template_key="welcome-back",
            category="waste",
        )
        for i in range(count)
    ]
    started = time.perf_counter()
    async with db.transaction() as session:
        inserted = await enqueue(session, notifications)
    api_seconds = time.perf_counter() - started
    assert inserted == count, inserted
    async with db.transaction() as session:
        await session.execute(delete(OutboxMessage))
    started = time.perf_counter()
    async with db.transaction() as session:
        created = await broadcasts.create(session, Draft("Оголошення міської ради"), author=None)
        queued = await broadcasts.start(session, created.id, [CHANNEL])
    broadcast_seconds = time.perf_counter() - started
    assert queued == count, queued
    return {"enqueue_api_s": api_seconds, "broadcast_insert_select_s": broadcast_seconds}


async def reset_rows(db: Database) -> None:
    from sqlalchemy import update

    async with db.transaction() as session:
        await session.execute(
            update(OutboxMessage).values(
                status="pending", attempts=0, lease_until=None, sent_at=None
            )
        )
    if not db.is_sqlite:
        # The enqueue timings and the previous run left ~300,000 dead row versions that a
        # live system's autovacuum would have cleaned up; start each run from that state.
        async with db.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("VACUUM ANALYZE outbox, residents")


async def start_process(*args: str) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", *args, cwd=tempfile.gettempdir(), env=ENV,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    first = (await process.stdout.readline()).decode().strip()
    return process, first


async def deliver(
    db: Database, count: int, limit: int, scale: float, concurrency: int
) -> dict[str, object]:
    await reset_rows(db)
    platform, url = await start_process(
        "tests.delivery.fake_platform", "--limit", str(limit), "--scale", str(scale)
    )
    try:
        rate = limit * 0.97
        sender, ready = await start_process(
            "tests.delivery.sender_process", "--db", db.url, "--platform", url,
            "--rate", str(rate), "--concurrency", str(concurrency), "--lease", "60",
            "--scale", str(scale), "--until-idle",
        )  # fmt: skip
        assert ready == "ready", ready
        out, _ = await sender.communicate()
        report = json.loads(out.decode().strip().splitlines()[-1])
        async with aiohttp.ClientSession() as client, client.get(url + "/stats") as response:
            stats = await response.json()
    finally:
        platform.terminate()
        await platform.wait()
    span = stats["last"] - stats["first"]
    achieved = (stats["distinct"] - 1) / span if span > 0 else 0.0
    return {
        "limit_per_s": limit,
        "clock_scale": scale,
        "concurrency": concurrency,
        "sender_rate_per_s": rate,
        "achieved_per_s": round(achieved, 1),
        "achieved_over_limit": round(achieved / limit, 3),
        "lost": count - stats["distinct"],
        "duplicates": stats["duplicates"],
        "answers": stats["answers"],
        "max_in_any_1s_window": stats["max_in_window"],
        "virtual_seconds": round(span, 1),
        "real_seconds": round(float(report["seconds"]), 1),
        "sender_peak_rss_mib": round(int(report["peak_rss_kib"]) / 1024, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--skip-delivery", action="store_true")
    parser.add_argument("--scale", type=float, default=10.0, help="compressed clock for 30/s")
    parser.add_argument("--concurrency", type=int, default=128)
    args = parser.parse_args()
    results: dict[str, object] = {"recipients": args.recipients, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("sqlite", "postgres"):
            db = await fresh_database(kind, Path(tmp))
            try:
                await seed(db, args.recipients)
                results[f"enqueue_{kind}"] = await time_enqueue(db, args.recipients)
                print(json.dumps({kind: results[f"enqueue_{kind}"]}), flush=True)
                if kind == args.database and not args.skip_delivery:
                    for limit, scale in ((1000, 1.0), (30, args.scale)):
                        outcome = await deliver(db, args.recipients, limit, scale, args.concurrency)
                        results[f"deliver_{limit}_per_s_{kind}"] = outcome
                        print(json.dumps({f"{limit}/s": outcome}), flush=True)
            finally:
                await drop_database(db)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
