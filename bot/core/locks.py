"""Per-key asyncio locks: work under one key runs one at a time, in arrival order; different
keys run concurrently; a key's entry exists only while someone holds or waits for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class KeyedLock(Generic[K]):
    """asyncio locks are fair and `hold` queues on its key's lock before its first
    suspension, so holders of one key run in the order they called."""

    def __init__(self) -> None:
        self._entries: dict[K, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        """Keys held or waited for right now (unused keys are dropped)."""
        return len(self._entries)

    @asynccontextmanager
    async def hold(self, key: K) -> AsyncIterator[None]:
        lock, count = self._entries.get(key, (asyncio.Lock(), 0))
        self._entries[key] = (lock, count + 1)
        try:
            async with lock:
                yield
        finally:
            lock, count = self._entries[key]
            if count <= 1:
                del self._entries[key]
            else:
                self._entries[key] = (lock, count - 1)

    async def run(self, key: K, fn: Callable[[], Awaitable[T]]) -> T:
        async with self.hold(key):
            return await fn()
