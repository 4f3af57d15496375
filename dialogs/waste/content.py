"""Importing and exporting waste content: YAML (everything), CSV (streets, rules,
exceptions or Ecobus stops), iCalendar (the dates of one zone and type). Format: docs/waste.md.

The YAML and CSV formats are the models below (bot/core/contentkit.py reads and checks them).
An import is validated completely before anything is written, every problem reported with
its line (`file:line: zones[2].rules[1].rrule: …`, in a CSV file `file:line: column: …`), and
applied in one transaction, so a file with one bad row changes nothing. Each item (a type, a
zone, a street, a rule, …) is checked on its own, so references to zones and types are
checked for the valid ones and the operator sees every problem at once. Importing the same
file again changes nothing either: rows are matched by their codes and a zone's streets and
rules are only rewritten when they differ. Async code reads files in a worker thread
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
from typing import Annotated, Any, TypeVar

import yaml
from icalendar import Calendar, vRecur
from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PROJECT_ROOT
from bot.core.contentkit import (
    At,
    ContentInvalid,
    Document,
    ImportReport,
    KeyPath,
    LocalText,
    Model,
    Problem,
    Problems,
    load_yaml,
    one_of,
    validate,
)
from dialogs.waste import schedule
from dialogs.waste.addresses import OldName, RegisterStreet
from dialogs.waste.service import by_language, rule_spec
from storage import clock, csvsafe
from storage.clock import city_zone
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
M = TypeVar("M", bound=Model)


class ContentError(ContentInvalid):
    """The content cannot be imported; `problems` lists every reason with its line."""

    def __init__(self, problems: list[Problem], partial: WasteDocument | None = None) -> None:
        super().__init__(problems)
        # The items that were valid, so references (zones, types, days) can be checked too
        # and the operator sees every problem at once.
        self.partial = partial


@dataclass(frozen=True, slots=True)
class Place:
    """Where an item was written, for the problems only the database can tell."""

    file: str
    line: int = 0
    where: str = ""

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.where, message)


@dataclass
class ZoneDoc:
    code: str
    place: Place
    fields: dict[str, Any] | None = None
    streets: list[dict[str, Any]] | None = None
    rules: list[dict[str, Any]] | None = None
    rules_type: str | None = None  # replace only this type's rules (an .ics import)
    # every type its rules name, invalid rules included, so unknown ones are reported too
    types_used: list[str] = field(default_factory=list)


@dataclass
class ExceptionDoc:
    zone: str
    waste_type: str
    original: date
    moved_to: date | None
    reason_uk: str
    reason_en: str
    place: Place


@dataclass
class WasteDocument:
    """Validated content, ready to apply."""

    types: list[dict[str, Any]] = field(default_factory=list)
    zones: list[ZoneDoc] = field(default_factory=list)
    exceptions: list[ExceptionDoc] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)
    ecobus: list[dict[str, Any]] = field(default_factory=list)


# --- the file format ------------------------------------------------------------------
# Values are read leniently, as staff write them in YAML or in a spreadsheet: a number where
# text is expected is text, `yes`/`no` are flags, a list may be `a; b; c`.
def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _or(default: str) -> Any:
    return BeforeValidator(lambda value: default if value in (None, "") else _text(value))


def _day(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None


def _house(value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if not 0 < number < 10000:
        raise ValueError("must be between 1 and 9999")
    return number


def _moment(value: Any) -> Any:
    if value is None or value == "":
        raise ValueError("is required (YYYY-MM-DDTHH:MM, Kyiv time)")
    try:
        parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not YYYY-MM-DDTHH:MM") from None
    if parsed.tzinfo is None:
        return schedule.local_instant(parsed.date(), parsed.time())
    return parsed.astimezone(UTC)


def _listing(value: Any) -> Any:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _listed(value: Any) -> Any:
    return [] if value is None else value


def _rrule(value: Any) -> Any:
    text = _text(value)
    if not isinstance(text, str) or not text.strip():
        return None if text in ("", None) else text
    if len(text.strip()) > 300:
        raise ValueError("longer than 300 characters")
    return schedule.normalize_rrule(text.strip())


def _window_ends(text: str) -> tuple[str | None, str | None]:
    """`08:00-11:00` (or a start alone) as its two ends; raises ValueError."""
    if not text:
        return None, None
    start_text, _, end_text = text.partition("-")
    try:
        start = schedule.parse_time(start_text)
        end = schedule.parse_time(end_text) if end_text else None
    except ValueError:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM") from None
    if start and end and end <= start:
        raise ValueError("ends before it starts")
    return start_text.strip(), end_text.strip() or None


def _check_window(text: str) -> str:
    _window_ends(text)
    return text


Text = Annotated[str, BeforeValidator(_text)]
Day = Annotated[date | None, BeforeValidator(_day)]
House = Annotated[int | None, BeforeValidator(_house)]
Moment = Annotated[datetime, BeforeValidator(_moment)]
Texts = Annotated[list[Text], BeforeValidator(_listing)]


class Mapped(Model):
    """A place on the map: `location: [lat, lon]`, or `latitude` and `longitude` columns."""

    location: Any = None
    latitude: Any = None
    longitude: Any = None

    @property
    def coordinates(self) -> tuple[float | None, float | None]:
        value = self.location
        if value is None:
            if self.latitude in (None, "") and self.longitude in (None, ""):
                return None, None
            value = [self.latitude, self.longitude]
        try:
            lat, lon = (float(v) for v in value)
        except (TypeError, ValueError):
            raise At("location", "must be [latitude, longitude]") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise At("location", "is outside the map")
        return lat, lon

    @model_validator(mode="after")
    def _on_the_map(self) -> Mapped:
        self.coordinates  # noqa: B018  (raises At for a place that is not on the map)
        return self


class TypeSpec(Model):
    code: Text = Field(min_length=1, max_length=24)
    name_uk: Text = Field(min_length=1, max_length=80)
    name_en: Text = Field(min_length=1, max_length=80)
    hint_uk: Text = Field("", max_length=1000)
    hint_en: Text = Field("", max_length=1000)

    def row(self, position: int) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": by_language(self.name_uk, self.name_en),
            "hint": by_language(self.hint_uk, self.hint_en),
            "position": position,
        }


class StreetSpec(Model):
    kind: Annotated[str, _or("вул."), AfterValidator(one_of(STREET_KINDS))] = "вул."
    name_uk: Text = Field(min_length=1, max_length=120)
    name_en: Text = Field(min_length=1, max_length=120)
    aliases: Texts = Field(default_factory=list)
    house_from: House = Field(None, alias="from")
    house_to: House = Field(None, alias="to")
    side: Annotated[str, _or("all"), AfterValidator(one_of(SIDES))] = "all"
    example: bool = False

    @model_validator(mode="after")
    def _range(self) -> StreetSpec:
        house_from, house_to = self.house_from, self.house_to
        if house_from is not None and house_to is not None and house_from > house_to:
            raise At("from", "is greater than `to`")
        return self

    def row(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": by_language(self.name_uk, self.name_en),
            "aliases": [a[:120] for a in self.aliases],
            "house_from": self.house_from,
            "house_to": self.house_to,
            "side": self.side,
            "is_example": self.example,
        }


class RuleSpec(Model):
    waste_type: Text = Field(min_length=1, max_length=24, alias="type")
    rrule: Annotated[str | None, BeforeValidator(_rrule)] = None
    dates: Annotated[list[Annotated[date, BeforeValidator(_day)]], BeforeValidator(_listing)] = (
        Field(default_factory=list)
    )
    starts_on: Day = None
    ends_on: Day = None
    window: Annotated[Text, AfterValidator(_check_window)] = Field("", max_length=11)
    note_uk: Text = Field("", max_length=1000)
    note_en: Text = Field("", max_length=1000)
    example: bool = False

    @model_validator(mode="after")
    def _when(self) -> RuleSpec:
        if self.rrule is None and not self.dates:
            raise ValueError("needs an rrule or dates")
        if self.starts_on is None and not self.dates:
            raise At("starts_on", "is required (YYYY-MM-DD)")
        if self.ends_on and self.ends_on < self.first_day:
            raise At("ends_on", "is before starts_on")
        return self

    @property
    def first_day(self) -> date:
        return self.starts_on or min(self.dates)

    def row(self) -> dict[str, Any]:
        window_start, window_end = _window_ends(self.window)
        return {
            "waste_type": self.waste_type,
            "rrule": self.rrule,
            "dates": [d.isoformat() for d in self.dates],
            "starts_on": self.first_day,
            "ends_on": self.ends_on,
            "window_start": window_start,
            "window_end": window_end,
            "note": by_language(self.note_uk, self.note_en),
            "is_example": self.example,
        }


class ZoneSpec(Mapped):
    code: Text = Field(min_length=1, max_length=40)
    name_uk: Text = Field(min_length=1, max_length=160)
    name_en: Text = Field(min_length=1, max_length=160)
    kind: Annotated[str, _or("microdistrict"), AfterValidator(one_of(ZONE_KINDS))] = "microdistrict"
    example: bool = False
    # Checked item by item (StreetSpec, RuleSpec), so one bad street keeps the zone.
    streets: Annotated[list[Any] | None, BeforeValidator(_listed)] = None
    rules: Annotated[list[Any] | None, BeforeValidator(_listed)] = None

    def fields(self) -> dict[str, Any]:
        latitude, longitude = self.coordinates
        return {
            "name": by_language(self.name_uk, self.name_en),
            "kind": self.kind,
            "latitude": latitude,
            "longitude": longitude,
            "is_example": self.example,
        }


class ExceptionSpec(Model):
    zone: Text = Field(min_length=1, max_length=40)
    waste_type: Text = Field(min_length=1, max_length=24, alias="type")
    original: Annotated[date, BeforeValidator(_day)] = Field(alias="date")
    moved_to: Day = None
    reason_uk: Text = Field(min_length=1, max_length=500)
    reason_en: Text = Field("", max_length=500)

    @model_validator(mode="after")
    def _moved(self) -> ExceptionSpec:
        if self.moved_to == self.original:
            raise At("moved_to", "is the same as date")
        return self

    def item(self, place: Place) -> ExceptionDoc:
        return ExceptionDoc(
            self.zone,
            self.waste_type,
            self.original,
            self.moved_to,
            self.reason_uk,
            self.reason_en,
            place,
        )


class PointSpec(Mapped):
    code: Text = Field(min_length=1, max_length=40)
    kind: Annotated[str, _or("centre"), AfterValidator(one_of(POINT_KINDS))] = "centre"
    name_uk: Text = Field(min_length=1, max_length=160)
    name_en: Text = Field(min_length=1, max_length=160)
    address_uk: Text = Field(min_length=1, max_length=200)
    address_en: Text = Field(min_length=1, max_length=200)
    hours_uk: Text = Field("", max_length=120)
    hours_en: Text = Field("", max_length=120)
    phone: Text = Field("", max_length=40)
    accepts: Annotated[list[LocalText], BeforeValidator(_listing)] = Field(default_factory=list)
    example: bool = False

    def row(self) -> dict[str, Any]:
        latitude, longitude = self.coordinates
        return {
            "code": self.code,
            "kind": self.kind,
            "phone": self.phone,
            "name": by_language(self.name_uk, self.name_en),
            "address": by_language(self.address_uk, self.address_en),
            "hours": by_language(self.hours_uk, self.hours_en),
            "accepts": [{"uk": a.uk, "en": a.en or a.uk} for a in self.accepts],
            "latitude": latitude,
            "longitude": longitude,
            "is_example": self.example,
        }


class EcobusSpec(Mapped):
    code: Text = Field(min_length=1, max_length=40)
    place_uk: Text = Field(min_length=1, max_length=200)
    place_en: Text = Field("", max_length=200)
    starts_at: Moment
    ends_at: Moment
    example: bool = False

    @model_validator(mode="after")
    def _order(self) -> EcobusSpec:
        if self.ends_at <= self.starts_at:
            raise At("ends_at", "is not after starts_at")
        return self

    def row(self) -> dict[str, Any]:
        latitude, longitude = self.coordinates
        return {
            "code": self.code,
            "place": by_language(self.place_uk, self.place_en),
            "latitude": latitude,
            "longitude": longitude,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "is_example": self.example,
        }


class WasteFile(Model):
    """The sections of a YAML file, every one optional; their items are checked one by one."""

    types: list[Any] | None = None
    zones: list[Any] | None = None
    exceptions: list[Any] | None = None
    dropoff_points: list[Any] | None = None
    ecobus: list[Any] | None = None


class StreetRow(StreetSpec):
    zone: Text = Field(min_length=1, max_length=40)


class RuleRow(RuleSpec):
    zone: Text = Field(min_length=1, max_length=40)


def _items(doc: Document, problems: Problems, model: type[M], path: KeyPath) -> list[M]:
    """The valid items of the list at `path`, each checked on its own."""
    return [
        item
        for item_path in doc.expand((*path, "*"))
        if (item := validate(model, doc, problems, item_path)) is not None
    ]


def parse_yaml(text: str, source: str) -> WasteDocument:
    """Validate a YAML document (every section optional)."""
    try:
        doc = load_yaml(text, source, timestamps=False)  # a bad date is reported with its line
    except ContentInvalid as exc:
        raise ContentError(exc.problems) from None
    if doc.data is None:
        return WasteDocument()
    problems = Problems(doc)
    validate(WasteFile, doc, problems)
    if not isinstance(doc.data, dict):
        raise ContentError(problems.errors)
    result = WasteDocument()
    result.types = [t.row(i) for i, t in enumerate(_items(doc, problems, TypeSpec, ("types",)))]
    for path in doc.expand(("zones", "*")):
        zone = validate(ZoneSpec, doc, problems, path)
        if zone is None:
            continue
        zone_doc = ZoneDoc(zone.code, _place(doc, path), zone.fields())
        if zone.streets is not None:
            streets = _items(doc, problems, StreetSpec, (*path, "streets"))
            zone_doc.streets = [s.row() for s in streets]
        if zone.rules is not None:
            rules = _items(doc, problems, RuleSpec, (*path, "rules"))
            zone_doc.rules = [r.row() for r in rules]
            zone_doc.types_used = [
                r["type"]
                for r in zone.rules
                if isinstance(r, dict) and isinstance(r.get("type"), str)
            ]
        result.zones.append(zone_doc)
    result.exceptions = [
        e.item(Place(source, e.line, f"exceptions[{i + 1}]"))
        for i, e in enumerate(_items(doc, problems, ExceptionSpec, ("exceptions",)))
    ]
    result.points = [p.row() for p in _items(doc, problems, PointSpec, ("dropoff_points",))]
    result.ecobus = [s.row() for s in _items(doc, problems, EcobusSpec, ("ecobus",))]
    problems.unique(("types", "*"), "code", "type code")
    problems.unique(("zones", "*"), "code", "zone code")
    problems.unique(("dropoff_points", "*"), "code", "point code")
    problems.unique(("ecobus", "*"), "code", "stop code")
    if problems.errors:
        raise ContentError(problems.errors, result)
    return result


def _place(doc: Document, path: KeyPath) -> Place:
    return Place(doc.file, doc.line(path), doc.name(path))


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
    header = reader.fieldnames or []
    kind = csv_kind(header)
    if kind is None:
        raise ContentError(
            [Problem(source, 1, "", "unknown header: see docs/waste.md for the CSV columns")]
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    too_long: list[int] = []
    for row in reader:
        if None in row:
            too_long.append(reader.line_num)
        cells = {k: csvsafe.unquote(v or "").strip() for k, v in row.items() if k is not None}
        # An empty cell is a value left out: the model's default applies.
        rows.append((reader.line_num, {k: v for k, v in cells.items() if v}))
    doc = Document.from_rows(source, rows)
    problems = Problems(doc)
    for column in header:
        if column not in CSV_COLUMNS[kind]:
            problems.error(1, f"unknown column {column!r}")
    for line in too_long:
        problems.error(line, "has more values than the header")
    result = WasteDocument()
    if kind in ("streets", "rules"):
        zones: dict[str, ZoneDoc] = {}
        for index in range(len(rows)):
            place = _place(doc, (index,))
            if kind == "streets":
                street = validate(StreetRow, doc, problems, (index,))
                if street is not None:
                    zone = zones.setdefault(street.zone, ZoneDoc(street.zone, place))
                    zone.streets = [*(zone.streets or []), street.row()]
            elif (rule := validate(RuleRow, doc, problems, (index,))) is not None:
                zone = zones.setdefault(rule.zone, ZoneDoc(rule.zone, place))
                zone.rules = [*(zone.rules or []), rule.row()]
                zone.types_used.append(rule.waste_type)
        result.zones = list(zones.values())
    elif kind == "exceptions":
        result.exceptions = [
            e.item(_place(doc, (i,)))
            for i in range(len(rows))
            if (e := validate(ExceptionSpec, doc, problems, (i,))) is not None
        ]
    else:
        result.ecobus = [
            s.row()
            for i in range(len(rows))
            if (s := validate(EcobusSpec, doc, problems, (i,))) is not None
        ]
        problems.unique(("*",), "code", "stop code")
    if problems.errors:
        raise ContentError(problems.errors, result)
    return result


def _local(value: date | datetime) -> tuple[date, time | None]:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(city_zone())
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
        raise ContentError([Problem(source, 0, "", f"not a valid iCalendar file: {exc}")]) from None
    problems = Problems(source)
    rules: dict[tuple[str, str], list[dict[str, Any]]] = {}
    singles: dict[tuple[str, str], list[tuple[date, time | None, time | None]]] = {}
    doc = WasteDocument()
    for index, event in enumerate(cal.walk("VEVENT")):
        place = Place(source, 0, f"VEVENT[{index + 1}]")
        zone_code = str(event.get("X-SVOI-ZONE") or zone or "")
        type_code = str(event.get("X-SVOI-TYPE") or waste_type or "")
        if not zone_code or not type_code:
            problems.errors.append(
                place.problem("no zone/type: pass --zone and --type or set X-SVOI-ZONE/TYPE")
            )
            continue
        key = (zone_code, type_code)
        if "DTSTART" not in event:
            problems.errors.append(place.problem("has no DTSTART"))
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
                problems.error(0, str(exc), name=f"{place.where}.RRULE")
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
                    "note": {},
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
                "note": {},
                "is_example": example,
            }
        )
    if not rules and not doc.exceptions and not problems.errors:
        problems.error(0, "has no events")
    if problems.errors:
        raise ContentError(problems.errors)
    for (zone_code, type_code), rows in rules.items():
        doc.zones.append(
            ZoneDoc(
                zone_code, Place(source), rules=rows, rules_type=type_code, types_used=[type_code]
            )
        )
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
        raise ContentError([Problem(str(path), 0, "", f"cannot read: {exc.strerror}")]) from None
    if suffix == ".ics":
        doc = parse_ics(raw, source, zone=zone, waste_type=waste_type, example=example)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ContentError(
                [Problem(source, 0, "", f"not UTF-8 text (byte {exc.start})")]
            ) from None
        if suffix in (".yaml", ".yml"):
            doc = parse_yaml(text, source)
        elif suffix == ".csv":
            doc = parse_csv(text, source)
        else:
            raise ContentError([Problem(source, 0, "", "unknown format: use .yaml, .csv or .ics")])
    log.debug("%s read in %.2f s", source, perf_counter() - started)
    return doc


async def read_file_in_thread(path: Path) -> WasteDocument:
    """`read_file` in a worker thread, for async code."""
    return await asyncio.to_thread(read_file, path)


# --- applying --------------------------------------------------------------------------
def _street_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["kind"],
        sorted(row["name"].items()),
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
        sorted(row["note"].items()),
        row["is_example"],
    )


def _row_of(obj: Any, keys: Iterable[str]) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in keys}


STREET_FIELDS = (
    "kind",
    "name",
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
    "note",
    "is_example",
)


def _upsert(obj: Any, values: dict[str, Any], report: ImportReport, kind: str) -> None:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    report.count(kind, "updated" if changed else "unchanged")


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
            report.count("types", "created")
        else:
            _upsert(existing, row, report, "types")
    zones = {z.code: z for z in await repo.zones()}
    for zone_doc in doc.zones:
        zone = zones.get(zone_doc.code)
        if zone_doc.fields is not None:
            if zone is None:
                zone = WasteZone(code=zone_doc.code, **zone_doc.fields)
                session.add(zone)
                zones[zone.code] = zone
                report.count("zones", "created")
            else:
                _upsert(zone, zone_doc.fields, report, "zones")
        elif zone is None:
            problems.append(zone_doc.place.problem(f"unknown zone {zone_doc.code!r}"))
            continue
        for unknown in dict.fromkeys(t for t in zone_doc.types_used if t not in types):
            problems.append(zone_doc.place.problem(f"unknown waste type {unknown!r}"))
    await session.flush()
    for zone_doc in doc.zones:
        zone = zones.get(zone_doc.code)
        if zone is None or any(t not in types for t in zone_doc.types_used):
            continue  # reported above; the rest is still checked
        if zone_doc.streets is not None:
            have_streets = sorted(
                repr(_street_key(_row_of(s, STREET_FIELDS))) for s in await repo.streets(zone.id)
            )
            want_streets = sorted(repr(_street_key(s)) for s in zone_doc.streets)
            if have_streets != want_streets:
                await repo.replace_zone_streets(zone.id, zone_doc.streets)
                report.count("streets", "updated")
            else:
                report.count("streets", "unchanged")
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
                report.count("rules", "updated")
            else:
                report.count("rules", "unchanged")
    await session.flush()
    await _apply_exceptions(repo, doc.exceptions, zones, types, report, problems)
    points = {p.code: p for p in await repo.dropoff_points()}
    for row in doc.points:
        if row["code"] in points:
            _upsert(points[row["code"]], row, report, "drop-off points")
        else:
            session.add(DropOffPoint(**row))
            report.count("drop-off points", "created")
    stops = {s.code: s for s in await repo.ecobus_stops()}
    for row in doc.ecobus:
        if row["code"] in stops:
            _upsert(stops[row["code"]], row, report, "Ecobus stops")
        else:
            session.add(EcobusStop(**row))
            report.count("Ecobus stops", "created")
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
            problems.append(exc.place.problem(f"unknown zone {exc.zone!r}"))
            continue
        if exc.waste_type not in types:
            problems.append(exc.place.problem(f"unknown waste type {exc.waste_type!r}"))
            continue
        if zone.id not in rules_cache:
            rules_cache[zone.id] = [rule_spec(r) for r in await repo.rules(zone.id)]
        specs = [s for s in rules_cache[zone.id] if s.waste_type == exc.waste_type]
        if not any(schedule.occurs_on(s, exc.original) for s in specs):
            problems.append(
                exc.place.problem(
                    f"{exc.original.isoformat()} is not a {exc.waste_type} collection day "
                    f"in {exc.zone}"
                )
            )
            continue
        row = await repo.exception(zone.id, exc.waste_type, exc.original)
        values = {"moved_to": exc.moved_to, "reason": by_language(exc.reason_uk, exc.reason_en)}
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
            report.count("exceptions", "created")
        else:
            _upsert(row, values, report, "exceptions")


async def ensure_default_waste(db: Database, path: Path = DEFAULT_CONTENT) -> bool:
    """Import the shipped content into a database without waste data; True if imported."""
    async with db.transaction() as session:
        if not await WasteRepo(session).is_empty():
            return False
        report = await apply(session, await read_file_in_thread(path))
    log.info("waste content imported from %s: %s", path.name, report.totals())
    return True


# --- the street register -------------------------------------------------------------
class _Register:
    """Reads the register's loose mappings, collecting problems (by place, without lines)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, place: str, message: str) -> None:
        self.problems.append(Problem(self.source, 0, place, message))

    def text(
        self, data: dict[str, Any], key: str, place: str, *, required: bool = True, limit: int
    ) -> str:
        value = _text(data.get(key))
        if not isinstance(value, str):
            self.fail(f"{place}.{key}", "must be text")
            return ""
        if not value.strip():
            if required:
                self.fail(f"{place}.{key}", "is required")
            return ""
        if len(value.strip()) > limit:
            self.fail(f"{place}.{key}", f"is longer than {limit} characters")
        return value.strip()

    def listing(self, data: dict[str, Any], key: str, place: str) -> list[Any]:
        value = _listing(data.get(key))
        if not isinstance(value, list):
            self.fail(f"{place}.{key}", "must be a list")
            return []
        return value

    def number(self, data: dict[str, Any], key: str, place: str) -> int | None:
        try:
            return int(_house(data.get(key)) or 0) or None
        except ValueError as exc:
            self.fail(f"{place}.{key}", str(exc))
            return None

    def old_name(
        self, value: Any, kind: str, year: int | None, sources: tuple[str, ...], place: str
    ) -> OldName | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(place, "must be a street name")
            return None
        text = value.strip()
        for prefix in STREET_KINDS:
            if text.startswith(prefix + " "):
                return OldName(prefix, text[len(prefix) + 1 :].strip(), year, sources)
        return OldName(kind, text, year, sources)


