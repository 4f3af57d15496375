"""Importing and exporting waste content: YAML (everything), CSV (streets, rules,
exceptions or Ecobus stops), iCalendar (the dates of one zone and type). Format: docs/waste.md.

An import is validated completely before anything is written, every problem reported with
its place (`file:line: column: …` or `file: zones[2].rules[0].rrule: …`), and applied in one
transaction, so a file with one bad row changes nothing. Importing the same file again
changes nothing either: rows are matched by their codes and a zone's streets and rules are
only rewritten when they differ. Async code reads files in a worker thread
(`read_file_in_thread`): a large file takes seconds to parse and check, and the event loop
keeps serving residents meanwhile.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

import yaml
from icalendar import Calendar, vRecur
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PROJECT_ROOT
from dialogs.waste import schedule
from dialogs.waste.addresses import OldName, RegisterStreet
from dialogs.waste.service import rule_spec
from storage import clock, csvsafe
from storage.clock import CITY_ZONE
from storage.db import Database
from storage.models.waste import (
    CollectionException,
    DropOffPoint,
    EcobusStop,
    WasteType,
    WasteZone,
)
from storage.repos.waste import WasteRepo

log = logging.getLogger(__name__)

DEFAULT_CONTENT = PROJECT_ROOT / "content" / "waste.yaml"
DEFAULT_REGISTER = PROJECT_ROOT / "content" / "streets.yaml"
SOURCE_KINDS = ("decision", "official", "news", "draft", "example", "unverified")
SIDES = ("all", "odd", "even")
ZONE_KINDS = ("microdistrict", "village", "street")
POINT_KINDS = ("centre", "office")
STREET_KINDS = (
    "вул.",
    "просп.",
    "пров.",
    "бульв.",
    "пл.",
    "туп.",
    "шосе",
    "майдан",
    "проїзд",
    "узвіз",
)
CSV_KINDS = ("streets", "rules", "exceptions", "ecobus")


@dataclass(frozen=True, slots=True)
class Problem:
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class ContentError(Exception):
    """The content cannot be imported; `problems` lists every reason with its place."""

    def __init__(self, problems: list[Problem], partial: WasteDocument | None = None) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        # The rows that were valid, so references (zones, types, days) can be checked too
        # and the operator sees every problem at once.
        self.partial = partial


@dataclass
class ZoneDoc:
    code: str
    place: str
    fields: dict[str, Any] | None = None
    streets: list[dict[str, Any]] | None = None
    rules: list[dict[str, Any]] | None = None
    rules_type: str | None = None  # replace only this type's rules (an .ics import)


@dataclass
class ExceptionDoc:
    zone: str
    waste_type: str
    original: date
    moved_to: date | None
    reason_uk: str
    reason_en: str
    place: str


@dataclass
class WasteDocument:
    """Validated content, ready to apply."""

    types: list[dict[str, Any]] = field(default_factory=list)
    zones: list[ZoneDoc] = field(default_factory=list)
    exceptions: list[ExceptionDoc] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)
    ecobus: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class _Checker:
    """Reads typed values out of loose mappings, collecting problems instead of raising."""

    def __init__(self, separator: str = ".") -> None:
        self.problems: list[Problem] = []
        self.separator = separator

    def at(self, place: str, key: str) -> str:
        return f"{place}{self.separator}{key}"

    def fail(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message))

    def text(
        self, data: dict[str, Any], key: str, place: str, *, required: bool = True, limit: int = 200
    ) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(self.at(place, key), "is required")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(self.at(place, key), "must be text")
            return ""
        text = str(value).strip()
        if len(text) > limit:
            self.fail(self.at(place, key), f"is longer than {limit} characters")
        return text

    def flag(self, data: dict[str, Any], key: str, place: str) -> bool:
        value = data.get(key, False)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in (
            "true",
            "yes",
            "1",
            "false",
            "no",
            "0",
            "",
        ):
            return value.strip().lower() in ("true", "yes", "1")
        self.fail(self.at(place, key), "must be true or false")
        return False

    def day(
        self, data: dict[str, Any], key: str, place: str, *, required: bool = True
    ) -> date | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(self.at(place, key), "is required (YYYY-MM-DD)")
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(self.at(place, key), f"{value!r} is not a date YYYY-MM-DD")
            return None

    def number(self, data: dict[str, Any], key: str, place: str) -> int | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            self.fail(self.at(place, key), f"{value!r} is not a whole number")
            return None
        if not 0 < number < 10000:
            self.fail(self.at(place, key), "must be between 1 and 9999")
        return number

    def location(self, data: dict[str, Any], place: str) -> tuple[float | None, float | None]:
        value = data.get("location")
        if value is None:
            lat, lon = data.get("latitude"), data.get("longitude")
            if lat in (None, "") and lon in (None, ""):
                return None, None
            value = [lat, lon]
        try:
            lat_f, lon_f = (float(v) for v in value)
        except (TypeError, ValueError):
            self.fail(self.at(place, "location"), "must be [latitude, longitude]")
            return None, None
        if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
            self.fail(self.at(place, "location"), "is outside the map")
            return None, None
        return lat_f, lon_f

    def moment(self, data: dict[str, Any], key: str, place: str) -> datetime | None:
        value = data.get(key)
        if value is None or value == "":
            self.fail(self.at(place, key), "is required (YYYY-MM-DDTHH:MM, Kyiv time)")
            return None
        try:
            parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(self.at(place, key), f"{value!r} is not YYYY-MM-DDTHH:MM")
            return None
        if parsed.tzinfo is None:
            return schedule.local_instant(parsed.date(), parsed.time())
        return parsed.astimezone(UTC)

    def listing(self, data: dict[str, Any], key: str, place: str) -> list[Any]:
        value = data.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()]
        if not isinstance(value, list):
            self.fail(self.at(place, key), "must be a list")
            return []
        return value

    # --- sections -----------------------------------------------------------------------
    def waste_type(self, data: Any, place: str, position: int) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(place, "must be a mapping")
            return None
        return {
            "code": self.text(data, "code", place, limit=24),
            "name_uk": self.text(data, "name_uk", place, limit=80),
            "name_en": self.text(data, "name_en", place, limit=80),
            "hint_uk": self.text(data, "hint_uk", place, required=False, limit=1000),
            "hint_en": self.text(data, "hint_en", place, required=False, limit=1000),
            "position": position,
        }

    def street(self, data: Any, place: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(place, "must be a mapping")
            return None
        kind = self.text(data, "kind", place, required=False, limit=16) or "вул."
        if kind not in STREET_KINDS:
            self.fail(self.at(place, "kind"), f"must be one of {', '.join(STREET_KINDS)}")
        side = self.text(data, "side", place, required=False, limit=8) or "all"
        if side not in SIDES:
            self.fail(self.at(place, "side"), f"must be one of {', '.join(SIDES)}")
        house_from = self.number(data, "from", place)
        house_to = self.number(data, "to", place)
        if house_from is not None and house_to is not None and house_from > house_to:
            self.fail(self.at(place, "from"), "is greater than `to`")
        aliases = [str(a).strip()[:120] for a in self.listing(data, "aliases", place)]
        return {
            "kind": kind,
            "name_uk": self.text(data, "name_uk", place, limit=120),
            "name_en": self.text(data, "name_en", place, limit=120),
            "aliases": aliases,
            "house_from": house_from,
            "house_to": house_to,
            "side": side,
            "is_example": self.flag(data, "example", place),
        }

    def rule(self, data: Any, place: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(place, "must be a mapping")
            return None
        rrule = self.text(data, "rrule", place, required=False, limit=300) or None
        if rrule is not None:
            try:
                rrule = schedule.normalize_rrule(rrule)
            except ValueError as exc:
                self.fail(self.at(place, "rrule"), str(exc))
        dates: list[str] = []
        for index, raw in enumerate(self.listing(data, "dates", place)):
            parsed = self.day({"d": raw}, "d", self.at(place, f"dates[{index}]"))
            if parsed is not None:
                dates.append(parsed.isoformat())
        if rrule is None and not dates:
            self.fail(place, "needs an rrule or dates")
        starts_on = self.day(data, "starts_on", place, required=not dates)
        if starts_on is None and dates:
            starts_on = date.fromisoformat(min(dates))
        ends_on = self.day(data, "ends_on", place, required=False)
        if starts_on and ends_on and ends_on < starts_on:
            self.fail(self.at(place, "ends_on"), "is before starts_on")
        window = self.text(data, "window", place, required=False, limit=11)
        window_start = window_end = None
        if window:
            start_text, _, end_text = window.partition("-")
            try:
                start_t = schedule.parse_time(start_text)
                end_t = schedule.parse_time(end_text) if end_text else None
            except ValueError:
                self.fail(self.at(place, "window"), f"{window!r} is not HH:MM-HH:MM")
            else:
                if start_t and end_t and end_t <= start_t:
                    self.fail(self.at(place, "window"), "ends before it starts")
                window_start = start_text.strip()
                window_end = end_text.strip() or None
        return {
            "waste_type": self.text(data, "type", place, limit=24),
            "rrule": rrule,
            "dates": dates,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "window_start": window_start,
            "window_end": window_end,
            "note_uk": self.text(data, "note_uk", place, required=False, limit=1000),
            "note_en": self.text(data, "note_en", place, required=False, limit=1000),
            "is_example": self.flag(data, "example", place),
        }

    def exception(self, data: Any, place: str) -> ExceptionDoc | None:
        if not isinstance(data, dict):
            self.fail(place, "must be a mapping")
            return None
        original = self.day(data, "date", place)
        moved_to = self.day(data, "moved_to", place, required=False)
        if original is not None and moved_to == original:
            self.fail(self.at(place, "moved_to"), "is the same as date")
        return ExceptionDoc(
            zone=self.text(data, "zone", place, limit=40),
            waste_type=self.text(data, "type", place, limit=24),
            original=original or date.min,
            moved_to=moved_to,
            reason_uk=self.text(data, "reason_uk", place, limit=500),
            reason_en=self.text(data, "reason_en", place, required=False, limit=500),
            place=place,
        )

    def point(self, data: Any, place: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(place, "must be a mapping")
            return None
        kind = self.text(data, "kind", place, required=False, limit=16) or "centre"
        if kind not in POINT_KINDS:
            self.fail(self.at(place, "kind"), f"must be one of {', '.join(POINT_KINDS)}")
        accepts = []
        for index, item in enumerate(self.listing(data, "accepts", place)):
            if isinstance(item, dict) and item.get("uk"):
                accepts.append({"uk": str(item["uk"]), "en": str(item.get("en") or item["uk"])})
            else:
                self.fail(self.at(place, f"accepts[{index}]"), "must be {uk: …, en: …}")
        lat, lon = self.location(data, place)
        return {
            "code": self.text(data, "code", place, limit=40),
            "kind": kind,
            "name_uk": self.text(data, "name_uk", place, limit=160),
            "name_en": self.text(data, "name_en", place, limit=160),
            "address_uk": self.text(data, "address_uk", place, limit=200),
            "address_en": self.text(data, "address_en", place, limit=200),
            "hours_uk": self.text(data, "hours_uk", place, required=False, limit=120),
            "hours_en": self.text(data, "hours_en", place, required=False, limit=120),
            "phone": self.text(data, "phone", place, required=False, limit=40),
            "accepts": accepts,
            "latitude": lat,
            "longitude": lon,
            "is_example": self.flag(data, "example", place),
        }

    def ecobus_stop(self, data: Any, place: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(place, "must be a mapping")
            return None
        starts = self.moment(data, "starts_at", place)
        ends = self.moment(data, "ends_at", place)
        if starts and ends and ends <= starts:
            self.fail(self.at(place, "ends_at"), "is not after starts_at")
        lat, lon = self.location(data, place)
        return {
            "code": self.text(data, "code", place, limit=40),
            "place_uk": self.text(data, "place_uk", place, limit=200),
            "place_en": self.text(data, "place_en", place, required=False, limit=200),
            "latitude": lat,
            "longitude": lon,
            "starts_at": starts,
            "ends_at": ends,
            "is_example": self.flag(data, "example", place),
        }


def _unique(checker: _Checker, items: Iterable[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for key, place in items:
        if key and key in seen:
            checker.fail(place, f"duplicate {what} {key!r}")
        seen.add(key)


def _section(checker: _Checker, data: dict[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        checker.fail(f"{source}: {key}", "must be a list")
        return []
    return value


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported with its place
    instead of failing the whole file."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, source: str) -> WasteDocument:
    """Validate a YAML document (every section optional)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise ContentError([Problem(where, f"not valid YAML: {exc}")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError([Problem(source, "must be a mapping of sections")])
    checker = _Checker()
    unknown = set(data) - {"types", "zones", "exceptions", "dropoff_points", "ecobus"}
    for key in sorted(unknown):
        checker.fail(f"{source}: {key}", "unknown section")
    doc = WasteDocument()
    for i, item in enumerate(_section(checker, data, "types", source)):
        row = checker.waste_type(item, f"{source}: types[{i}]", i)
        if row:
            doc.types.append(row)
    for i, item in enumerate(_section(checker, data, "zones", source)):
        place = f"{source}: zones[{i}]"
        if not isinstance(item, dict):
            checker.fail(place, "must be a mapping")
            continue
        lat, lon = checker.location(item, place)
        kind = checker.text(item, "kind", place, required=False, limit=16) or "microdistrict"
        if kind not in ZONE_KINDS:
            checker.fail(checker.at(place, "kind"), f"must be one of {', '.join(ZONE_KINDS)}")
        zone = ZoneDoc(
            code=checker.text(item, "code", place, limit=40),
            place=place,
            fields={
                "name_uk": checker.text(item, "name_uk", place, limit=160),
                "name_en": checker.text(item, "name_en", place, limit=160),
                "kind": kind,
                "latitude": lat,
                "longitude": lon,
                "is_example": checker.flag(item, "example", place),
            },
        )
        if "streets" in item:
            zone.streets = [
                row
                for j, s in enumerate(checker.listing(item, "streets", place))
                if (row := checker.street(s, f"{place}.streets[{j}]")) is not None
            ]
        if "rules" in item:
            zone.rules = [
                row
                for j, r in enumerate(checker.listing(item, "rules", place))
                if (row := checker.rule(r, f"{place}.rules[{j}]")) is not None
            ]
        doc.zones.append(zone)
    for i, item in enumerate(_section(checker, data, "exceptions", source)):
        exception_doc = checker.exception(item, f"{source}: exceptions[{i}]")
        if exception_doc:
            doc.exceptions.append(exception_doc)
    for i, item in enumerate(_section(checker, data, "dropoff_points", source)):
        row = checker.point(item, f"{source}: dropoff_points[{i}]")
        if row:
            doc.points.append(row)
    for i, item in enumerate(_section(checker, data, "ecobus", source)):
        row = checker.ecobus_stop(item, f"{source}: ecobus[{i}]")
        if row:
            doc.ecobus.append(row)
    _unique(checker, ((t["code"], f"{source}: types") for t in doc.types), "type code")
    _unique(checker, ((z.code, z.place) for z in doc.zones), "zone code")
    _unique(checker, ((p["code"], f"{source}: dropoff_points") for p in doc.points), "point code")
    _unique(checker, ((e["code"], f"{source}: ecobus") for e in doc.ecobus), "stop code")
    if checker.problems:
        raise ContentError(checker.problems, doc)
    return doc


def csv_kind(header: Iterable[str]) -> str | None:
    columns = set(header)
    if "rrule" in columns or "dates" in columns:
        return "rules"
    if "place_uk" in columns:
        return "ecobus"
    if {"zone", "name_uk"} <= columns:
        return "streets"
    if {"zone", "type", "date"} <= columns:
        return "exceptions"
    return None


def parse_csv(text: str, source: str) -> WasteDocument:
    """Validate a CSV file of streets, rules, exceptions or Ecobus stops (by its header)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    kind = csv_kind(reader.fieldnames or [])
    if kind is None:
        raise ContentError(
            [Problem(f"{source}:1", "unknown header: see docs/waste.md for the CSV columns")]
        )
    checker = _Checker(": ")
    doc = WasteDocument()
    zones: dict[str, ZoneDoc] = {}
    for row in reader:
        line = reader.line_num
        place = f"{source}:{line}"
        data = {k: csvsafe.unquote(v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            checker.fail(place, "has more values than the header")
        if kind in ("streets", "rules"):
            code = checker.text(data, "zone", place, limit=40)
            zone = zones.setdefault(code, ZoneDoc(code=code, place=place))
            if kind == "streets":
                street = checker.street(data, place)
                if street:
                    zone.streets = [*(zone.streets or []), street]
            else:
                rule = checker.rule(data, place)
                if rule:
                    zone.rules = [*(zone.rules or []), rule]
        elif kind == "exceptions":
            exception_doc = checker.exception(data, place)
            if exception_doc:
                doc.exceptions.append(exception_doc)
        else:
            stop = checker.ecobus_stop(data, place)
            if stop:
                doc.ecobus.append(stop)
    doc.zones = list(zones.values())
    _unique(checker, ((e["code"], source) for e in doc.ecobus), "stop code")
    if checker.problems:
        raise ContentError(checker.problems, doc)
    return doc


def _local(value: date | datetime) -> tuple[date, time | None]:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CITY_ZONE)
        return value.date(), value.time().replace(second=0, microsecond=0)
    return value, None


def _last_day(until: date | datetime, start: time | None) -> date:
    """The last day an occurrence starting at `start` is within RRULE's UNTIL (inclusive)."""
    day, at = _local(until)
    if at is not None and start is not None and start > at:
        return day - timedelta(days=1)
    return day


def parse_ics(
    content: bytes, source: str, *, zone: str | None, waste_type: str | None, example: bool
) -> WasteDocument:
    """Dates of collection from an iCalendar file: a recurring event becomes a rule (EXDATE
    cancels a day, an overridden occurrence moves it), single events become explicit dates.
    The zone and type come from the options or the events' X-SVOI-ZONE / X-SVOI-TYPE."""
    try:
        cal = Calendar.from_ical(content)
    except ValueError as exc:
        raise ContentError([Problem(source, f"not a valid iCalendar file: {exc}")]) from None
    checker = _Checker()
    rules: dict[tuple[str, str], list[dict[str, Any]]] = {}
    singles: dict[tuple[str, str], list[tuple[date, time | None, time | None]]] = {}
    doc = WasteDocument()
    for index, event in enumerate(cal.walk("VEVENT")):
        place = f"{source}: VEVENT[{index}]"
        zone_code = str(event.get("X-SVOI-ZONE") or zone or "")
        type_code = str(event.get("X-SVOI-TYPE") or waste_type or "")
        if not zone_code or not type_code:
            checker.fail(place, "no zone/type: pass --zone and --type or set X-SVOI-ZONE/TYPE")
            continue
        key = (zone_code, type_code)
        if "DTSTART" not in event:
            checker.fail(place, "has no DTSTART")
            continue
        start_day, start_time = _local(event.decoded("DTSTART"))
        end_time = None
        if "DTEND" in event:
            _, end_time = _local(event.decoded("DTEND"))
        if "RECURRENCE-ID" in event:
            original, _ = _local(event.decoded("RECURRENCE-ID"))
            doc.exceptions.append(
                ExceptionDoc(
                    zone_code,
                    type_code,
                    original,
                    start_day,
                    str(event.get("SUMMARY") or ""),
                    "",
                    place,
                )
            )
            continue
        if "RRULE" in event:
            recur: Any = event["RRULE"]
            until = recur.get("UNTIL")
            parts = {k: v for k, v in recur.items() if k != "UNTIL"}
            text = vRecur(parts).to_ical().decode()  # type: ignore[no-untyped-call]
            ends_on = _last_day(until[0], start_time) if until else None
            try:
                text = schedule.normalize_rrule(text)
            except ValueError as exc:
                checker.fail(f"{place}.RRULE", str(exc))
                continue
            rules.setdefault(key, []).append(
                {
                    "waste_type": type_code,
                    "rrule": text,
                    "dates": [],
                    "starts_on": start_day,
                    "ends_on": ends_on,
                    "window_start": start_time.strftime("%H:%M") if start_time else None,
                    "window_end": end_time.strftime("%H:%M") if start_time and end_time else None,
                    "note_uk": "",
                    "note_en": "",
                    "is_example": example,
                }
            )
            exdates = event.get("EXDATE")
            for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
                for item in group.dts:
                    day, _ = _local(item.dt)
                    doc.exceptions.append(
                        ExceptionDoc(zone_code, type_code, day, None, "iCalendar EXDATE", "", place)
                    )
            continue
        singles.setdefault(key, []).append((start_day, start_time, end_time))
    for key, items in singles.items():
        items.sort()
        first = items[0]
        rules.setdefault(key, []).append(
            {
                "waste_type": key[1],
                "rrule": None,
                "dates": [d.isoformat() for d, _, _ in items],
                "starts_on": first[0],
                "ends_on": None,
                "window_start": first[1].strftime("%H:%M") if first[1] else None,
                "window_end": first[2].strftime("%H:%M") if first[1] and first[2] else None,
                "note_uk": "",
                "note_en": "",
                "is_example": example,
            }
        )
    if not rules and not doc.exceptions and not checker.problems:
        checker.fail(source, "has no events")
    if checker.problems:
        raise ContentError(checker.problems)
    for (zone_code, type_code), rows in rules.items():
        doc.zones.append(ZoneDoc(zone_code, source, rules=rows, rules_type=type_code))
    return doc


def read_file(
    path: Path, *, zone: str | None = None, waste_type: str | None = None, example: bool = False
) -> WasteDocument:
    source = path.name
    suffix = path.suffix.lower()
    started = perf_counter()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(str(path), f"cannot read: {exc.strerror}")]) from None
    if suffix == ".ics":
        doc = parse_ics(raw, source, zone=zone, waste_type=waste_type, example=example)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ContentError([Problem(source, f"not UTF-8 text (byte {exc.start})")]) from None
        if suffix in (".yaml", ".yml"):
            doc = parse_yaml(text, source)
        elif suffix == ".csv":
            doc = parse_csv(text, source)
        else:
            raise ContentError([Problem(source, "unknown format: use .yaml, .csv or .ics")])
    log.debug("%s read in %.2f s", source, perf_counter() - started)
    return doc


