"""The one clock: every "what time is it" in Svoi reads `now()` from here.

Quiet hours, reminders, the scheduler's tick, retention, lock-outs, sessions and schedules
all take the time from `now()`, so the time is an input: tests (and drills) install another
clock with `use()` and the whole service — every layer, including the repositories, whose
package this is — sees the same instant. Production runs on `SystemClock`.

`SetClock` is a clock that starts at a chosen instant: `running=True` (the default) lets it
advance at the speed of `time.monotonic()`, so leases, retries and waits behave as they do
in real time, only on another day and hour; `running=False` freezes it until `set()` or
`advance()` moves it. A process can start on a set clock with `SVOI_CLOCK_START` (an ISO
8601 instant with its offset), which the test suite uses for the processes it starts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

CLOCK_START_VARIABLE = "SVOI_CLOCK_START"

# The city's time zone by default (TIMEZONE, `Settings.zone`, sets it for a running service):
# the zone of residents' dates, quiet hours, waste schedules, calendars, the plan content's
# dates and the working group's hours — the city's calendar days.
CITY_ZONE = ZoneInfo("Europe/Kyiv")
_city_zone = CITY_ZONE


def city_zone() -> ZoneInfo:
    """The city's time zone: TIMEZONE once the service or a command has started, else
    Europe/Kyiv."""
    return _city_zone


def set_city_zone(zone: ZoneInfo) -> None:
    """Set by the composition root (`Svoi.create`) and the command line from TIMEZONE."""
    global _city_zone
    _city_zone = zone


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    """The machine's wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SetClock:
    """A clock that reads `start` when created and then runs (or stands still)."""

    def __init__(self, start: datetime, *, running: bool = True) -> None:
        self._running = running
        self._base = _aware(start)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        if not self._running:
            return self._base
        return self._base + timedelta(seconds=time.monotonic() - self._origin)

    def set(self, instant: datetime) -> None:
        self._base = _aware(instant)
        self._origin = time.monotonic()

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("a clock needs an aware datetime (with its UTC offset)")
    return instant.astimezone(UTC)


def from_environment() -> Clock:
    """`SetClock` at `SVOI_CLOCK_START` when that is set, else the system clock."""
    start = os.environ.get(CLOCK_START_VARIABLE, "").strip()
    if not start:
        return SystemClock()
    try:
        instant = datetime.fromisoformat(start)
    except ValueError as exc:
        raise ValueError(f"{CLOCK_START_VARIABLE}: not an ISO 8601 instant: {start!r}") from exc
    return SetClock(instant)


_clock: Clock = from_environment()


def now() -> datetime:
    """The current instant (aware, UTC) from the installed clock."""
    return _clock.now()


def current() -> Clock:
    return _clock


def install(clock: Clock) -> Clock:
    """Make `clock` the service's clock; returns the one it replaces."""
    global _clock
    previous, _clock = _clock, clock
    return previous


@contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    """Run a block (a test) on `clock`, then put the previous clock back."""
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)
