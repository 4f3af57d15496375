"""The services catalogue as a file the city's staff maintain (YAML or CSV), and as the search
index the bot answers from.

* `read_file` parses and validates a file and reports every problem with its line (YAML) or
  row (CSV); nothing is written unless the whole file is valid. Async code calls
  `read_file_in_thread` / `parse_bytes_in_thread`: a catalogue of thousands of services
  takes seconds to parse, and the event loop keeps serving residents meanwhile.
* `import_catalogue` makes the database equal to the file in one transaction: a YAML file is
  the whole catalogue (offices, categories, services; what it lacks is removed); a CSV file
  holds services only, referring to categories and offices already in the database.
  Importing the same file again changes nothing.
* `export_catalogue` writes the database back in either format (the round trip is exact).
* `current_index` returns the in-memory search index for the catalogue's current stamp,
  rebuilt when an import (in any process) changed it.
* `ensure_default_catalogue` loads the shipped `content/services.yaml` into an empty database.
* `find_elsewhere` answers needs that are not the centre's services from the sourced
  directory of other institutions, `content/elsewhere.yaml` (read once per process).

The format is documented for staff in docs/services.md.
"""

from __future__ import annotations

import asyncio
import csv
import difflib
import io
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PROJECT_ROOT
from dialogs.services.search import SearchDoc, ServiceIndex
from storage import clock, csvsafe
from storage.db import Database
from storage.models.services import Service, ServiceCategory, ServiceOffice
from storage.repos.services import ServiceRepo

log = logging.getLogger(__name__)

LOCALES = ("uk", "en")
DEFAULT_CATALOGUE = PROJECT_ROOT / "content" / "services.yaml"
DEFAULT_ELSEWHERE = PROJECT_ROOT / "content" / "elsewhere.yaml"
FORMAT_VERSION = 1

Kind = Literal[
    "code", "ref", "int", "bool", "float", "text", "url", "email", "local", "locallist", "list"
]


@dataclass(frozen=True, slots=True)
class Spec:
    """One field of a record: its key in the file, its type, limits."""

    key: str
    kind: Kind
    required: bool = False
    max_length: int = 3000
    required_locales: tuple[str, ...] = ("uk",)
    low: float | None = None
    high: float | None = None


OFFICE_FIELDS: tuple[Spec, ...] = (
    Spec("code", "code", required=True),
    Spec("position", "int"),
    Spec("example", "bool"),
    Spec("name", "local", required=True, max_length=200, required_locales=LOCALES),
    Spec("address", "local", max_length=300),
    Spec("hours", "local"),
    Spec("hours_example", "bool"),
    Spec("phones", "list", max_length=40),
    Spec("email", "email", max_length=200),
    Spec("website", "url", max_length=300),
    Spec("latitude", "float", low=-90, high=90),
    Spec("longitude", "float", low=-180, high=180),
    Spec("location_example", "bool"),
    Spec("notice", "local"),
)
CATEGORY_FIELDS: tuple[Spec, ...] = (
    Spec("code", "code", required=True),
    Spec("position", "int"),
    Spec("title", "local", required=True, max_length=200, required_locales=LOCALES),
)
SERVICE_FIELDS: tuple[Spec, ...] = (
    Spec("code", "code", required=True),
    Spec("category", "ref", required=True),
    Spec("office", "ref"),
    Spec("position", "int"),
    Spec("example", "bool"),
    Spec("name", "local", required=True, max_length=200, required_locales=LOCALES),
    Spec("description", "local"),
    Spec("how_to_apply", "local"),
    Spec("documents", "locallist", max_length=500),
    Spec("paid", "bool"),
    Spec("fee", "local"),
    Spec("fee_basis", "local"),
    Spec("term", "local"),
    Spec("result", "local"),
    Spec("delivery", "local"),
    Spec("refusal", "local"),
    Spec("legal_acts", "locallist", max_length=500),
    Spec("online", "local"),
    Spec("online_url", "url", max_length=300),
    Spec("keywords", "list", max_length=100),
)
SECTIONS: dict[str, tuple[Spec, ...]] = {
    "offices": OFFICE_FIELDS,
    "categories": CATEGORY_FIELDS,
    "services": SERVICE_FIELDS,
}
MODELS: dict[str, type[ServiceOffice] | type[ServiceCategory] | type[Service]] = {
    "offices": ServiceOffice,
    "categories": ServiceCategory,
    "services": Service,
}
CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,24}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE = {"true", "yes", "1", "так", "y", "+"}
FALSE = {"false", "no", "0", "ні", "n", "-", ""}
MAX_ITEMS = 60