async def read_file_in_thread(path: Path) -> WasteDocument:
    """`read_file` in a worker thread, for async code."""
    return await asyncio.to_thread(read_file, path)


# --- applying --------------------------------------------------------------------------
def _street_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["kind"],
        row["name_uk"],
        row["name_en"],
        tuple(row["aliases"]),
        row["house_from"],
        row["house_to"],
        row["side"],
        row["is_example"],
    )


def _rule_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["waste_type"],
        row["rrule"],
        tuple(row["dates"]),
        row["starts_on"],
        row["ends_on"],
        row["window_start"],
        row["window_end"],
        row["note_uk"],
        row["note_en"],
        row["is_example"],
    )


def _row_of(obj: Any, keys: Iterable[str]) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in keys}


STREET_FIELDS = (
    "kind",
    "name_uk",
    "name_en",
    "aliases",
    "house_from",
    "house_to",
    "side",
    "is_example",
)
RULE_FIELDS = (
    "waste_type",
    "rrule",
    "dates",
    "starts_on",
    "ends_on",
    "window_start",
    "window_end",
    "note_uk",
    "note_en",
    "is_example",
)


def _upsert(obj: Any, values: dict[str, Any], report: ImportReport) -> None:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1


async def apply(session: AsyncSession, doc: WasteDocument) -> ImportReport:
    """Write a validated document; raises ContentError (nothing kept: the caller's
    transaction rolls back) when it refers to zones or types that do not exist."""
    repo = WasteRepo(session)
    report = ImportReport()
    problems: list[Problem] = []
    types = {t.code: t for t in await repo.types()}
    for row in doc.types:
        existing = types.get(row["code"])
        if existing is None:
            types[row["code"]] = WasteType(**row)
            session.add(types[row["code"]])
            report.created += 1
        else:
            _upsert(existing, row, report)
    zones = {z.code: z for z in await repo.zones()}
    for zone_doc in doc.zones:
        zone = zones.get(zone_doc.code)
        if zone_doc.fields is not None:
            if zone is None:
                zone = WasteZone(code=zone_doc.code, **zone_doc.fields)
                session.add(zone)
                zones[zone.code] = zone
                report.created += 1
            else:
                _upsert(zone, zone_doc.fields, report)
        elif zone is None:
            problems.append(Problem(zone_doc.place, f"unknown zone {zone_doc.code!r}"))
            continue
        for rule in zone_doc.rules or []:
            if rule["waste_type"] not in types:
                problems.append(
                    Problem(zone_doc.place, f"unknown waste type {rule['waste_type']!r}")
                )
    await session.flush()
    for zone_doc in doc.zones:
        zone = zones.get(zone_doc.code)
        if zone is None or any(r["waste_type"] not in types for r in zone_doc.rules or []):
            continue  # reported above; the rest is still checked
        if zone_doc.streets is not None:
            have_streets = sorted(
                repr(_street_key(_row_of(s, STREET_FIELDS))) for s in await repo.streets(zone.id)
            )
            want_streets = sorted(repr(_street_key(s)) for s in zone_doc.streets)
            if have_streets != want_streets:
                await repo.replace_zone_streets(zone.id, zone_doc.streets)
                report.updated += 1
            else:
                report.unchanged += 1
        if zone_doc.rules is not None:
            existing_rules = [
                r
                for r in await repo.rules(zone.id)
                if zone_doc.rules_type is None or r.waste_type == zone_doc.rules_type
            ]
            have_rules = sorted(repr(_rule_key(_row_of(r, RULE_FIELDS))) for r in existing_rules)
            want_rules = sorted(repr(_rule_key(r)) for r in zone_doc.rules)
            if have_rules != want_rules:
                await repo.replace_zone_rules(zone.id, zone_doc.rules, zone_doc.rules_type)
                report.updated += 1
            else:
                report.unchanged += 1
    await session.flush()
    await _apply_exceptions(repo, doc.exceptions, zones, types, report, problems)
    points = {p.code: p for p in await repo.dropoff_points()}
    for row in doc.points:
        if row["code"] in points:
            _upsert(points[row["code"]], row, report)
        else:
            session.add(DropOffPoint(**row))
            report.created += 1
    stops = {s.code: s for s in await repo.ecobus_stops()}
    for row in doc.ecobus:
        if row["code"] in stops:
            _upsert(stops[row["code"]], row, report)
        else:
            session.add(EcobusStop(**row))
            report.created += 1
    if problems:
        raise ContentError(problems)
    await session.flush()
    return report


