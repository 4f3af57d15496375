"""Rule expansion checked against an independent iCalendar implementation
(icalendar + recurring-ical-events): the same days and the same instants for a year of
every rule shape, with exceptions applied, across both DST changes of 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar, Event

from dialogs.waste.schedule import (
    ExceptionSpec,
    RuleSpec,
    collections,
    local_instant,
    next_per_type,
    normalize_rrule,
)
from storage.clock import CITY_ZONE as KYIV

YEAR_START = date(2026, 1, 1)
YEAR_END = date(2026, 12, 31)

SHAPES = {
    "weekly Monday and Thursday": ("FREQ=WEEKLY;BYDAY=MO,TH", date(2026, 1, 1), time(7), time(12)),
    "every other Wednesday": (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        date(2026, 1, 7),
        time(8),
        time(14),
    ),
    "first Monday of the month": ("FREQ=MONTHLY;BYDAY=1MO", date(2026, 1, 5), time(9), None),
    "first Saturday of the month": ("FREQ=MONTHLY;BYDAY=1SA", date(2026, 1, 3), time(8), time(16)),
    "third Thursday of the month": ("FREQ=MONTHLY;BYDAY=3TH", date(2026, 1, 15), time(9), time(15)),
    "last Friday of the month": ("FREQ=MONTHLY;BYDAY=-1FR", date(2026, 1, 30), time(10), time(13)),
    "every third day": ("FREQ=DAILY;INTERVAL=3", date(2026, 1, 2), time(6, 30), time(7, 30)),
    "Sundays at 03:30 (inside the DST gap and overlap)": (
        "FREQ=WEEKLY;BYDAY=SU",
        date(2026, 1, 4),
        time(3, 30),
        None,
    ),
    "the 1st and 15th": ("FREQ=MONTHLY;BYMONTHDAY=1,15", date(2026, 1, 1), time(7), time(11)),
}


def _vevent(rrule: str, first: date, start: time, end: time | None) -> Event:
    event = Event()
    event.add("uid", f"{rrule}@test")
    event.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
    event.add("dtstart", datetime.combine(first, start, tzinfo=KYIV))
    if end is not None:
        event.add("dtend", datetime.combine(first, end, tzinfo=KYIV))
    event.add("rrule", Calendar.from_ical(f"BEGIN:VEVENT\nRRULE:{rrule}\nEND:VEVENT").get("rrule"))
    return event


def _independent(cal: Calendar, start: date, end: date) -> list[datetime]:
    occurrences = recurring_ical_events.of(cal).between(start, end + timedelta(days=1))
    return sorted(o.decoded("dtstart").astimezone(UTC) for o in occurrences)


def _calendar(*events: Event) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//test//")
    cal.add("version", "2.0")
    for event in events:
        cal.add_component(event)
    return cal


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_year_of_each_rule_shape_matches_recurring_ical_events(shape: str) -> None:
    rrule, first, start, end = SHAPES[shape]
    spec = RuleSpec("mixed", first, rrule, window_start=start, window_end=end)
    ours = collections([spec], [], YEAR_START, YEAR_END)
    theirs = _independent(_calendar(_vevent(rrule, first, start, end)), YEAR_START, YEAR_END)
    assert len(ours) >= 12
    assert [c.starts_at() for c in ours] == theirs
    assert all(c.starts_at().astimezone(KYIV).time() == start or start.hour == 3 for c in ours)


def test_exceptions_cancel_and_move_like_exdate_and_recurrence_id() -> None:
    rrule, first, start, end = SHAPES["weekly Monday and Thursday"]
    cancelled, moved, moved_to = date(2026, 3, 30), date(2026, 10, 26), date(2026, 10, 27)
    exceptions = [
        ExceptionSpec("mixed", cancelled, None, "holiday"),
        ExceptionSpec("mixed", moved, moved_to, "truck repair"),
        ExceptionSpec("mixed", date(2026, 3, 31), date(2026, 4, 1), "not a collection day"),
    ]
    spec = RuleSpec("mixed", first, rrule, window_start=start, window_end=end)
    ours = collections([spec], exceptions, YEAR_START, YEAR_END)

    event = _vevent(rrule, first, start, end)
    event.add("exdate", datetime.combine(cancelled, start, tzinfo=KYIV))
    override = Event()
    override.add("uid", event["uid"])
    override.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
    override.add("recurrence-id", datetime.combine(moved, start, tzinfo=KYIV))
    override.add("dtstart", datetime.combine(moved_to, start, tzinfo=KYIV))
    override.add("dtend", datetime.combine(moved_to, end, tzinfo=KYIV))
    theirs = _independent(_calendar(event, override), YEAR_START, YEAR_END)

    assert [c.starts_at() for c in ours] == theirs
    days = [c.day for c in ours]
    assert cancelled not in days and moved not in days and moved_to in days
    assert date(2026, 4, 1) not in days  # moving a non-collection day adds nothing
    [shifted] = [c for c in ours if c.day == moved_to]
    assert shifted.moved_from == moved and shifted.reason == "truck repair"


def test_explicit_dates_and_an_end_date_match_rdate_and_until() -> None:
    spec = RuleSpec(
        "glass",
        date(2026, 1, 1),
        "FREQ=WEEKLY;BYDAY=TU",
        dates=(date(2026, 2, 14), date(2026, 7, 4)),
        ends_on=date(2026, 6, 30),
        window_start=time(9),
    )
    event = _vevent("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), time(9), None)
    event["rrule"]["UNTIL"] = [datetime(2026, 6, 30, 21, 0, tzinfo=UTC)]
    event.add("rdate", [datetime(2026, 2, 14, 9, tzinfo=KYIV)])
    ours = collections([spec], [], YEAR_START, YEAR_END)
    theirs = _independent(_calendar(event), YEAR_START, YEAR_END)
    # the explicit day after the end date is outside the rule's life too
    assert [c.starts_at() for c in ours] == theirs
    assert ours[-1].day == date(2026, 6, 30)


def test_dst_days_keep_local_times() -> None:
    # Spring forward: Sunday 29 March 2026, 03:00 → 04:00; fall back: Sunday 25 October.
    assert local_instant(date(2026, 3, 28), time(19)) == datetime(2026, 3, 28, 17, tzinfo=UTC)
    assert local_instant(date(2026, 3, 29), time(19)) == datetime(2026, 3, 29, 16, tzinfo=UTC)
    assert local_instant(date(2026, 3, 29), time(3, 30)) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert local_instant(date(2026, 10, 24), time(19)) == datetime(2026, 10, 24, 16, tzinfo=UTC)
    assert local_instant(date(2026, 10, 25), time(19)) == datetime(2026, 10, 25, 17, tzinfo=UTC)
    assert local_instant(date(2026, 10, 25), time(3, 30)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    spec = RuleSpec("mixed", date(2026, 1, 1), "FREQ=WEEKLY;BYDAY=MO,TH", window_start=time(7))
    around = collections([spec], [], date(2026, 3, 26), date(2026, 3, 30))
    assert [c.starts_at().hour for c in around] == [5, 4]  # 07:00 EET, then 07:00 EEST


def test_next_collection_per_type_from_today() -> None:
    rules = [
        RuleSpec("mixed", date(2026, 1, 1), "FREQ=WEEKLY;BYDAY=MO,TH", window_start=time(7)),
        RuleSpec("branches", date(2026, 1, 1), "FREQ=MONTHLY;BYDAY=1SA"),
    ]
    upcoming = next_per_type(rules, [], date(2026, 11, 30))
    assert [(c.waste_type, c.day) for c in upcoming] == [
        ("mixed", date(2026, 11, 30)),
        ("branches", date(2026, 12, 5)),
    ]
    cancelled = next_per_type(
        rules, [ExceptionSpec("mixed", date(2026, 11, 30), None)], date(2026, 11, 30)
    )
    assert cancelled[0].day == date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("FREQ=HOURLY", "FREQ must be"),
        ("FREQ=WEEKLY;BYHOUR=7", "BYHOUR is not allowed"),
        ("FREQ=WEEKLY;BYDAY=XX", "not a valid RRULE"),
        ("FREQ=WEEKLY;UNTIL=20261231T000000Z", "UNTIL must be a local date"),
        ("FREQ=WEEKLY;FREQ=DAILY", "given twice"),
        ("weekly on mondays", "NAME=VALUE"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_rrule(text)


def test_rules_are_normalised() -> None:
    assert normalize_rrule("RRULE:freq=monthly; byday=1mo") == "FREQ=MONTHLY;BYDAY=1MO"