def parse_register(text: str, source: str) -> list[RegisterStreet]:
    """The street register (content/streets.yaml): every street names its sources, and
    every source is listed with its address. Raises ContentError with every problem."""
    checker = _Register(source)
    try:
        data = load_yaml(text, source, timestamps=False).data
    except ContentInvalid as exc:
        raise ContentError(exc.problems) from None
    if not isinstance(data, dict):
        raise ContentError(
            [Problem(source, 0, "", "must be a mapping with `sources` and `streets`")]
        )
    sources = data.get("sources")
    if not isinstance(sources, dict) or not sources:
        checker.fail("sources", "must map source ids to {url, title, kind}")
        sources = {}
    for key, info in sources.items():
        place = f"sources.{key}"
        if not isinstance(info, dict):
            checker.fail(place, "must be a mapping")
            continue
        checker.text(info, "title", place, limit=500)
        kind = info.get("kind")
        if kind not in SOURCE_KINDS:
            checker.fail(f"{place}.kind", f"must be one of {', '.join(SOURCE_KINDS)}")
        if kind != "unverified" and not str(info.get("url") or "").strip():
            checker.fail(f"{place}.url", "is required (where the names were read)")
    rows = data.get("streets")
    if not isinstance(rows, list):
        checker.fail("streets", "must be a list")
        rows = []
    streets: list[RegisterStreet] = []
    seen: set[tuple[str, str]] = set()
    for position, row in enumerate(rows):
        place = f"streets[{position}]"
        if not isinstance(row, dict):
            checker.fail(place, "must be a mapping")
            continue
        kind = checker.text(row, "kind", place, required=False, limit=16) or "вул."
        if kind not in STREET_KINDS:
            checker.fail(f"{place}.kind", f"must be one of {', '.join(STREET_KINDS)}")
        name = checker.text(row, "name_uk", place, limit=120)
        ids = tuple(str(s) for s in checker.listing(row, "source", place))
        if not ids:
            checker.fail(f"{place}.source", "is required: where the name was read")
        for unknown in [i for i in ids if i not in sources]:
            checker.fail(f"{place}.source", f"unknown source {unknown!r}")
        year = checker.number(row, "renamed", place)
        old = [
            checker.old_name(value, kind, year, ids, f"{place}.old[{i}]")
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
                name_en=checker.text(row, "name_en", place, required=False, limit=120),
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


def _in(texts: dict[str, Any] | None, lang: str) -> str:
    """One language of a stored `{"uk": ..., "en": ...}` text, as the files write it."""
    return str((texts or {}).get(lang) or "")


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], False)}


