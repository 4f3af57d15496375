"""Collection dates from rules: pure functions, no database.

A rule is an RFC 5545 recurrence (`FREQ=WEEKLY;BYDAY=MO`, `FREQ=WEEKLY;INTERVAL=2;BYDAY=WE`,
`FREQ=MONTHLY;BYDAY=1MO` — "the first Monday of the month") expanded with python-dateutil
from its start date, plus optional explicit dates, limited by an end date, with an optional
local time window. Exceptions cancel a date or move it to another one. Dates are local
calendar days in the city's zone (`storage.clock.city_zone()`, TIMEZONE); a time becomes an
instant only through `local_instant`, which is where daylight-saving changes are handled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from storage.clock import city_zone

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_FORBIDDEN_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# Far enough to reach the next "first Saturday of the month" from any day.
NEXT_HORIZON_DAYS = 70


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """When one waste type is collected in one zone."""

    waste_type: str
    starts_on: date
    rrule: str | None = None
    dates: tuple[date, ...] = ()
    ends_on: date | None = None
    window_start: time | None = None
    window_end: time | None = None
    is_example: bool = False


@dataclass(frozen=True, slots=True)
class ExceptionSpec:
    """A collection day cancelled (`moved_to` None) or moved to another day."""

    waste_type: str
    original: date
    moved_to: date | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Collection:
    """One collection of one waste type on one local day."""

    waste_type: str
    day: date
    window_start: time | None = None
    window_end: time | None = None
    moved_from: date | None = None
    reason: str = ""
    is_example: bool = False

    def starts_at(self, zone: ZoneInfo | None = None) -> datetime:
        """The instant the collection starts (midnight when no window is known)."""
        return local_instant(self.day, self.window_start or time(0), zone)


def local_instant(day: date, at: time, zone: ZoneInfo | None = None) -> datetime:
    """The UTC instant of a local wall-clock time.

    On the spring-forward day a time in the skipped hour (03:00–03:59 in Kyiv) does not
    exist; it is taken one hour later, as the clock shows after the change. On the
    fall-back day a repeated time is taken at its first occurrence (fold=0).
    """
    zone = zone or city_zone()
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:  # a non-existent local time: move past the gap
        aware = (naive + timedelta(hours=1)).replace(tzinfo=zone, fold=0)
        return aware.astimezone(UTC)
    return aware.astimezone(UTC)


def parse_time(text: str | None) -> time | None:
    """ "07:00" → time(7, 0); None or "" → None; anything else raises ValueError."""
    if text is None or text == "":
        return None
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time HH:MM")
    return time(int(match.group(1)), int(match.group(2)))


def normalize_rrule(text: str) -> str:
    """Check a recurrence rule and return it in canonical form (upper case, no prefix).

    Times of day come from the rule's window, so BYHOUR/BYMINUTE/BYSECOND are refused;
    the start comes from the rule's start date, so DTSTART is refused too.
    """
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    body = body.upper().replace(" ", "")
    if not body:
        raise ValueError("the recurrence rule is empty")
    parts: dict[str, str] = {}
    for part in body.split(";"):
        name, sep, value = part.partition("=")
        if not sep or not name or not value:
            raise ValueError(f"{part!r} is not NAME=VALUE")
        if name in parts:
            raise ValueError(f"{name} is given twice")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise ValueError(f"FREQ must be one of {', '.join(FREQUENCIES)}")
    for name in _FORBIDDEN_PARTS:
        if name in parts:
            raise ValueError(f"{name} is not allowed (use the time window and start date)")
    until = parts.get("UNTIL")
    if until is not None and until.endswith("Z"):
        raise ValueError("UNTIL must be a local date (YYYYMMDD), or use the end date")
    try:
        _compiled(body, date(2000, 1, 3))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a valid RRULE: {exc}") from None
    return body


@lru_cache(maxsize=4096)
def _compiled(rule: str, starts_on: date) -> rrule:
    result = rrulestr(rule, dtstart=datetime.combine(starts_on, time(0)), cache=True)
    if not isinstance(result, rrule):  # rrulestr returns an rruleset for several rules
        raise ValueError("exactly one RRULE is expected")
    return result


def scheduled_days(spec: RuleSpec, start: date, end: date) -> list[date]:
    """The rule's own days in [start, end], before exceptions."""
    lower = max(start, spec.starts_on)
    upper = end if spec.ends_on is None else min(end, spec.ends_on)
    if lower > upper:
        return []
    days: set[date] = {d for d in spec.dates if lower <= d <= upper}
    if spec.rrule:
        compiled = _compiled(spec.rrule, spec.starts_on)
        for moment in compiled.between(
            datetime.combine(lower, time(0)), datetime.combine(upper, time(23, 59)), inc=True
        ):
            days.add(moment.date())
    return sorted(days)


def occurs_on(spec: RuleSpec, day: date) -> bool:
    return bool(scheduled_days(spec, day, day))


def collections(
    rules: Iterable[RuleSpec],
    exceptions: Iterable[ExceptionSpec],
    start: date,
    end: date,
) -> list[Collection]:
    """Every collection in [start, end] of one zone, exceptions applied, in date order."""
    rules = list(rules)
    by_key = {(e.waste_type, e.original): e for e in exceptions}
    found: list[Collection] = []
    for spec in rules:
        for day in scheduled_days(spec, start, end):
            if (spec.waste_type, day) in by_key:
                continue  # cancelled or moved: the new day is added below
            found.append(_collection(spec, day))
    for exc in by_key.values():
        if exc.moved_to is None or not start <= exc.moved_to <= end:
            continue
        spec_for = next(
            (s for s in rules if s.waste_type == exc.waste_type and occurs_on(s, exc.original)),
            None,
        )
        if spec_for is None:
            continue  # the original day is not a collection day: nothing was moved
        found.append(
            _collection(spec_for, exc.moved_to, moved_from=exc.original, reason=exc.reason)
        )
    found.sort(key=lambda c: (c.day, c.window_start or time(0), c.waste_type))
    return _unique(found)


def _collection(
    spec: RuleSpec, day: date, *, moved_from: date | None = None, reason: str = ""
) -> Collection:
    return Collection(
        waste_type=spec.waste_type,
        day=day,
        window_start=spec.window_start,
        window_end=spec.window_end,
        moved_from=moved_from,
        reason=reason,
        is_example=spec.is_example,
    )


def _unique(found: Sequence[Collection]) -> list[Collection]:
    # Two rules (or a moved day landing on a regular one) may give the same type twice a day.
    seen: set[tuple[str, date]] = set()
    out: list[Collection] = []
    for item in found:
        key = (item.waste_type, item.day)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def next_per_type(
    rules: Iterable[RuleSpec],
    exceptions: Iterable[ExceptionSpec],
    today: date,
    horizon_days: int = NEXT_HORIZON_DAYS,
) -> list[Collection]:
    """The next collection of every type from `today` on, ordered by date."""
    upcoming = collections(rules, exceptions, today, today + timedelta(days=horizon_days))
    first: dict[str, Collection] = {}
    for item in upcoming:
        first.setdefault(item.waste_type, item)
    return sorted(first.values(), key=lambda c: (c.day, c.waste_type))


def local_today(now: datetime, zone: ZoneInfo | None = None) -> date:
    return now.astimezone(zone or city_zone()).date()