async def _apply_exceptions(
    repo: WasteRepo,
    exceptions: list[ExceptionDoc],
    zones: dict[str, WasteZone],
    types: dict[str, WasteType],
    report: ImportReport,
    problems: list[Problem],
) -> None:
    rules_cache: dict[int, list[schedule.RuleSpec]] = {}
    for exc in exceptions:
        zone = zones.get(exc.zone)
        if zone is None:
            problems.append(Problem(exc.place, f"unknown zone {exc.zone!r}"))
            continue
        if exc.waste_type not in types:
            problems.append(Problem(exc.place, f"unknown waste type {exc.waste_type!r}"))
            continue
        if zone.id not in rules_cache:
            rules_cache[zone.id] = [rule_spec(r) for r in await repo.rules(zone.id)]
        specs = [s for s in rules_cache[zone.id] if s.waste_type == exc.waste_type]
        if not any(schedule.occurs_on(s, exc.original) for s in specs):
            problems.append(
                Problem(
                    exc.place,
                    f"{exc.original.isoformat()} is not a {exc.waste_type} collection day "
                    f"in {exc.zone}",
                )
            )
            continue
        row = await repo.exception(zone.id, exc.waste_type, exc.original)
        values = {"moved_to": exc.moved_to, "reason_uk": exc.reason_uk, "reason_en": exc.reason_en}
        if row is None:
            repo.session.add(
                CollectionException(
                    zone_id=zone.id,
                    waste_type=exc.waste_type,
                    original_date=exc.original,
                    created_at=clock.now(),
                    **values,
                )
            )
            report.created += 1
        else:
            _upsert(row, values, report)


