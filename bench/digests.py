"""Benchmark: the digest job for N residents on PostgreSQL (or SQLite).

    .venv/bin/python bench/digests.py [--residents 20000] [--items 3] [--database postgres]

Every resident chose a daily plan digest at 18:00 and follows a commitment whose updates
arrive: `--items` progress-update notifications each go through `enqueue` (diverted into
`digest_items`, timed), then the digest job runs at 18:00 city time (timed): one message a
resident in the outbox, the items deleted, the choices marked as sent. A second run in the
same period (nothing due) and a run before the hour (everything waiting, nothing due)
are timed too. Results are written up in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bot.core.i18n import I18n  # noqa: E402
from bot.delivery.outbox import Notification, enqueue  # noqa: E402
from dialogs.digests.service import run_digests  # noqa: E402
from storage import clock, migrate  # noqa: E402
from storage.clock import CITY_ZONE  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import OutboxMessage, Resident  # noqa: E402
from storage.models.digests import DigestItem, DigestPreference  # noqa: E402
from tests.support.databases import PG_ADMIN_URL, asyncpg_dsn  # noqa: E402

CHANNEL = "telegram"
CHOSEN = datetime(2026, 6, 16, 12, 0, tzinfo=CITY_ZONE)
UPDATES = datetime(2026, 6, 17, 10, 0, tzinfo=CITY_ZONE)
DUE = datetime(2026, 6, 17, 18, 0, tzinfo=CITY_ZONE)


async def fresh_database(kind: str, workdir: Path) -> Database:
    if kind == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}")
    else:
        name = f"svoi_bench_digests_{os.getpid()}"
        admin = await asyncpg.connect(asyncpg_dsn(PG_ADMIN_URL))
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
        admin = await asyncpg.connect(asyncpg_dsn(PG_ADMIN_URL))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def seed(db: Database, count: int) -> None:
    async with db.transaction() as session:
        for start in range(0, count, 5000):
            ids = range(start, min(count, start + 5000))
            await session.execute(
                insert(Resident),
                [
                    {
                        "channel": CHANNEL,
                        "user_id": str(1_000_000 + i),
                        "locale": "uk" if i % 4 else "en",
                        "locale_chosen": True,
                        "is_active": True,
                        "created_at": CHOSEN,
                        "last_seen_at": CHOSEN,
                    }
                    for i in ids
                ],
            )
            await session.execute(
                insert(DigestPreference),
                [
                    {
                        "resident_id": i + 1,
                        "category": "plan",
                        "mode": "daily",
                        "hour": 18,
                        "due_at": DUE,
                    }
                    for i in ids
                ],
            )


def updates(count: int, number: int) -> list[Notification]:
    return [
        Notification(
            resident_id=i + 1,
            channel=CHANNEL,
            user_id=str(1_000_000 + i),
            kind="plan-update",
            dedup_key=f"plan-update:{number}:{i + 1}",
            template_key="plan-notify-update",
            template_args={
                "number": 3,
                "status": "substantial",
                "progress": 40 + number,
                "text": f"Оновлення {number}: ще один хаб відкрито.",
            },
            category="plan:c3",
        )
        for i in range(count)
    ]


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak_rss() -> int:
    """Reset the process's peak RSS (VmHWM) to its current RSS (Linux: clear_refs 5), so the
    digest run's own peak is measured, not the seeding's; returns the current RSS in kB."""
    Path("/proc/self/clear_refs").write_text("5")
    return status_kb("VmRSS")


async def count(db: Database, model: type[OutboxMessage] | type[DigestItem]) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, clock.use(clock.SetClock(UPDATES)) as now:
        db = await fresh_database(args.database, Path(workdir))
        try:
            await seed(db, args.residents)
            started = time.perf_counter()
            for number in range(1, args.items + 1):
                async with db.transaction() as session:
                    await enqueue(session, updates(args.residents, number))
            enqueued = time.perf_counter() - started
            items = await count(db, DigestItem)
            assert items == args.residents * args.items and await count(db, OutboxMessage) == 0

            i18n = I18n("uk", CITY_ZONE)
            early = DUE.replace(hour=17, minute=45)
            now.set(early)
            started = time.perf_counter()
            assert await run_digests(db, i18n, early, CITY_ZONE) == 0
            waiting = time.perf_counter() - started
            now.set(DUE)
            started, cpu = time.perf_counter(), time.process_time()
            rss_before = reset_peak_rss()
            queued = await run_digests(db, i18n, DUE, CITY_ZONE)
            rss_growth = (status_kb("VmHWM") - rss_before) / 1024
            ran, ran_cpu = time.perf_counter() - started, time.process_time() - cpu
            assert queued == args.residents and await count(db, DigestItem) == 0
            started = time.perf_counter()
            again = await run_digests(db, i18n, DUE, CITY_ZONE)
            idle = time.perf_counter() - started
            assert again == 0
            print(
                f"{args.database}: {args.residents} residents × {args.items} updates — "
                f"enqueue (diverted) {enqueued:.2f} s "
                f"({args.residents * args.items / enqueued:,.0f} notifications/s); "
                f"digest run {ran:.2f} s ({queued / ran:,.0f} residents/s, {queued} messages, "
                f"{ran_cpu:.2f} s CPU in this process, peak RSS +{rss_growth:.0f} MB); "
                f"a run before the hour {waiting * 1000:.0f} ms; "
                f"repeated run {idle * 1000:.0f} ms"
            )
        finally:
            await drop_database(db)


if __name__ == "__main__":
    asyncio.run(main())
