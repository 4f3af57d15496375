"""Benchmark: the waste reminder tick with 100,000 subscriptions on SQLite and PostgreSQL.

    .venv/bin/python bench/waste_tick.py [--subscriptions 100000] [--database sqlite|postgres|both]

Scenarios, each on a fresh migrated database with the shipped content:
  worst   every subscription is for the centre, mixed waste, reminded at 19:00 the evening
          before: one tick enqueues 100,000 outbox rows;
  spread  subscriptions spread over the six zones, all their types, six reminder times:
          the busiest minute of a Sunday evening;
  quiet   a tick in a minute when nothing is due (the cost paid every minute);
  again   the same due minute ticked again (nothing new).
Reported: wall time of the tick and rows enqueued; then a second due tick (Wednesday
evening) is run under tracemalloc for its peak Python memory (subscriptions are read in
pages of 10,000, so it stays bounded whatever the number of subscriptions).
Results are written up in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.core.i18n import I18n  # noqa: E402
from dialogs.waste import schedule  # noqa: E402
from dialogs.waste.content import ensure_default_waste  # noqa: E402
from dialogs.waste.reminders import tick  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Resident  # noqa: E402
from storage.models.waste import WasteSubscription, WasteZone  # noqa: E402
from tests.support.databases import PG_ADMIN_URL, asyncpg_dsn  # noqa: E402

MONDAY = date(2026, 12, 7)
HOURS = [(-1, 18), (-1, 19), (-1, 20), (-1, 21), (0, 6), (0, 7)]
CHUNK = 5000


async def fresh(kind: str, workdir: Path, tag: str) -> tuple[Database, str | None]:
    if kind == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{workdir / f'{tag}.sqlite3'}")
        await migrate.upgrade(db)
        return db, None
    name = f"svoi_bench_waste_{tag}"
    admin = await asyncpg.connect(asyncpg_dsn(PG_ADMIN_URL))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    db = Database(make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    await migrate.upgrade(db)
    return db, name


async def drop(name: str | None) -> None:
    if name is None:
        return
    admin = await asyncpg.connect(asyncpg_dsn(PG_ADMIN_URL))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


async def populate(db: Database, count: int, spread: bool) -> None:
    await ensure_default_waste(db)
    now = datetime.now(UTC)
    async with db.transaction() as session:
        zones = {z.code: z.id for z in (await session.execute(select(WasteZone))).scalars()}
    codes = sorted(zones)
    all_types = ["mixed", "recyclables", "glass", "branches"]
    for start in range(0, count, CHUNK):
        size = min(CHUNK, count - start)
        async with db.transaction() as session:
            await session.execute(
                insert(Resident),
                [
                    {
                        "channel": "telegram" if (start + i) % 3 else "viber",
                        "user_id": f"bench{start + i}",
                        "locale": "uk" if (start + i) % 4 else "en",
                        "locale_chosen": True,
                        "is_active": True,
                        "created_at": now,
                        "last_seen_at": now,
                    }
                    for i in range(size)
                ],
            )
            ids = (
                (
                    await session.execute(
                        select(Resident.id)
                        .where(Resident.user_id.like("bench%"))
                        .order_by(Resident.id)
                        .offset(start)
                        .limit(size)
                    )
                )
                .scalars()
                .all()
            )
            rows = []
            for n, resident_id in enumerate(ids):
                k = start + n
                offset, hour = HOURS[k % len(HOURS)] if spread else (-1, 19)
                rows.append(
                    {
                        "resident_id": resident_id,
                        "zone_id": zones[codes[(k // len(HOURS)) % len(codes)]]
                        if spread
                        else zones["center"],
                        "address": f"вул. Тестова, {k % 300 + 1}",
                        "types": all_types if spread else ["mixed"],
                        "remind_offset": offset,
                        "remind_hour": hour,
                        "paused": k % 50 == 0 if spread else False,
                        "created_at": now,
                    }
                )
            await session.execute(insert(WasteSubscription), rows)
    if not db.is_sqlite:
        # A live server's autovacuum analyzes tables this size within a minute of such a
        # change; a tick planned without statistics would scan residents once per statement.
        async with db.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("ANALYZE residents, waste_subscriptions")


async def timed(db: Database, i18n: I18n, at: datetime) -> tuple[float, int]:
    started = time.perf_counter()
    count = await tick(db, i18n, at)
    return time.perf_counter() - started, count


async def traced(db: Database, i18n: I18n, at: datetime) -> tuple[int, float]:
    """Rows and peak Python memory (MB) of a tick, measured apart (tracing slows it)."""
    tracemalloc.start()
    try:
        count = await tick(db, i18n, at)
        return count, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


async def run(kind: str, count: int, workdir: Path) -> list[str]:
    i18n = I18n()
    lines = []
    evening = schedule.local_instant(
        MONDAY - timedelta(days=1), datetime.min.time().replace(hour=19)
    )
    for scenario in ("worst", "spread"):
        db, name = await fresh(kind, workdir, scenario)
        try:
            t0 = time.perf_counter()
            await populate(db, count, spread=scenario == "spread")
            setup = time.perf_counter() - t0
            await tick(db, i18n, evening - timedelta(minutes=2))  # watermark just before
            quiet = await timed(db, i18n, evening - timedelta(minutes=1))
            due = await timed(db, i18n, evening)
            again = await tick(db, i18n, evening)
            # Wednesday evening, before Thursday's collections: the same size again, traced.
            await tick(db, i18n, evening + timedelta(days=3) - timedelta(minutes=1))
            rows, peak = await traced(db, i18n, evening + timedelta(days=3))
            lines.append(
                f"{kind:8} {scenario:6} subs={count:,} setup={setup:.1f}s | "
                f"quiet tick {quiet[0] * 1000:.0f} ms | due tick {due[0]:.2f} s, "
                f"{due[1]:,} rows | again: {again} rows | "
                f"traced tick: {rows:,} rows, peak {peak:.1f} MB"
            )
            print(lines[-1], flush=True)
        finally:
            await db.dispose()
            await drop(name)
    return lines


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)  # the stale-skip warning is expected here
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            await run(kind, args.subscriptions, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