async def ensure_default_waste(db: Database, path: Path = DEFAULT_CONTENT) -> bool:
    """Import the shipped content into a database without waste data; True if imported."""
    async with db.transaction() as session:
        if not await WasteRepo(session).is_empty():
            return False
        report = await apply(session, await read_file_in_thread(path))
    log.info("waste content imported from %s: %s", path.name, report)
    return True


# --- the street register -------------------------------------------------------------
def _old_name(
    checker: _Checker, value: Any, kind: str, year: int | None, sources: tuple[str, ...], place: str
) -> OldName | None:
    if not isinstance(value, str) or not value.strip():
        checker.fail(place, "must be a street name")
        return None
    text = value.strip()
    for prefix in STREET_KINDS:
        if text.startswith(prefix + " "):
            return OldName(prefix, text[len(prefix) + 1 :].strip(), year, sources)
    return OldName(kind, text, year, sources)


def parse_register(text: str, source: str) -> list[RegisterStreet]:
    """The street register (content/streets.yaml): every street names its sources, and
    every source is listed with its address. Raises ContentError with every problem."""
    checker = _Checker()
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ContentError([Problem(source, f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise ContentError([Problem(source, "must be a mapping with `sources` and `streets`")])
    sources = data.get("sources")
    if not isinstance(sources, dict) or not sources:
        checker.fail(f"{source}: sources", "must map source ids to {url, title, kind}")
        sources = {}
    for key, info in sources.items():
        place = f"{source}: sources.{key}"
        if not isinstance(info, dict):
            checker.fail(place, "must be a mapping")
            continue
        checker.text(info, "title", place, limit=500)
        kind = info.get("kind")
        if kind not in SOURCE_KINDS:
            checker.fail(checker.at(place, "kind"), f"must be one of {', '.join(SOURCE_KINDS)}")
        if kind != "unverified" and not str(info.get("url") or "").strip():
            checker.fail(checker.at(place, "url"), "is required (where the names were read)")
    rows = data.get("streets")
    if not isinstance(rows, list):
        checker.fail(f"{source}: streets", "must be a list")
        rows = []
    streets: list[RegisterStreet] = []
    seen: set[tuple[str, str]] = set()
    for position, row in enumerate(rows):
        place = f"{source}: streets[{position}]"
        if not isinstance(row, dict):
            checker.fail(place, "must be a mapping")
            continue
        kind = checker.text(row, "kind", place, required=False, limit=16) or "вул."
        if kind not in STREET_KINDS:
            checker.fail(checker.at(place, "kind"), f"must be one of {', '.join(STREET_KINDS)}")
        name = checker.text(row, "name_uk", place, limit=120)
        ids = tuple(str(s) for s in checker.listing(row, "source", place))
        if not ids:
            checker.fail(checker.at(place, "source"), "is required: where the name was read")
        for unknown in [i for i in ids if i not in sources]:
            checker.fail(checker.at(place, "source"), f"unknown source {unknown!r}")
        year = checker.number(row, "renamed", place)
        old = [
            _old_name(checker, value, kind, year, ids, f"{checker.at(place, 'old')}[{i}]")
            for i, value in enumerate(checker.listing(row, "old", place))
        ]
        identity = (kind, name.lower())
        if identity in seen:
            checker.fail(place, f"{kind} {name} is listed twice")
        seen.add(identity)
        streets.append(
            RegisterStreet(
                kind=kind,
                name_uk=name,
                name_en=checker.text(row, "name_en", place, required=False, limit=120) or "",
                aliases=tuple(str(a).strip()[:120] for a in checker.listing(row, "aliases", place)),
                old=tuple(o for o in old if o is not None),
                sources=ids,
            )
        )
    if checker.problems:
        raise ContentError(checker.problems)
    return streets


_REGISTERS: dict[tuple[str, int], list[RegisterStreet]] = {}


def read_register(path: Path = DEFAULT_REGISTER) -> list[RegisterStreet]:
    """The register in `path`, parsed once per version of the file (per process); an absent
    file is an empty register."""
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return []
    key = (str(path), stamp)
    register = _REGISTERS.get(key)
    if register is None:
        register = parse_register(path.read_text(encoding="utf-8"), path.name)
        _REGISTERS.clear()
        _REGISTERS[key] = register
    return register


# --- exporting -------------------------------------------------------------------------
def _window(start: str | None, end: str | None) -> str | None:
    if not start:
        return None
    return f"{start}-{end}" if end else start


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], False)}


