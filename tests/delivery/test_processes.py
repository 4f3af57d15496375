"""Senders as real processes: killed with SIGKILL halfway through 2,000 messages and
restarted, nothing is lost and duplicates stay within the configured concurrency; two
senders on PostgreSQL at once deliver each message once, within the limit, and the
standby takes over when the elected one stops."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import tempfile
from collections.abc import AsyncIterator

import pytest

from bot.app import Svoi
from bot.config import PROJECT_ROOT
from tests.delivery.conftest import add_residents, eventually, note, put, rows
from tests.delivery.fake_platform import FakePlatform, max_in_window
from tests.support.process import child_env

CONCURRENCY = 16


class SenderProcess:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, db_url: str, platform_url: str, *extra: str) -> SenderProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.delivery.sender_process",
            "--db",
            db_url,
            "--platform",
            platform_url,
            *extra,
            cwd=tempfile.gettempdir(),
            env=child_env(PYTHONPATH=str(PROJECT_ROOT)),
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        assert line.strip() == b"ready", line
        return cls(process)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> dict[str, object]:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(self.process.communicate(), timeout=30)
        lines = [line for line in out.decode().splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}


@pytest.fixture
async def processes() -> AsyncIterator[list[SenderProcess]]:
    started: list[SenderProcess] = []
    yield started
    for sender in started:
        if sender.process.returncode is None:
            sender.kill()
            await sender.process.wait()


async def _arrived(platform: FakePlatform, n: int) -> bool:
    return len(platform.counts()) >= n


async def test_a_sender_killed_halfway_and_restarted_delivers_everything(
    svoi: Svoi, db_url: str, platform: FakePlatform, processes: list[SenderProcess]
) -> None:
    residents = await add_residents(svoi, 2000)
    await put(svoi, [note(r, "notice") for r in residents])
    args = ("--rate", "400", "--concurrency", str(CONCURRENCY), "--lease", "2")

    first = await SenderProcess.start(db_url, platform.url, *args)
    processes.append(first)
    await eventually(lambda: _arrived(platform, 1000), within=120, step=0.01)
    first.kill()
    await first.process.wait()
    killed_at = len(platform.arrivals)
    assert killed_at < 2000

    second = await SenderProcess.start(db_url, platform.url, *args)
    processes.append(second)
    await eventually(lambda: _arrived(platform, 2000), within=120)
    await eventually(lambda: _all_sent(svoi), within=60)
    await second.stop()

    counts = platform.counts()
    assert len(counts) == 2000
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= CONCURRENCY
    assert {r.status for r in await rows(svoi)} == {"sent"}


async def _all_sent(svoi: Svoi) -> bool:
    return all(r.status == "sent" for r in await rows(svoi))


@pytest.mark.usefixtures("still_heap")
async def test_two_senders_on_postgresql_deliver_each_message_once_within_the_limit(
    svoi: Svoi, db_url: str, platform: FakePlatform, processes: list[SenderProcess]
) -> None:
    if svoi.db.is_sqlite:
        pytest.skip("several instances need PostgreSQL; SQLite serves one instance")
    platform.rate_limit = 120
    residents = await add_residents(svoi, 800)
    await put(svoi, [note(r, "first") for r in residents[:600]])
    args = ("--rate", "100", "--concurrency", "16", "--lease", "5")
    a = await SenderProcess.start(db_url, platform.url, "--tag", "a", *args)
    b = await SenderProcess.start(db_url, platform.url, "--tag", "b", *args)
    processes.extend([a, b])
    await eventually(lambda: _arrived(platform, 600), within=120)

    counts = platform.counts()
    assert len(platform.arrivals) == len(counts) == 600
    assert max_in_window([x.at for x in platform.arrivals]) <= 120
    assert platform.answers.get("429", 0) == 0
    [elected] = {x.sender for x in platform.arrivals}

    # The elected sender stops; the standby takes the token over.
    first, standby = (a, b) if elected == "a" else (b, a)
    report = await first.stop()
    assert report["elected"] is True
    await put(svoi, [note(r, "second") for r in residents[600:]])
    await eventually(lambda: _arrived(platform, 800), within=120)
    later = {x.sender for x in platform.arrivals[600:]}
    assert later == {"b" if elected == "a" else "a"}
    assert len(platform.arrivals) == len(platform.counts()) == 800
    await standby.stop()