def _kyiv(moment: datetime) -> str:
    return moment.astimezone(city_zone()).strftime("%Y-%m-%dT%H:%M")


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
                    "name_uk": _in(zone.name, "uk"),
                    "name_en": _in(zone.name, "en"),
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
                    "name_uk": _in(t.name, "uk"),
                    "name_en": _in(t.name, "en"),
                    "hint_uk": _in(t.hint, "uk"),
                    "hint_en": _in(t.hint, "en"),
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
                    "reason_uk": _in(e.reason, "uk"),
                    "reason_en": _in(e.reason, "en"),
                }
            )
            for e in await repo.exceptions()
        ],
        "dropoff_points": [
            _drop_empty(
                {
                    "code": p.code,
                    "kind": p.kind,
                    "name_uk": _in(p.name, "uk"),
                    "name_en": _in(p.name, "en"),
                    "address_uk": _in(p.address, "uk"),
                    "address_en": _in(p.address, "en"),
                    "hours_uk": _in(p.hours, "uk"),
                    "hours_en": _in(p.hours, "en"),
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
                    "place_uk": _in(s.place, "uk"),
                    "place_en": _in(s.place, "en"),
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
            "name_uk": _in(s.name, "uk"),
            "name_en": _in(s.name, "en"),
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
            "note_uk": _in(r.note, "uk"),
            "note_en": _in(r.note, "en"),
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
            event.add("dtstart", datetime.combine(item.day, item.window_start, tzinfo=city_zone()))
            if item.window_end is not None:
                event.add("dtend", datetime.combine(item.day, item.window_end, tzinfo=city_zone()))
        else:
            event.add("dtstart", item.day)
        cal.add_component(event)
    cal.add_missing_timezones(first_date=today - timedelta(days=366), last_date=end)
    return bytes(cal.to_ical())
