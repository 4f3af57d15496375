"""The token limiter on a virtual clock: every sleep wakes a little late, as on a busy event
loop, and the limiter must neither drift below its rate nor exceed it in any one-second
window. (The sender tests check the same limits on a fake platform's arrival times.)"""

from __future__ import annotations

import asyncio
import math

import pytest

from bot.delivery.limits import Clock, TokenLimiter
from tests.support.rates import max_in_window


class LateClock(Clock):
    """Virtual time that only moves when someone sleeps; each real sleep ends `lateness`
    seconds after it was due, and `stalls` adds a longer delay to chosen wake-ups."""

    def __init__(self, lateness: float, stalls: dict[int, float] | None = None) -> None:
        self.t = 0.0
        self.lateness = lateness
        self.stalls = stalls or {}
        self.wakes = 0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)
        if seconds <= 0:
            return
        self.wakes += 1
        due = self.t + seconds
        # Never wake before the time asked for, even when `seconds` is below a float's step.
        self.t = max(due, math.nextafter(self.t, math.inf))
        self.t += self.lateness + self.stalls.get(self.wakes, 0.0)


async def starts(limiter: TokenLimiter, clock: LateClock, count: int) -> list[float]:
    times = []
    for _ in range(count):
        await limiter.acquire()
        times.append(clock.now())
    return times


def shortest_span(times: list[float], count: int) -> float:
    """The shortest time covered by `count` consecutive starts."""
    return min(times[i + count - 1] - times[i] for i in range(len(times) - count + 1))


# The sender runs at 97 % of a platform's limit: (rate, the platform's limit per second).
RATES = [(29.1, 30), (970.0, 1000)]


@pytest.mark.parametrize(("rate", "limit"), RATES)
async def test_late_wake_ups_do_not_slow_the_rate_down(rate: float, limit: int) -> None:
    # Each wake-up comes 1.5 slots late (a loaded event loop at 970/s, or a compressed clock
    # at 30/s). Restarting the schedule from every late wake-up sends at 0.8 of the rate.
    clock = LateClock(lateness=1.5 / rate)
    limiter = TokenLimiter(rate, clock=clock)
    times = await starts(limiter, clock, int(rate * 20))

    achieved = (len(times) - 1) / (times[-1] - times[0])
    assert achieved >= 0.95 * rate
    assert max_in_window(times) <= math.ceil(rate) <= limit


async def test_catching_up_keeps_a_margin_under_the_platform_limit() -> None:
    # At 29.1/s against Telegram's 30, stalls of one to three slots let the sends that waited
    # go back to back. Even then the 31 starts the platform would refuse within a second span
    # more than one: 15 ms that absorb the jitter between our start and the platform's
    # clock, where a 429 would pause the token. (Capping bursts at 29 per second left none.)
    rate, limit = 29.1, 30
    stalls = {n: (1 + n % 3) / rate for n in range(7, 40_000, 11)}
    clock = LateClock(lateness=0.0, stalls=stalls)
    limiter = TokenLimiter(rate, clock=clock)
    times = await starts(limiter, clock, int(rate * 60))

    assert shortest_span(times, limit + 1) >= 1.015
    assert max_in_window(times) <= limit
    assert (len(times) - 1) / (times[-1] - times[0]) >= 0.95 * rate


async def test_a_stall_is_caught_up_only_within_the_window_cap() -> None:
    # A 50 ms stall on every 100th wake-up: the missed slots are taken right after it (up to
    # the catch-up allowance), yet no one-second window ever holds more than the rate.
    rate = 970.0
    clock = LateClock(lateness=0.0, stalls={n: 0.05 for n in range(100, 20_000, 100)})
    limiter = TokenLimiter(rate, clock=clock)
    times = await starts(limiter, clock, 19_400)

    assert max_in_window(times) <= 970
    burst = max(times.count(t) for t in set(times))
    # The stalled send itself, then at most 20 ms of missed slots.
    assert burst <= 0.02 * rate + 2


async def test_after_a_long_stall_the_schedule_restarts_instead_of_bursting() -> None:
    rate = 100.0
    clock = LateClock(lateness=0.0, stalls={5: 2.0})  # one two-second stall
    limiter = TokenLimiter(rate, clock=clock)
    times = await starts(limiter, clock, 300)

    # Without a bound on catching up, the 200 slots missed during the stall would go at once.
    assert max(times.count(t) for t in set(times)) <= 0.02 * rate + 2
    assert max_in_window(times) <= 100


async def test_a_pause_holds_every_slot_until_it_ends() -> None:
    clock = LateClock(lateness=0.0)
    limiter = TokenLimiter(50.0, clock=clock)
    await starts(limiter, clock, 10)
    limiter.pause(3.0)
    paused_at = clock.now()
    after = await starts(limiter, clock, 10)
    assert min(after) >= paused_at + 3.0
