"""The one reader of the dates and times an operator types, for every feature and front end.

Days: `DD.MM.YYYY`, `DD.MM.YY`, `DD.MM` (the next such day), with `.`, `/` or `-` between,
and `YYYY-MM-DD` (what a browser's date field sends).
Moments: a day as above but `YYYY-MM-DD` or `DD.MM[.YYYY]`, then `HH:MM`; `HH:MM` alone is
today, or tomorrow once that time has passed; `YYYY-MM-DDTHH:MM` is a browser's
datetime-local field. Times are city time (the zone the caller passes, by default
`storage.clock.city_zone()`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_FORMATS = ("DD.MM.YYYY", "DD.MM", "YYYY-MM-DD")
MOMENT_FORMATS = ("DD.MM.YYYY HH:MM", "DD.MM HH:MM", "HH:MM", "YYYY-MM-DD HH:MM")

_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


def _split_day(text: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) from a typed day, or None."""
    if match := _YEAR_FIRST.match(text):
        year, month, day = (int(g) for g in match.groups())
        return day, month, year
    if match := _DAY_FIRST.match(text):
        day, month, typed = int(match.group(1)), int(match.group(2)), match.group(3)
        if typed is None:
            return day, month, None
        return day, month, int(typed) + (2000 if len(typed) == 2 else 0)
    return None


def parse_day(text: str, today: date) -> date | None:
    """A typed day, or None. A day without a year is the next such day from `today` on."""
    parts = _split_day(text.strip())
    if parts is None:
        return None
    day, month, year = parts
    try:
        if year is not None:
            return date(year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """The first moment after `day` in city time (a closing date "31.12" means until then)."""
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def parse_moment(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A typed date and time in city time, or None (see the module's formats). A day without a
    year is in `now`'s year; a time alone is today, or tomorrow once it has passed."""
    text = text.strip().replace("T", " ", 1)
    day_text, _, time_text = text.rpartition(" ")
    clock = _TIME.match(time_text.strip())
    if clock is None:
        return None
    local_now = now.astimezone(zone)
    parts = _split_day(day_text.strip()) if day_text.strip() else None
    if day_text.strip() and parts is None:
        return None
    day, month, year = parts if parts is not None else (local_now.day, local_now.month, None)
    try:
        when = datetime(
            year if year is not None else local_now.year,
            month,
            day,
            int(clock.group(1)),
            int(clock.group(2)),
            tzinfo=zone,
        )
    except ValueError:
        return None
    if parts is None and when <= local_now:
        # Wall-clock arithmetic: zoneinfo computes the offset of the new day itself.
        when += timedelta(days=1)
    return when