# --- problems ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file, with where it is: a line (YAML) or a row (CSV)."""

    source: str
    message: str
    line: int | None = None
    row: int | None = None

    def __str__(self) -> str:
        if self.row is not None:
            return f"{self.source}: row {self.row}: {self.message}"
        if self.line is not None:
            return f"{self.source}:{self.line}: {self.message}"
        return f"{self.source}: {self.message}"


class CatalogueInvalid(Exception):
    """The file (or its references) has problems; nothing was changed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


# --- the parsed catalogue -----------------------------------------------------------------
@dataclass
class Record:
    """A validated record: column values ready for the model, plus its references."""

    code: str
    columns: dict[str, Any]
    refs: dict[str, str | None] = field(default_factory=dict)
    line: int | None = None
    row: int | None = None


@dataclass
class Catalogue:
    source: str
    complete: bool  # a YAML file is the whole catalogue; a CSV file only its services
    offices: list[Record] = field(default_factory=list)
    categories: list[Record] = field(default_factory=list)
    services: list[Record] = field(default_factory=list)

    def section(self, name: str) -> list[Record]:
        records: list[Record] = getattr(self, name)
        return records


# --- YAML with line numbers -----------------------------------------------------------------
class _LineDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    mapping = _LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    duplicates: list[tuple[str, int]] = []
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            key = str(key)
        key = str(key)
        if key in mapping:
            duplicates.append((key, key_node.start_mark.line + 1))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = value_node.start_mark.line + 1
    if duplicates:
        mapping["__duplicates__"] = duplicates
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
# Dates stay text (a date in a term or a notice is something to show, not to compute with).
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# --- validation ---------------------------------------------------------------------------
class _Checker:
    def __init__(self, source: str, place: Callable[[str | None], dict[str, int | None]]) -> None:
        self.source = source
        self.place = place
        self.problems: list[Problem] = []

    def fail(self, key: str | None, message: str) -> None:
        where = self.place(key)
        self.problems.append(Problem(self.source, message, where["line"], where["row"]))

    def text(self, spec: Spec, key: str, value: Any, label: str) -> str | None:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(key, f"{label}: expected text, got {_describe(value)}")
            return None
        text = str(value).strip()
        if len(text) > spec.max_length:
            self.fail(key, f"{label}: too long ({len(text)} characters, at most {spec.max_length})")
            return None
        if "\x00" in text:
            self.fail(key, f"{label}: contains a NUL character")
            return None
        return text

    def items(self, spec: Spec, key: str, value: Any, label: str) -> list[str] | None:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, f"{label}: expected a list, got {_describe(value)}")
            return None
        if len(value) > MAX_ITEMS:
            self.fail(key, f"{label}: too many items ({len(value)}, at most {MAX_ITEMS})")
            return None
        out: list[str] = []
        for index, item in enumerate(value, start=1):
            text = self.text(spec, key, item, f"{label} item {index}")
            if text is None:
                return None
            if text:
                out.append(text)
        return out

    def localized(self, spec: Spec, value: Any) -> dict[str, Any] | None:
        """`{uk: …, en: …}` (a plain value means Ukrainian only)."""
        if value is None:
            value = {}
        if not isinstance(value, dict):
            value = {"uk": value}
        unknown = [k for k in value if k not in LOCALES and k != "__duplicates__"]
        for key in unknown:
            self.fail(spec.key, f"{spec.key}: unknown language {key!r} (use uk and en)")
        out: dict[str, Any] = {}
        for locale in LOCALES:
            label = f"{spec.key}.{locale}"
            raw = value.get(locale)
            checked: Any = (
                self.items(spec, spec.key, raw, label)
                if spec.kind == "locallist"
                else self.text(spec, spec.key, raw, label)
            )
            if checked is None:
                return None
            if spec.required and locale in spec.required_locales and not checked:
                self.fail(spec.key, f"{label}: required")
            out[f"{spec.key}_{locale}"] = checked
        return out if not unknown else None

    def record(self, raw: Mapping[str, Any], specs: Sequence[Spec], position: int) -> Record | None:
        before = len(self.problems)
        for key, line in raw.get("__duplicates__", []):
            self.problems.append(Problem(self.source, f"field {key!r} given twice", line=line))
        known = {spec.key for spec in specs}
        for key in raw:
            if key not in known and key != "__duplicates__":
                hint = difflib.get_close_matches(key, known, n=1)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.fail(key, f"unknown field {key!r}{suggestion}")
        columns: dict[str, Any] = {}
        refs: dict[str, str | None] = {}
        for spec in specs:
            value = raw.get(spec.key)
            if spec.required and spec.kind not in ("local", "locallist") and _blank(value):
                self.fail(spec.key, f"{spec.key}: required")
                continue
            checked = self.value(spec, value)
            if checked is _INVALID:
                continue
            if spec.kind == "ref":
                refs[spec.key] = checked or None
            elif spec.kind in ("local", "locallist"):
                columns.update(checked)
            else:
                columns[spec.key] = checked
        if "position" in columns and columns["position"] is None:
            columns["position"] = position
        if len(self.problems) > before:
            return None
        where = self.place(None)
        return Record(str(columns["code"]), columns, refs, where["line"], where["row"])

    def value(self, spec: Spec, value: Any) -> Any:
        key = spec.key
        if spec.kind in ("local", "locallist"):
            checked = self.localized(spec, value)
            return _INVALID if checked is None else checked
        if spec.kind == "list":
            items = self.items(spec, key, value, key)
            if items is None:
                return _INVALID
            if key == "phones":
                for phone in items:
                    if not PHONE.match(phone):
                        self.fail(
                            key, f"phones: {phone!r} is not a phone number like +380 382 76-58-61"
                        )
                        return _INVALID
            return items
        if spec.kind == "bool":
            if value is None or isinstance(value, bool):
                return bool(value)
            if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
                return value.strip().lower() in TRUE
            self.fail(key, f"{key}: expected true or false, got {_describe(value)}")
            return _INVALID
        if spec.kind == "int":
            if _blank(value):
                return None
            try:
                return int(str(value).strip())
            except ValueError:
                self.fail(key, f"{key}: expected a whole number, got {_describe(value)}")
                return _INVALID
        if spec.kind == "float":
            if _blank(value):
                return None
            try:
                number = float(str(value).strip().replace(",", "."))
            except ValueError:
                self.fail(key, f"{key}: expected a number, got {_describe(value)}")
                return _INVALID
            if (
                spec.low is not None
                and spec.high is not None
                and not spec.low <= number <= spec.high
            ):
                self.fail(key, f"{key}: {number} is outside {spec.low:g}…{spec.high:g}")
                return _INVALID
            return number
        text = self.text(spec, key, value, key)
        if text is None:
            return _INVALID
        if spec.kind == "code" and not CODE.match(text):
            self.fail(key, f"{key}: {text!r} must be lower-case latin letters, digits and hyphens")
            return _INVALID
        if spec.kind == "code" and len(text) > 48:
            self.fail(key, f"{key}: {text!r} is longer than 48 characters")
            return _INVALID
        if spec.kind == "ref" and text and not CODE.match(text):
            self.fail(key, f"{key}: {text!r} is not a code")
            return _INVALID
        if spec.kind == "url" and text:
            parsed = urlparse(text)
            if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in text:
                self.fail(key, f"{key}: {text!r} must be a full http:// or https:// address")
                return _INVALID
        if spec.kind == "email" and text and not EMAIL.match(text):
            self.fail(key, f"{key}: {text!r} is not an e-mail address")
            return _INVALID
        return text


_INVALID: Any = object()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)[:60]


class _Codes:
    """Codes must be unique within a section; a repeat is reported even when either record
    has other problems, so one run of the import shows everything."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[tuple[str, str], str] = {}

    def check(
        self, section: str, code: Any, problems: list[Problem], line: int | None, row: int | None
    ) -> None:
        if not isinstance(code, str) or not code.strip():
            return
        key = (section, code.strip())
        first = self.seen.get(key)
        if first is not None:
            problems.append(
                Problem(
                    self.source,
                    f"{section}: code {code.strip()!r} is used twice (first at {first})",
                    line,
                    row,
                )
            )
        else:
            self.seen[key] = f"line {line}" if row is None else f"row {row}"