def _kyiv(moment: datetime) -> str:
    return moment.astimezone(CITY_ZONE).strftime("%Y-%m-%dT%H:%M")


async def export_data(session: AsyncSession) -> dict[str, Any]:
    """Everything as the YAML document structure (import of it changes nothing)."""
    repo = WasteRepo(session)
    zone_rows = await repo.zones()
    codes = {z.id: z.code for z in zone_rows}
    streets = await repo.streets()
    rules = await repo.rules()
    zones = []
    for zone in zone_rows:
        zones.append(
            _drop_empty(
                {
                    "code": zone.code,
                    "name_uk": zone.name_uk,
                    "name_en": zone.name_en,
                    "kind": zone.kind,
                    "location": [zone.latitude, zone.longitude]
                    if zone.latitude is not None
                    else None,
                    "example": zone.is_example,
                }
            )
            | {
                "streets": [_street_out(s) for s in streets if s.zone_id == zone.id],
                "rules": [_rule_out(r) for r in rules if r.zone_id == zone.id],
            }
        )
    return {
        "types": [
            _drop_empty(
                {
                    "code": t.code,
                    "name_uk": t.name_uk,
                    "name_en": t.name_en,
                    "hint_uk": t.hint_uk,
                    "hint_en": t.hint_en,
                }
            )
            for t in await repo.types()
        ],
        "zones": zones,
        "exceptions": [
            _drop_empty(
                {
                    "zone": codes[e.zone_id],
                    "type": e.waste_type,
                    "date": e.original_date.isoformat(),
                    "moved_to": e.moved_to.isoformat() if e.moved_to else None,
                    "reason_uk": e.reason_uk,
                    "reason_en": e.reason_en,
                }
            )
            for e in await repo.exceptions()
        ],
        "dropoff_points": [
            _drop_empty(
                {
                    "code": p.code,
                    "kind": p.kind,
                    "name_uk": p.name_uk,
                    "name_en": p.name_en,
                    "address_uk": p.address_uk,
                    "address_en": p.address_en,
                    "hours_uk": p.hours_uk,
                    "hours_en": p.hours_en,
                    "phone": p.phone,
                    "accepts": list(p.accepts),
                    "location": [p.latitude, p.longitude] if p.latitude is not None else None,
                    "example": p.is_example,
                }
            )
            for p in await repo.dropoff_points()
        ],
        "ecobus": [
            _drop_empty(
                {
                    "code": s.code,
                    "place_uk": s.place_uk,
                    "place_en": s.place_en,
                    "location": [s.latitude, s.longitude] if s.latitude is not None else None,
                    "starts_at": _kyiv(s.starts_at),
                    "ends_at": _kyiv(s.ends_at),
                    "example": s.is_example,
                }
            )
            for s in await repo.ecobus_stops()
        ],
    }


