"""Rate limits of one channel token: a total rate, a minimum gap per chat, and pauses.

The total rate is spaced evenly (a GCRA: one slot every 1/rate seconds). A send that wakes
late — the event loop was busy — keeps its place in the schedule instead of pushing every
later slot back, up to `catch_up` seconds behind: otherwise each millisecond of lateness is
lost for good, a few percent of the rate at 30 or 1,000 messages/s. A log of real start
times caps even the burst of a late event loop, which lets several waiting sends go at once:
no one-second window holds more than ⌈rate⌉ starts, and at a rate just below the platform's
limit (29.1 against 30) the 31 starts it would refuse in a second always span more than one
(1.0155 s, half the schedule's 1.031 s). That margin absorbs the jitter between our start and
the platform's clock; without it a catch-up burst could leave none. A chat's next send waits
`chat_interval` after its previous one. A 429 pauses the whole token until `retry_after` has
passed. Time comes from a `Clock`, so the benchmark can run the same limiter on a compressed
clock.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque

from bot.core.locks import KeyedLock


class Clock:
    """Monotonic seconds and sleeping, in real time."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ScaledClock(Clock):
    """A compressed clock: `scale` virtual seconds pass per real second."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self._origin = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self._origin) * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.scale)


class TokenLimiter:
    """Hands out send times for one token; `acquire` returns when a send may start."""

    # Chats last sent to longer ago than their interval no longer constrain anything; the
    # table is trimmed to this many entries so a 100,000-recipient broadcast stays small.
    MAX_TRACKED_CHATS = 50_000

    def __init__(
        self,
        rate_per_second: float,
        chat_interval: float = 0.0,
        clock: Clock | None = None,
    ) -> None:
        self.interval = 1.0 / rate_per_second
        # Two slots, at least 20 ms: enough to absorb a late wake-up, small enough that the
        # catch-up burst (written one request after another) adds little jitter on the wire.
        self.catch_up = max(0.02, 2 * self.interval)
        self.chat_interval = chat_interval
        self.clock = clock or Clock()
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._chat_next: OrderedDict[str, float] = OrderedDict()
        self._chat_locks: KeyedLock[str] = KeyedLock()
        # At most ⌈rate⌉ starts in any `_window` seconds: one second at a whole rate; at
        # 29.1/s, 30 in any 1.0155 s, so 31 starts take at least that long — half of the
        # schedule's own margin (31 starts every 1/29.1 s take 1.031 s), the other half left
        # for catching up after late wake-ups (see the module docstring).
        self._per_window = math.ceil(rate_per_second)
        self._window = (1.0 + self._per_window / rate_per_second) / 2
        self._started: deque[float] = deque()

    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self.clock.now())

    def pause(self, seconds: float) -> None:
        """The platform said 429: nothing goes out on this token for `seconds`."""
        until = self.clock.now() + seconds
        if until > self._paused_until:
            self._paused_until = until
        self._next_slot = max(self._next_slot, self._paused_until)

    async def acquire(self, chat: str | None = None) -> None:
        """Wait for this chat's turn and then for a slot of the token's total rate."""
        if chat is None or self.chat_interval <= 0:
            await self._slot()
            return
        # One waiter per chat at a time: a second message to the same chat measures its gap
        # from the moment the first one really started, not from when it asked.
        async with self._chat_locks.hold(chat):
            await self.clock.sleep(self._chat_next.get(chat, 0.0) - self.clock.now())
            await self._slot()
            self._chat_next[chat] = self.clock.now() + self.chat_interval
            self._chat_next.move_to_end(chat)
            self._trim()

    async def _slot(self) -> None:
        while True:
            now = self.clock.now()
            slot = max(self._next_slot, self._paused_until)
            # Behind schedule by at most `catch_up`: take the missed slot (the window log
            # below still caps the burst). Further behind — idle, or a long stall — the
            # schedule restarts from now, without a burst.
            if slot < now - self.catch_up:
                slot = now
            self._next_slot = slot + self.interval
            await self.clock.sleep(slot - self.clock.now())
            if await self._within_window():
                return
            # A pause began while we waited: our slot moves past it.

    async def _within_window(self) -> bool:
        """Record a start unless the token is paused. Sleepers woken late by a busy event
        loop could all go at once; the log of real start times keeps even such a burst to
        `_per_window` starts per `_window` (waiting for the window keeps this slot)."""
        while True:
            now = self.clock.now()
            if now < self._paused_until:
                return False
            # One expression for "this start has left the window", so the test below and the
            # sleep that follows agree even on the last bit of a float.
            while self._started and self._started[0] + self._window <= now:
                self._started.popleft()
            if len(self._started) < self._per_window:
                self._started.append(now)
                return True
            await self.clock.sleep(self._started[0] + self._window - now)

    def _trim(self) -> None:
        now = self.clock.now()
        while len(self._chat_next) > self.MAX_TRACKED_CHATS:
            chat, due = next(iter(self._chat_next.items()))
            if due > now:
                break
            del self._chat_next[chat]
