"""bot.core.locks.KeyedLock: one key in order, different keys at once, no leftover entries."""

from __future__ import annotations

import asyncio
from functools import partial

import pytest

from bot.core.locks import KeyedLock


async def test_turns_of_one_key_run_in_the_order_they_came() -> None:
    locks: KeyedLock[str] = KeyedLock()
    log: list[str] = []

    async def turn(name: str) -> str:
        log.append(f"{name} start")
        await asyncio.sleep(0.01 if name == "first" else 0)
        log.append(f"{name} end")
        return name

    results = await asyncio.gather(
        *(locks.run("a", partial(turn, n)) for n in ("first", "second", "third"))
    )

    assert results == ["first", "second", "third"]
    assert log == [
        "first start",
        "first end",
        "second start",
        "second end",
        "third start",
        "third end",
    ]


async def test_different_keys_run_concurrently() -> None:
    locks: KeyedLock[int] = KeyedLock()
    inside = 0
    most = 0
    both_in = asyncio.Event()

    async def turn() -> None:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        if inside == 2:
            both_in.set()
        await asyncio.wait_for(both_in.wait(), timeout=1)
        inside -= 1

    await asyncio.gather(locks.run(1, turn), locks.run(2, turn))

    assert most == 2


async def test_entries_are_removed_when_unused() -> None:
    locks: KeyedLock[int] = KeyedLock()
    release = asyncio.Event()

    async def turn() -> None:
        await release.wait()

    tasks = [asyncio.create_task(locks.run(key % 3, turn)) for key in range(9)]
    await asyncio.sleep(0)
    assert len(locks) == 3  # held or awaited keys only

    release.set()
    await asyncio.gather(*tasks)
    assert len(locks) == 0

    for key in range(1000):
        await locks.run(key, lambda: asyncio.sleep(0))
    assert len(locks) == 0


async def test_an_error_releases_the_key() -> None:
    locks: KeyedLock[str] = KeyedLock()

    async def fail() -> None:
        raise ValueError("boom")

    for _ in range(2):
        with pytest.raises(ValueError, match="boom"):
            await locks.run("a", fail)
    assert len(locks) == 0
    async with locks.hold("a"):
        assert len(locks) == 1
    assert len(locks) == 0