def _street_out(s: Any) -> dict[str, Any]:
    return _drop_empty(
        {
            "kind": s.kind if s.kind != "вул." else None,
            "name_uk": s.name_uk,
            "name_en": s.name_en,
            "aliases": list(s.aliases),
            "from": s.house_from,
            "to": s.house_to,
            "side": s.side if s.side != "all" else None,
            "example": s.is_example,
        }
    )


def _rule_out(r: Any) -> dict[str, Any]:
    return _drop_empty(
        {
            "type": r.waste_type,
            "rrule": r.rrule,
            "dates": list(r.dates),
            "starts_on": r.starts_on.isoformat(),
            "ends_on": r.ends_on.isoformat() if r.ends_on else None,
            "window": _window(r.window_start, r.window_end),
            "note_uk": r.note_uk,
            "note_en": r.note_en,
            "example": r.is_example,
        }
    )


CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "streets": ("zone", "kind", "name_uk", "name_en", "aliases", "from", "to", "side", "example"),
    "rules": (
        "zone",
        "type",
        "rrule",
        "dates",
        "starts_on",
        "ends_on",
        "window",
        "note_uk",
        "note_en",
        "example",
    ),
    "exceptions": ("zone", "type", "date", "moved_to", "reason_uk", "reason_en"),
    "ecobus": (
        "code",
        "place_uk",
        "place_en",
        "latitude",
        "longitude",
        "starts_at",
        "ends_at",
        "example",
    ),
}


