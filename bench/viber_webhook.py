"""Benchmark: signed Viber callbacks through the whole path — HTTP, signature, inbox, engine
turn, send_message to the fake Viber API, 200 — measured from the outside.

    .venv/bin/python -m bench.viber_webhook [--residents 50] [--turns 8] [--database URL]

Each resident opens the chat, taps a language, then alternates Settings / Menu taps; the
residents run concurrently. Reports callbacks per second and latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.config import Settings, ViberSettings
from storage import migrate
from storage.db import Database
from tests.channels.viber.client import ViberResident, ViberService, start_service
from tests.fakes.viber_api import TOKEN, FakeViberApi


async def resident_script(service: ViberService, n: int, turns: int, lat: list[float]) -> None:
    resident = ViberResident.on(service, f"bench-{n:05d}==")

    async def timed(step: object) -> None:
        started = time.perf_counter()
        await step  # type: ignore[misc]
        lat.append(time.perf_counter() - started)

    await timed(resident.open())
    await timed(resident.press("English"))
    for turn in range(turns):
        await timed(resident.press("Settings" if turn % 2 == 0 else "Menu"))


async def run(residents: int, turns: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        db = Database(db_url)
        await migrate.upgrade(db)
        fake = await FakeViberApi().start()
        settings = Settings(
            database_url=db_url,
            flood_max_messages=1000,
            viber=ViberSettings(auth_token=TOKEN, api_base=fake.url, _env_file=None),  # type: ignore[call-arg]
            _env_file=None,  # type: ignore[call-arg]
        )
        service = await start_service(settings, db, fake)
        latencies: list[float] = []
        started = time.perf_counter()
        await asyncio.gather(
            *(resident_script(service, n, turns, latencies) for n in range(residents))
        )
        elapsed = time.perf_counter() - started
        await service.close()
        await fake.close()
        await db.dispose()
    q = statistics.quantiles(latencies, n=100)
    print(f"database            {db_url.split(':')[0]}")
    print(f"residents × turns   {residents} × {turns + 2} = {len(latencies)} callbacks")
    print(f"throughput          {len(latencies) / elapsed:.0f} callbacks/s")
    p50, p95, worst = q[49] * 1000, q[94] * 1000, max(latencies) * 1000
    print(f"latency p50/p95/max {p50:.1f} / {p95:.1f} / {worst:.1f} ms")
    print(f"send_message calls  {len(fake.accepted)} accepted, {len(fake.rejected)} rejected")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    asyncio.run(run(args.residents, args.turns, args.database))


if __name__ == "__main__":
    main()
