"""Quiet hours: non-urgent notifications wait while the city sleeps (22:00–08:00 Kyiv by
default, `QUIET_HOURS_START` / `QUIET_HOURS_END`); urgent ones go at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: time
    end: time
    zone: ZoneInfo

    def is_quiet(self, now: datetime) -> bool:
        """True when `now` (aware) falls inside the quiet hours in the city's time zone."""
        if self.start == self.end:
            return False
        local = now.astimezone(self.zone).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end
