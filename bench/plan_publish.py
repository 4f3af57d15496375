"""Benchmark: the working group publishes a progress update to many followers (one turn
that writes the update and one outbox row per follower), and residents open a commitment.

    .venv/bin/python -m bench.plan_publish [--followers 10000] [--views 200] [--database URL]

Uses the real engine and database (default: a fresh SQLite file); followers are inserted
in bulk beforehand. Reports the publishing turn's time and commitment-screen latencies.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.app import Svoi
from bot.config import Settings
from dialogs.plan.content import ensure_default_content
from storage import clock, migrate
from storage.db import Database
from storage.models import OutboxMessage, Resident
from storage.models.plan import Commitment, Follow
from tests.support.conversation import Resident as Chat


async def seed_followers(db: Database, count: int) -> None:
    now = clock.now()
    async with db.transaction() as session:
        commitment_id = (
            await session.execute(select(Commitment.id).where(Commitment.code == "c2"))
        ).scalar_one()
        for start in range(0, count, 1000):
            ids = (
                await session.execute(
                    insert(Resident)
                    .values(
                        [
                            {
                                "channel": "telegram",
                                "user_id": f"bench-{n}",
                                "locale": "uk",
                                "locale_chosen": True,
                                "is_active": True,
                                "created_at": now,
                                "last_seen_at": now,
                            }
                            for n in range(start, min(count, start + 1000))
                        ]
                    )
                    .returning(Resident.id)
                )
            ).scalars()
            await session.execute(
                insert(Follow).values(
                    [
                        {"resident_id": i, "commitment_id": commitment_id, "created_at": now}
                        for i in ids
                    ]
                )
            )


async def run(followers: int, views: int, url: str | None) -> None:
    directory = tempfile.mkdtemp(prefix="svoi-bench-")
    database_url = url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.sqlite3'}"
    settings = Settings(
        database_url=database_url,
        operators="test:operator-1",
        flood_max_messages=1000,
        _env_file=None,  # type: ignore[call-arg]
    )
    db = Database(database_url)
    await migrate.upgrade(db)
    await ensure_default_content(db)
    await seed_followers(db, followers)
    svoi = Svoi.create(settings, db)

    operator = Chat.on(svoi.engine, user_id="operator-1")
    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Publish an update")
    await operator.press("pc:c2")
    await operator.press("Keep")
    await operator.send("100")
    await operator.send("Benchmark update")
    started = time.perf_counter()
    await operator.press("Publish")
    publish = time.perf_counter() - started
    async with db.transaction() as session:
        queued = (await session.execute(select(func.count()).select_from(OutboxMessage))).scalar()

    resident = Chat.on(svoi.engine)
    await resident.onboard("uk")
    latencies = []
    for _ in range(views):
        started = time.perf_counter()
        await resident.send("/start c2")
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    print(f"database: {'sqlite' if db.is_sqlite else 'postgresql'}")
    print(f"publish to {followers} followers: {publish:.2f} s, {queued} outbox rows")
    print(
        f"commitment screen ({views} turns): median {statistics.median(latencies) * 1000:.1f} ms,"
        f" p95 {latencies[int(0.95 * (len(latencies) - 1))] * 1000:.1f} ms"
    )
    await svoi.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--database", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    asyncio.run(run(args.followers, args.views, args.database))


if __name__ == "__main__":
    main()