def export_csv(data: dict[str, Any], kind: str) -> str:
    out = io.StringIO()
    writer = csvsafe.DictWriter(out, fieldnames=CSV_COLUMNS[kind], lineterminator="\n")
    writer.writeheader()
    rows: list[dict[str, Any]] = []
    if kind in ("streets", "rules"):
        for zone in data["zones"]:
            for item in zone[kind]:
                rows.append({"zone": zone["code"], **item})
    elif kind == "exceptions":
        rows = list(data["exceptions"])
    else:
        for stop in data["ecobus"]:
            location = stop.get("location") or [None, None]
            rows.append({**stop, "latitude": location[0], "longitude": location[1]})
    for row in rows:
        flat = {}
        for column in CSV_COLUMNS[kind]:
            value = row.get(column)
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "true" if value else ""
            flat[column] = "" if value is None else value
        writer.writerow(flat)
    return out.getvalue()


def export_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def zone_ics(
    zone: WasteZone,
    specs: list[schedule.RuleSpec],
    exceptions: list[schedule.ExceptionSpec],
    names: dict[str, str],
    today: date,
    months: int,
) -> bytes:
    """A zone's collections as explicit events (what `waste export --zone` writes)."""
    from icalendar import Event

    cal = Calendar()
    cal.add("prodid", "-//Svoi//Khmelnytskyi waste collection//UK")
    cal.add("version", "2.0")
    end = today + timedelta(days=31 * months)
    for item in schedule.collections(specs, exceptions, today, end):
        event = Event()
        event.add("uid", f"waste-{zone.code}-{item.waste_type}-{item.day.isoformat()}@svoi")
        event.add("dtstamp", clock.now().replace(microsecond=0))
        event.add("summary", names.get(item.waste_type, item.waste_type))
        event.add("x-svoi-zone", zone.code)
        event.add("x-svoi-type", item.waste_type)
        if item.window_start is not None:
            event.add("dtstart", datetime.combine(item.day, item.window_start, tzinfo=CITY_ZONE))
            if item.window_end is not None:
                event.add("dtend", datetime.combine(item.day, item.window_end, tzinfo=CITY_ZONE))
        else:
            event.add("dtstart", item.day)
        cal.add_component(event)
    cal.add_missing_timezones(first_date=today - timedelta(days=366), last_date=end)
    return bytes(cal.to_ical())