def parse_yaml(text: str, source: str) -> Catalogue:
    """Parse and validate a whole catalogue in YAML; raise `CatalogueInvalid` listing every
    problem."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CatalogueInvalid(
            [Problem(source, f"not valid YAML: {exc.problem or exc}", line)]
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogueInvalid([Problem(source, f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise CatalogueInvalid(
            [Problem(source, "expected a mapping with offices, categories and services", 1)]
        )
    problems: list[Problem] = []
    lines = data.key_lines if isinstance(data, _LineDict) else {}
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.append(
            Problem(
                source,
                f"version: {version!r} is not supported (use {FORMAT_VERSION})",
                lines.get("version"),
            )
        )
    for key in data:
        if key not in SECTIONS and key not in ("version", "__duplicates__"):
            problems.append(Problem(source, f"unknown section {key!r}", lines.get(key)))
    catalogue = Catalogue(source, complete=True)
    codes_seen = _Codes(source)
    for name, specs in SECTIONS.items():
        items = data.get(name) or []
        if not isinstance(items, list):
            problems.append(Problem(source, f"{name}: expected a list", lines.get(name)))
            continue
        for index, raw in enumerate(items, start=1):
            if not isinstance(raw, dict):
                problems.append(
                    Problem(source, f"{name} item {index}: expected a mapping", lines.get(name))
                )
                continue
            line_dict = raw if isinstance(raw, _LineDict) else None
            code_line = line_dict.key_lines.get("code", line_dict.line) if line_dict else None
            codes_seen.check(name, raw.get("code"), problems, code_line, None)

            def place(key: str | None, d: _LineDict | None = line_dict) -> dict[str, int | None]:
                if d is None:
                    return {"line": None, "row": None}
                line = d.key_lines.get(key, d.line) if key else d.line
                return {"line": line, "row": None}

            checker = _Checker(source, place)
            record = checker.record(raw, specs, index)
            problems.extend(
                Problem(p.source, f"{name} item {index}: {p.message}", p.line, p.row)
                for p in checker.problems
            )
            if record is not None:
                catalogue.section(name).append(record)
    codes = {name: {r.code for r in catalogue.section(name)} for name in SECTIONS}
    for record in catalogue.services:
        for ref, section in (("category", "categories"), ("office", "offices")):
            code = record.refs.get(ref)
            if code and code not in codes[section]:
                problems.append(
                    Problem(
                        source,
                        f"services: {record.code}: {ref} {code!r} is not in {section}",
                        record.line,
                    )
                )
    if problems:
        raise CatalogueInvalid(problems)
    return catalogue


# --- CSV (services only) ---------------------------------------------------------------------
def csv_columns() -> list[str]:
    columns: list[str] = []
    for spec in SERVICE_FIELDS:
        if spec.kind in ("local", "locallist"):
            columns.extend(f"{spec.key}_{locale}" for locale in LOCALES)
        else:
            columns.append(spec.key)
    return columns


def parse_csv(text: str, source: str) -> Catalogue:
    """Parse and validate services in CSV (one row a service; list cells one item a line)."""
    problems: list[Problem] = []
    catalogue = Catalogue(source, complete=False)
    codes_seen = _Codes(source)
    # The separator is the one the header uses most (a comma when it uses none). Guessing
    # from the rows too (csv.Sniffer) takes the `'` that exports put before a `=…` cell
    # (storage/csvsafe.py) for a quote character.
    delimiter = max(",;\t", key=text.split("\n", 1)[0].count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = reader.fieldnames or []
    expected = csv_columns()
    missing = [c for c in ("code", "category", "name_uk", "name_en") if c not in header]
    unknown = [c for c in header if c not in expected]
    for column in missing:
        problems.append(Problem(source, f"header: column {column!r} is missing", row=1))
    for column in unknown:
        hint = difflib.get_close_matches(column, expected, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        problems.append(Problem(source, f"header: unknown column {column!r}{suggestion}", row=1))
    if missing or unknown:
        raise CatalogueInvalid(problems)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CatalogueInvalid(
            [Problem(source, f"not valid CSV: {exc}", row=reader.line_num)]
        ) from None
    for index, row in enumerate(rows, start=2):
        if None in row:
            problems.append(Problem(source, "more cells than columns in the header", row=index))
            continue
        if all(not (value or "").strip() for value in row.values()):
            continue
        row = {key: csvsafe.unquote(value or "") for key, value in row.items()}
        codes_seen.check("services", row.get("code"), problems, None, index)
        raw: dict[str, Any] = {}
        for spec in SERVICE_FIELDS:
            if spec.kind in ("local", "locallist"):
                raw[spec.key] = {
                    locale: _cell(row.get(f"{spec.key}_{locale}"), spec.kind == "locallist")
                    for locale in LOCALES
                }
            else:
                raw[spec.key] = _cell(row.get(spec.key), spec.kind == "list")

        def place(_key: str | None, number: int = index) -> dict[str, int | None]:
            return {"line": None, "row": number}

        checker = _Checker(source, place)
        record = checker.record(raw, SERVICE_FIELDS, index - 1)
        problems.extend(checker.problems)
        if record is not None:
            catalogue.services.append(record)
    if problems:
        raise CatalogueInvalid(problems)
    return catalogue


def _cell(value: str | None, is_list: bool) -> Any:
    text = (value or "").strip()
    if not is_list:
        return text
    return [line.strip() for line in text.splitlines() if line.strip()]


SUFFIXES = (".yaml", ".yml", ".csv")


def read_file(path: Path) -> Catalogue:
    """Read a catalogue file by its extension (.yaml/.yml or .csv)."""
    source = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise CatalogueInvalid([Problem(source, "use a .yaml, .yml or .csv file")])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueInvalid([Problem(source, f"cannot read the file: {exc.strerror}")]) from None
    return parse_bytes(raw, source)


def parse_bytes(raw: bytes, source: str) -> Catalogue:
    """A catalogue from a file's bytes (a path or an upload), read by the extension of
    `source`; every problem carries `source` and, where it can, a line."""
    suffix = "." + source.rsplit(".", 1)[-1].lower() if "." in source else ""
    if suffix not in SUFFIXES:
        raise CatalogueInvalid([Problem(source, "use a .yaml, .yml or .csv file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogueInvalid(
            [Problem(source, "not UTF-8 text (save the file as UTF-8)", line)]
        ) from None
    started = time.perf_counter()
    catalogue = parse_csv(text, source) if suffix == ".csv" else parse_yaml(text, source)
    log.debug(
        "%s: %d services read in %.2f s",
        source,
        len(catalogue.services),
        time.perf_counter() - started,
    )
    return catalogue


async def read_file_in_thread(path: Path) -> Catalogue:
    """`read_file` in a worker thread, for async code."""
    return await asyncio.to_thread(read_file, path)


async def parse_bytes_in_thread(raw: bytes, source: str) -> Catalogue:
    """`parse_bytes` in a worker thread, for async code (the web console's upload)."""
    return await asyncio.to_thread(parse_bytes, raw, source)


# --- import ----------------------------------------------------------------------------------
@dataclass
class ImportReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def summary(self) -> str:
        parts = []
        for name in SECTIONS:
            if name in self.unchanged:
                parts.append(
                    f"{name}: {self.added.get(name, 0)} added, "
                    f"{self.updated.get(name, 0)} updated, "
                    f"{self.removed.get(name, 0)} removed, "
                    f"{self.unchanged.get(name, 0)} unchanged"
                )
        return "; ".join(parts)


def _apply(row: Any, columns: Mapping[str, Any]) -> bool:
    changed = False
    for key, value in columns.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


async def import_into(session: AsyncSession, catalogue: Catalogue) -> ImportReport:
    """Make the database equal to `catalogue` inside the caller's transaction."""
    repo = ServiceRepo(session)
    report = ImportReport()
    now = clock.now()
    existing_offices = {o.code: o for o in await repo.all_offices()}
    existing_categories = {c.code: c for c in await repo.categories()}
    existing_services = {s.code: s for s in await repo.all_services()}
    if not catalogue.complete:
        problems = []
        for record in catalogue.services:
            for ref, known, section in (
                ("category", existing_categories, "categories"),
                ("office", existing_offices, "offices"),
            ):
                code = record.refs.get(ref)
                if code and code not in known:
                    problems.append(
                        Problem(
                            catalogue.source,
                            f"{ref} {code!r} is not in the catalogue's {section} "
                            "(import the YAML catalogue first)",
                            record.line,
                            record.row,
                        )
                    )
        if problems:
            raise CatalogueInvalid(problems)

    offices: dict[str, Any] = existing_offices
    categories: dict[str, Any] = existing_categories

    async def upsert(name: str, existing: dict[str, Any], records: list[Record]) -> dict[str, Any]:
        model = MODELS[name]
        rows: dict[str, Any] = {}
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        for record in records:
            columns = dict(record.columns)
            if name == "services":
                columns["category_id"] = categories[str(record.refs["category"])].id
                office = record.refs.get("office")
                columns["office_id"] = offices[office].id if office else None
            row = existing.get(record.code)
            if row is None:
                row = model(**columns, updated_at=now)
                session.add(row)
                counts["added"] += 1
            elif _apply(row, columns):
                row.updated_at = now
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            rows[record.code] = row
        await session.flush()
        report.added[name] = counts["added"]
        report.updated[name] = counts["updated"]
        report.unchanged[name] = counts["unchanged"]
        return rows

    if catalogue.complete:
        offices = await upsert("offices", existing_offices, catalogue.offices)
        categories = await upsert("categories", existing_categories, catalogue.categories)
    services = await upsert("services", existing_services, catalogue.services)
    gone_services = [s.id for code, s in existing_services.items() if code not in services]
    await repo.remove_services(gone_services)
    report.removed["services"] = len(gone_services)
    if catalogue.complete:
        gone_categories = [
            c.id for code, c in existing_categories.items() if code not in categories
        ]
        gone_offices = [o.id for code, o in existing_offices.items() if code not in offices]
        await repo.remove_categories(gone_categories)
        await repo.remove_offices(gone_offices)
        report.removed["categories"] = len(gone_categories)
        report.removed["offices"] = len(gone_offices)
    if report.changed or await repo.catalogue() is None:
        await repo.mark_imported(catalogue.source)
    return report


async def import_catalogue(db: Database, path: Path) -> ImportReport:
    """Validate `path` and import it in one transaction: all of it, or nothing."""
    catalogue = await read_file_in_thread(path)
    async with db.transaction() as session:
        return await import_into(session, catalogue)


async def ensure_default_catalogue(db: Database, path: Path = DEFAULT_CATALOGUE) -> bool:
    """Load the shipped catalogue when the database has none; True when it was loaded."""
    async with db.transaction() as session:
        repo = ServiceRepo(session)
        if not await repo.is_empty() or await repo.catalogue() is not None:
            return False
        await import_into(session, await read_file_in_thread(path))
        return True


# --- export ----------------------------------------------------------------------------------
def _record_from_row(
    row: Any, specs: Sequence[Spec], refs: Mapping[str, str | None]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        if spec.kind == "ref":
            value: Any = refs.get(spec.key)
        elif spec.kind in ("local", "locallist"):
            value = {locale: getattr(row, f"{spec.key}_{locale}") for locale in LOCALES}
            value = {k: v for k, v in value.items() if v}
        else:
            value = getattr(row, spec.key)
        if value in (None, "", [], {}) or (
            spec.kind == "bool" and not value and spec.key != "example"
        ):
            continue
        out[spec.key] = value
    return out


async def export_catalogue(db: Database, suffix: str) -> tuple[str, int]:
    """The catalogue as file text (".yaml"/".yml": everything; ".csv": services) and the
    number of services in it. CSV text starts with a BOM so spreadsheet programs read UTF-8."""
    suffix = suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise CatalogueInvalid([Problem(suffix, "use a .yaml, .yml or .csv file")])
    async with db.transaction() as session:
        repo = ServiceRepo(session)
        offices = await repo.all_offices()
        categories = await repo.categories()
        services = await repo.all_services()
    office_codes = {o.id: o.code for o in offices}
    category_codes = {c.id: c.code for c in categories}

    def service_refs(service: Service) -> dict[str, str | None]:
        office = office_codes.get(service.office_id) if service.office_id else None
        return {"category": category_codes[service.category_id], "office": office}

    if suffix == ".csv":
        buffer = io.StringIO(newline="")
        writer = csvsafe.DictWriter(buffer, fieldnames=csv_columns(), lineterminator="\r\n")
        writer.writeheader()
        for service in services:
            refs = service_refs(service)
            cells: dict[str, Any] = {}
            for spec in SERVICE_FIELDS:
                if spec.kind == "ref":
                    cells[spec.key] = refs.get(spec.key) or ""
                elif spec.kind in ("local", "locallist"):
                    for locale in LOCALES:
                        value = getattr(service, f"{spec.key}_{locale}")
                        cells[f"{spec.key}_{locale}"] = (
                            "\n".join(value) if spec.kind == "locallist" else value
                        )
                elif spec.kind == "list":
                    cells[spec.key] = "\n".join(getattr(service, spec.key))
                elif spec.kind == "bool":
                    cells[spec.key] = "true" if getattr(service, spec.key) else "false"
                else:
                    value = getattr(service, spec.key)
                    cells[spec.key] = "" if value is None else value
            writer.writerow(cells)
        return "\ufeff" + buffer.getvalue(), len(services)
    document = {
        "version": FORMAT_VERSION,
        "offices": [_record_from_row(o, OFFICE_FIELDS, {}) for o in offices],
        "categories": [_record_from_row(c, CATEGORY_FIELDS, {}) for c in categories],
        "services": [_record_from_row(s, SERVICE_FIELDS, service_refs(s)) for s in services],
    }
    header = "# Svoi services catalogue (format: docs/services.md)\n"
    text = header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return text, len(services)


# --- the search index ------------------------------------------------------------------------
def search_doc(
    service: Service, category: ServiceCategory | None, service_id: int | None = None
) -> SearchDoc:
    names = [service.name_uk, service.name_en]
    return SearchDoc(
        service_id=service.id if service_id is None else service_id,
        names=[n for n in names if n],
        keywords=list(service.keywords),
        category=[category.title_uk, category.title_en] if category is not None else [],
        description=[service.description_uk, service.description_en],
        code=service.code,
    )


def docs_from_catalogue(catalogue: Catalogue) -> tuple[list[SearchDoc], list[str]]:
    """Search documents straight from a parsed file (no database): ids are positions, and
    the second list maps each id back to the service code."""
    categories = {r.code: r.columns for r in catalogue.categories}
    docs = []
    codes = []
    for index, record in enumerate(catalogue.services):
        c = record.columns
        category = categories.get(str(record.refs.get("category")), {})
        docs.append(
            SearchDoc(
                service_id=index,
                names=[c["name_uk"], c["name_en"]],
                keywords=c["keywords"],
                category=[category.get("title_uk", ""), category.get("title_en", "")],
                description=[c["description_uk"], c["description_en"]],
                code=record.code,
            )
        )
        codes.append(record.code)
    return docs, codes


_INDEXES: dict[str, ServiceIndex] = {}
_EMPTY = ServiceIndex([])


async def current_index(session: AsyncSession) -> ServiceIndex:
    """The index of the catalogue as it is now, built once per import (per process)."""
    repo = ServiceRepo(session)
    stamp = await repo.stamp()
    if stamp is None:
        return _EMPTY
    index = _INDEXES.get(stamp)
    if index is None:
        categories = {c.id: c for c in await repo.categories()}
        services = await repo.all_services()
        index = ServiceIndex(search_doc(s, categories.get(s.category_id)) for s in services)
        if len(_INDEXES) >= 8:  # several test databases or a few rolling imports, no more
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[stamp] = index
    return index


# --- other institutions ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Elsewhere:
    """A need the centre does not handle, and who does (content/elsewhere.yaml)."""

    code: str
    name: dict[str, str]
    answer: dict[str, str]
    keywords: tuple[str, ...]
    sources: tuple[str, ...]
    website: str | None = None
    example: bool = False

    def local(self, field_name: str, locale: str) -> str:
        texts: dict[str, str] = getattr(self, field_name)
        return texts.get(locale) or texts.get("uk", "")


def _http(url: Any) -> bool:
    return isinstance(url, str) and urlparse(url).scheme in ("http", "https")


def read_elsewhere(path: Path = DEFAULT_ELSEWHERE) -> list[Elsewhere]:
    """The directory of other institutions; every entry needs both names, a Ukrainian
    answer and at least one http(s) source."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = []
    for raw in document.get("places") or []:
        name = raw.get("name") or {}
        answer = raw.get("answer") or {}
        sources = raw.get("source") or []
        code = str(raw.get("code", ""))
        if not CODE.match(code) or not name.get("uk") or not name.get("en"):
            raise CatalogueInvalid([Problem(str(path), f"{code!r}: a code and both names")])
        if not answer.get("uk") or not sources or not all(_http(u) for u in sources):
            raise CatalogueInvalid([Problem(str(path), f"{code}: an answer and http sources")])
        website = raw.get("website")
        if website is not None and not _http(website):
            raise CatalogueInvalid([Problem(str(path), f"{code}: website must be http(s)")])
        entries.append(
            Elsewhere(
                code=code,
                name={k: str(v) for k, v in name.items()},
                answer={k: " ".join(str(v).split()) for k, v in answer.items()},
                keywords=tuple(str(k) for k in raw.get("keywords") or []),
                sources=tuple(sources),
                website=website,
                example=bool(raw.get("example", False)),
            )
        )
    return entries


_ELSEWHERE: tuple[ServiceIndex, list[Elsewhere]] | None = None


def _elsewhere() -> tuple[ServiceIndex, list[Elsewhere]]:
    global _ELSEWHERE
    if _ELSEWHERE is None:
        entries = read_elsewhere()
        index = ServiceIndex(
            SearchDoc(
                service_id=n,
                names=[entry.name.get("uk", ""), entry.name.get("en", "")],
                keywords=entry.keywords,
                code=entry.code,
            )
            for n, entry in enumerate(entries)
        )
        _ELSEWHERE = (index, entries)
    return _ELSEWHERE


def find_elsewhere(query: str, limit: int = 2) -> list[Elsewhere]:
    """Other institutions that handle what `query` asks for, best first (may be empty)."""
    index, entries = _elsewhere()
    return [entries[hit.service_id] for hit in index.search(query, limit=limit)]
