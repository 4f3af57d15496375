"""The services catalogue as a file the city's staff maintain (YAML or CSV), and as the search
index the bot answers from.

* The file format is the pydantic models below (`CatalogueFile`: offices, categories,
  services), read with the content-import kit (bot.core.contentkit): `read_file` parses and
  validates a file and reports every problem with its line; nothing is written unless the
  whole file is valid. Async code calls `read_file_in_thread` / `parse_bytes_in_thread`: a
  catalogue of thousands of services takes seconds to parse, and the event loop keeps
  serving residents meanwhile.
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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal, get_origin
from urllib.parse import urlparse

import yaml
from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PROJECT_ROOT
from bot.core.contentkit import (
    ContentInvalid,
    Document,
    ImportReport,
    Model,
    Problem,
    Problems,
    limit,
    load_yaml,
    validate,
)
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
SUFFIXES = (".yaml", ".yml", ".csv")
CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,24}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE = {"true", "yes", "1", "так", "y", "+"}
FALSE = {"false", "no", "0", "ні", "n", "-", ""}
MAX_ITEMS = 60
REFS = ("category", "office")  # a service's references to other sections, by code


# --- the file format: values ---------------------------------------------------------------
def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)[:60]


def _text(value: Any) -> str:
    """Text, a number written as text ("fee: 279"), or nothing ("")."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected text, got {_describe(value)}")
    text = str(value).strip()
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    return text


def _items(value: Any) -> Any:
    """A list of texts; one text is a list of one, nothing is an empty list."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {_describe(value)}")
    return value


def _written(items: list[str]) -> list[str]:
    return [item for item in items if item]


def _flag(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
        return value.strip().lower() in TRUE
    raise ValueError(f"expected true or false, got {_describe(value)}")


def _blank_is_none(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip().replace(",", ".") if isinstance(value, str) else value


def _code(text: str) -> str:
    if not text:
        raise ValueError("required")
    if not CODE.match(text):
        raise ValueError(f"{text!r} must be lower-case latin letters, digits and hyphens")
    if len(text) > 48:
        raise ValueError(f"{text!r} is longer than 48 characters")
    return text


def _ref(text: str) -> str:
    if text and not CODE.match(text):
        raise ValueError(f"{text!r} is not a code")
    return text


def _required(text: str) -> str:
    if not text:
        raise ValueError("required")
    return text


def _url(text: str) -> str:
    parsed = urlparse(text)
    if text and (parsed.scheme not in ("http", "https") or not parsed.netloc or " " in text):
        raise ValueError(f"{text!r} must be a full http:// or https:// address")
    return text


def _email(text: str) -> str:
    if text and not EMAIL.match(text):
        raise ValueError(f"{text!r} is not an e-mail address")
    return text


def _phone(text: str) -> str:
    if not PHONE.match(text):
        raise ValueError(f"{text!r} is not a phone number like +380 382 76-58-61")
    return text


def _within(low: float, high: float) -> AfterValidator:
    def check(number: float | None) -> float | None:
        if number is not None and not low <= number <= high:
            raise ValueError(f"{number} is outside {low:g}…{high:g}")
        return number

    return AfterValidator(check)


AsText = BeforeValidator(_text)
Text = Annotated[str, AsText, AfterValidator(limit(3000))]
Code = Annotated[str, AsText, AfterValidator(_code)]
Ref = Annotated[str, AsText, AfterValidator(_ref)]
Url = Annotated[str, AsText, AfterValidator(limit(300)), AfterValidator(_url)]
Email = Annotated[str, AsText, AfterValidator(limit(200)), AfterValidator(_email)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Position = Annotated[int | None, BeforeValidator(_blank_is_none)]
Item = Annotated[str, AsText, AfterValidator(limit(500))]
Items = Annotated[
    list[Item], BeforeValidator(_items), Field(max_length=MAX_ITEMS), AfterValidator(_written)
]
Phones = Annotated[
    list[Annotated[str, AsText, AfterValidator(limit(40)), AfterValidator(_phone)]],
    BeforeValidator(_items),
    Field(max_length=MAX_ITEMS),
    AfterValidator(_written),
]
Keywords = Annotated[
    list[Annotated[str, AsText, AfterValidator(limit(100))]],
    BeforeValidator(_items),
    Field(max_length=MAX_ITEMS),
    AfterValidator(_written),
]
Latitude = Annotated[float | None, BeforeValidator(_blank_is_none), _within(-90, 90)]
Longitude = Annotated[float | None, BeforeValidator(_blank_is_none), _within(-180, 180)]


class ByLanguage(Model):
    """Something residents read, by language: `{uk: …, en: …}`; one plain value is the
    Ukrainian. What is stored leaves out the languages not written: residents read the
    Ukrainian then (bot.core.i18n.localized)."""

    @model_validator(mode="before")
    @classmethod
    def _plain_is_ukrainian(cls, data: Any) -> Any:
        if data is None:
            return {}
        return data if isinstance(data, dict) else {"uk": data}

    def stored(self) -> dict[str, Any]:
        return {locale: getattr(self, locale) for locale in LOCALES if getattr(self, locale)}


# A required language is reported when it is left out too (`validate_default`).
NameText = Annotated[str, AsText, AfterValidator(_required), AfterValidator(limit(200))]


class Texts(ByLanguage):
    uk: Text = ""
    en: Text = ""


class Name(ByLanguage):
    """A name or a title: both languages."""

    uk: NameText = Field("", validate_default=True)
    en: NameText = Field("", validate_default=True)


class Address(ByLanguage):
    uk: Annotated[str, AsText, AfterValidator(limit(300))] = ""
    en: Annotated[str, AsText, AfterValidator(limit(300))] = ""


class TextLists(ByLanguage):
    """A list residents read (documents, legal acts), `{uk: [...], en: [...]}`."""

    uk: Items = Field(default_factory=list)
    en: Items = Field(default_factory=list)


# --- the file format: records ---------------------------------------------------------------
class Office(Model):
    """Where residents apply (the ЦНАП and its branches)."""

    code: Code
    position: Position = None
    example: Flag = False
    name: Name
    address: Address = Address()
    hours: Texts = Texts()
    hours_example: Flag = False
    phones: Phones = Field(default_factory=list)
    email: Email = ""
    website: Url = ""
    latitude: Latitude = None
    longitude: Longitude = None
    location_example: Flag = False
    notice: Texts = Texts()


class Category(Model):
    code: Code
    position: Position = None
    title: Name


class ServiceCard(Model):
    """A service's information card; the fields' order is the CSV columns' order."""

    code: Code
    category: Annotated[str, AsText, AfterValidator(_required), AfterValidator(_ref)]
    office: Ref = ""
    position: Position = None
    example: Flag = False
    name: Name
    description: Texts = Texts()
    how_to_apply: Texts = Texts()
    documents: TextLists = TextLists()
    paid: Flag = False
    fee: Texts = Texts()
    fee_basis: Texts = Texts()
    term: Texts = Texts()
    result: Texts = Texts()
    delivery: Texts = Texts()
    refusal: Texts = Texts()
    legal_acts: TextLists = TextLists()
    online: Texts = Texts()
    online_url: Url = ""
    keywords: Keywords = Field(default_factory=list)


Record = Office | Category | ServiceCard


def _no_section(value: Any) -> Any:
    return [] if value is None else value


Section = BeforeValidator(_no_section)  # `services:` with nothing under it is an empty list


class CatalogueFile(Model):
    version: Literal[1] = 1
    offices: Annotated[list[Office], Section] = Field(default_factory=list)
    categories: Annotated[list[Category], Section] = Field(default_factory=list)
    services: Annotated[list[ServiceCard], Section] = Field(default_factory=list)


SECTIONS: dict[str, type[Office] | type[Category] | type[ServiceCard]] = {
    "offices": Office,
    "categories": Category,
    "services": ServiceCard,
}
MODELS: dict[str, type[ServiceOffice] | type[ServiceCategory] | type[Service]] = {
    "offices": ServiceOffice,
    "categories": ServiceCategory,
    "services": Service,
}


def _localized(model: type[Model], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return isinstance(annotation, type) and issubclass(annotation, ByLanguage)


def _listed(model: type[Model], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return get_origin(annotation) is list or (
        isinstance(annotation, type) and issubclass(annotation, TextLists)
    )


def columns(record: Record, position: int) -> dict[str, Any]:
    """A validated record as the model's column values (references left out)."""
    out: dict[str, Any] = {}
    for name in type(record).model_fields:
        if name in REFS:
            continue
        value = getattr(record, name)
        out[name] = value.stored() if isinstance(value, ByLanguage) else value
    if out.get("position") is None:
        out["position"] = position
    return out


# --- the parsed catalogue -----------------------------------------------------------------
@dataclass
class Catalogue:
    source: str
    complete: bool  # a YAML file is the whole catalogue; a CSV file only its services
    offices: list[Office] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    services: list[ServiceCard] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)  # CSV: a service's "row N"


def _hinted(problem: Problem, model: type[Model] | None) -> Problem:
    """The kit's "unknown field" with what the staff most likely meant."""
    unknown = re.fullmatch(r"unknown field '(.+)'", problem.message)
    if unknown is None:
        return problem
    name = unknown.group(1)
    if model is None:
        return replace(problem, message=f"unknown section {name!r}")
    if re.search(r"\.[a-z_]+$", problem.where):  # inside a {uk, en} text
        return replace(problem, message=f"unknown language {name!r} (use uk and en)")
    hint = difflib.get_close_matches(name, list(model.model_fields), n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    return replace(problem, message=f"{problem.message}{suggestion}")


def _codes(doc: Document, section: str, items: Any) -> Iterator[tuple[Any, int, str]]:
    """(code, line, place) of every record as written, valid or not: a repeated code is
    reported even when either record has other problems, so one run shows everything."""
    for index, raw in enumerate(items if isinstance(items, list) else []):
        if isinstance(raw, dict) and isinstance(raw.get("code"), str):
            path = (section, index, "code")
            yield raw["code"].strip(), doc.line(path), f"{section}[{index + 1}]"


def parse_yaml(text: str, source: str) -> Catalogue:
    """Parse and validate a whole catalogue in YAML; raise `ContentInvalid` listing every
    problem."""
    doc = load_yaml(text, source, timestamps=False)  # a date in a text is text
    problems = Problems(doc)
    parsed = validate(CatalogueFile, doc, problems)
    problems.errors = [
        _hinted(p, SECTIONS.get(p.where.split("[", 1)[0]) if p.where else None)
        for p in problems.errors
    ]
    data = doc.data if isinstance(doc.data, dict) else {}
    known: dict[str, set[str]] = {}
    for name in SECTIONS:
        codes = list(_codes(doc, name, data.get(name)))
        problems.duplicates(codes, "code")
        # a mis-written code ("Passports") is reported at its record, not at every reference
        known[name] = {code.lower() for code, _, _ in codes}
    services = data.get("services")
    for index, raw in enumerate(services if isinstance(services, list) else []):
        if not isinstance(raw, dict):
            continue
        for ref, section in (("category", "categories"), ("office", "offices")):
            code = raw.get(ref)
            if (
                isinstance(code, str)
                and code.strip()
                and code.strip().lower() not in known[section]
            ):
                problems.error(
                    ("services", index, ref),
                    f"{ref} {code.strip()!r} is not in {section}",
                )
    problems.raise_if_any()
    assert parsed is not None  # no problems: the file is valid
    return Catalogue(
        source,
        complete=True,
        offices=parsed.offices,
        categories=parsed.categories,
        services=parsed.services,
    )


# --- CSV (services only) ---------------------------------------------------------------------
def csv_columns() -> list[str]:
    out: list[str] = []
    for name in ServiceCard.model_fields:
        if _localized(ServiceCard, name):
            out.extend(f"{name}_{locale}" for locale in LOCALES)
        else:
            out.append(name)
    return out


def _cell(value: str | None, is_list: bool) -> Any:
    text = (value or "").strip()
    if not is_list:
        return text
    return [line.strip() for line in text.splitlines() if line.strip()]


def _csv_record(row: Mapping[str, str]) -> dict[str, Any]:
    """A CSV row in the shape of a YAML record (`name_uk`, `name_en` → `name: {uk, en}`)."""
    raw: dict[str, Any] = {}
    for name in ServiceCard.model_fields:
        is_list = _listed(ServiceCard, name)
        if _localized(ServiceCard, name):
            raw[name] = {locale: _cell(row.get(f"{name}_{locale}"), is_list) for locale in LOCALES}
        else:
            raw[name] = _cell(row.get(name), is_list)
    return raw


def parse_csv(text: str, source: str) -> Catalogue:
    """Parse and validate services in CSV (one row a service; list cells one item a line).
    A problem names the line the row starts on and the row as a spreadsheet numbers it."""
    problems = Problems(source)
    # The separator is the one the header uses most (a comma when it uses none). Guessing
    # from the rows too (csv.Sniffer) takes the `'` that exports put before a `=…` cell
    # (storage/csvsafe.py) for a quote character.
    delimiter = max(",;\t", key=text.split("\n", 1)[0].count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = reader.fieldnames or []
    expected = csv_columns()
    for column in ("code", "category", "name_uk", "name_en"):
        if column not in header:
            problems.error(1, f"column {column!r} is missing", name="header")
    for column in header:
        if column not in expected:
            hint = difflib.get_close_matches(column, expected, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.error(1, f"unknown column {column!r}{suggestion}", name="header")
    problems.raise_if_any()
    rows: list[tuple[int, dict[str, Any]]] = []
    labels: list[str] = []
    line = reader.line_num + 1
    try:
        for number, row in enumerate(reader, start=2):
            start, line = line, reader.line_num + 1
            if None in row:
                problems.error(start, "more cells than columns in the header", name=f"row {number}")
            elif any((value or "").strip() for value in row.values()):
                cells = {key: csvsafe.unquote(value or "") for key, value in row.items()}
                rows.append((start, _csv_record(cells)))
                labels.append(f"row {number}")
    except csv.Error as exc:
        problems.error(reader.line_num, f"not valid CSV: {exc}")
        problems.raise_if_any()
    doc = Document.from_rows(source, rows)
    catalogue = Catalogue(source, complete=False)
    for index, label in enumerate(labels):
        found = Problems(doc)
        record = validate(ServiceCard, doc, found, (index,))
        if record is not None:
            catalogue.services.append(record)
            catalogue.rows[record.code] = label
        for problem in found.errors:
            field_name = re.sub(r"^\[\d+\]\.?", "", problem.where)
            place = f"{label}: {field_name}" if field_name else label
            problems.errors.append(replace(problem, where=place))
    problems.duplicates(
        ((str(raw["code"]), at, label) for (at, raw), label in zip(rows, labels, strict=True)),
        "code",
    )
    problems.raise_if_any()
    return catalogue


def read_file(path: Path) -> Catalogue:
    """Read a catalogue file by its extension (.yaml/.yml or .csv)."""
    source = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ContentInvalid([Problem(source, 0, "", "use a .yaml, .yml or .csv file")])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror}"
        raise ContentInvalid([Problem(source, 0, "", message)]) from None
    return parse_bytes(raw, source)


def parse_bytes(raw: bytes, source: str) -> Catalogue:
    """A catalogue from a file's bytes (a path or an upload), read by the extension of
    `source`; every problem carries `source` and, where it can, a line."""
    suffix = "." + source.rsplit(".", 1)[-1].lower() if "." in source else ""
    if suffix not in SUFFIXES:
        raise ContentInvalid([Problem(source, 0, "", "use a .yaml, .yml or .csv file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = "not UTF-8 text (save the file as UTF-8)"
        raise ContentInvalid([Problem(source, line, "", message)]) from None
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
def _apply(row: Any, values: Mapping[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
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
        problems = Problems(catalogue.source)
        for record in catalogue.services:
            for ref, known, section in (
                ("category", existing_categories, "categories"),
                ("office", existing_offices, "offices"),
            ):
                code = getattr(record, ref)
                if code and code not in known:
                    problems.error(
                        record.line,
                        f"{ref} {code!r} is not in the catalogue's {section} "
                        "(import the YAML catalogue first)",
                        name=catalogue.rows.get(record.code, ""),
                    )
        problems.raise_if_any()

    offices: dict[str, Any] = existing_offices
    categories: dict[str, Any] = existing_categories

    async def upsert(
        name: str, existing: dict[str, Any], records: Sequence[Record]
    ) -> dict[str, Any]:
        model = MODELS[name]
        rows: dict[str, Any] = {}
        report.count(name, "created", 0)
        report.count(name, "updated", 0)
        report.count(name, "unchanged", 0)
        for position, record in enumerate(records, start=1):
            values = columns(record, position)
            if isinstance(record, ServiceCard):
                values["category_id"] = categories[record.category].id
                values["office_id"] = offices[record.office].id if record.office else None
            row = existing.get(record.code)
            if row is None:
                row = model(**values, updated_at=now)
                session.add(row)
                report.count(name, "created")
            elif _apply(row, values):
                row.updated_at = now
                report.count(name, "updated")
            else:
                report.count(name, "unchanged")
            rows[record.code] = row
        await session.flush()
        return rows

    if catalogue.complete:
        offices = await upsert("offices", existing_offices, catalogue.offices)
        categories = await upsert("categories", existing_categories, catalogue.categories)
    services = await upsert("services", existing_services, catalogue.services)
    gone_services = [s.id for code, s in existing_services.items() if code not in services]
    await repo.remove_services(gone_services)
    report.count("services", "removed", len(gone_services))
    if catalogue.complete:
        gone_categories = [
            c.id for code, c in existing_categories.items() if code not in categories
        ]
        gone_offices = [o.id for code, o in existing_offices.items() if code not in offices]
        await repo.remove_categories(gone_categories)
        await repo.remove_offices(gone_offices)
        report.count("categories", "removed", len(gone_categories))
        report.count("offices", "removed", len(gone_offices))
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
    row: Any, model: type[Model], refs: Mapping[str, str | None]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in REFS:
            value: Any = refs.get(name)
        elif _localized(model, name):
            texts = getattr(row, name)
            value = {locale: texts[locale] for locale in LOCALES if texts.get(locale)}
        else:
            value = getattr(row, name)
        if value in (None, "", [], {}) or (
            info.annotation is bool and not value and name != "example"
        ):
            continue
        out[name] = value
    return out


def _csv_cells(service: Service, refs: Mapping[str, str | None]) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for name, info in ServiceCard.model_fields.items():
        if name in REFS:
            cells[name] = refs.get(name) or ""
        elif _localized(ServiceCard, name):
            texts = getattr(service, name)
            for locale in LOCALES:
                value = texts.get(locale) or ""
                cells[f"{name}_{locale}"] = "\n".join(value) if isinstance(value, list) else value
        elif info.annotation is bool:
            cells[name] = "true" if getattr(service, name) else "false"
        else:
            value = getattr(service, name)
            if isinstance(value, list):
                value = "\n".join(value)
            cells[name] = "" if value is None else value
    return cells


async def export_catalogue(db: Database, suffix: str) -> tuple[str, int]:
    """The catalogue as file text (".yaml"/".yml": everything; ".csv": services) and the
    number of services in it. CSV text starts with a BOM so spreadsheet programs read UTF-8."""
    suffix = suffix.lower()
    if suffix not in SUFFIXES:
        raise ContentInvalid([Problem(suffix, 0, "", "use a .yaml, .yml or .csv file")])
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
            writer.writerow(_csv_cells(service, service_refs(service)))
        return "\ufeff" + buffer.getvalue(), len(services)
    document = {
        "version": FORMAT_VERSION,
        "offices": [_record_from_row(o, Office, {}) for o in offices],
        "categories": [_record_from_row(c, Category, {}) for c in categories],
        "services": [_record_from_row(s, ServiceCard, service_refs(s)) for s in services],
    }
    header = "# Svoi services catalogue (format: docs/services.md)\n"
    text = header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return text, len(services)


# --- the search index ------------------------------------------------------------------------
def all_languages(texts: Mapping[str, Any] | None) -> list[str]:
    """Every language's text of a stored `{"uk": ..., "en": ...}` object, Ukrainian first:
    the index finds a service by words of any of them."""
    texts = texts or {}
    order = [*LOCALES, *sorted(set(texts) - set(LOCALES))]
    return [str(texts[locale]) for locale in order if texts.get(locale)]


def search_doc(
    service: Service, category: ServiceCategory | None, service_id: int | None = None
) -> SearchDoc:
    return SearchDoc(
        service_id=service.id if service_id is None else service_id,
        names=all_languages(service.name),
        keywords=list(service.keywords),
        category=all_languages(category.title) if category is not None else [],
        description=all_languages(service.description),
        code=service.code,
    )


def docs_from_catalogue(catalogue: Catalogue) -> tuple[list[SearchDoc], list[str]]:
    """Search documents straight from a parsed file (no database): ids are positions, and
    the second list maps each id back to the service code."""
    titles = {c.code: c.title.stored() for c in catalogue.categories}
    docs = []
    codes = []
    for index, record in enumerate(catalogue.services):
        docs.append(
            SearchDoc(
                service_id=index,
                names=all_languages(record.name.stored()),
                keywords=record.keywords,
                category=all_languages(titles.get(record.category)),
                description=all_languages(record.description.stored()),
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


class Answer(ByLanguage):
    uk: Annotated[str, AsText, AfterValidator(_required)] = Field("", validate_default=True)
    en: Text = ""


def _some(items: list[str]) -> list[str]:
    if not items:
        raise ValueError("at least one http(s) source")
    return items


class Place(Model):
    """An entry of content/elsewhere.yaml: both names, a Ukrainian answer, its sources."""

    code: Code
    example: Flag = False
    name: Name
    answer: Answer
    keywords: Keywords = Field(default_factory=list)
    website: Annotated[str, AsText, AfterValidator(_url)] = ""
    source: Annotated[
        list[Annotated[str, AsText, AfterValidator(_required), AfterValidator(_url)]],
        BeforeValidator(_items),
        AfterValidator(_some),
    ]


class ElsewhereFile(Model):
    version: Literal[1] = 1
    places: Annotated[list[Place], Section] = Field(default_factory=list)


def read_elsewhere(path: Path = DEFAULT_ELSEWHERE) -> list[Elsewhere]:
    """The directory of other institutions; every problem is named with its line."""
    doc = load_yaml(path.read_text(encoding="utf-8"), str(path), timestamps=False)
    problems = Problems(doc)
    parsed = validate(ElsewhereFile, doc, problems)
    places = doc.data.get("places") if isinstance(doc.data, dict) else None
    problems.duplicates(_codes(doc, "places", places), "code")
    problems.raise_if_any()
    assert parsed is not None
    return [
        Elsewhere(
            code=place.code,
            name=place.name.stored(),
            answer={k: " ".join(v.split()) for k, v in place.answer.stored().items()},
            keywords=tuple(place.keywords),
            sources=tuple(place.source),
            website=place.website or None,
            example=place.example,
        )
        for place in parsed.places
    ]


_ELSEWHERE: tuple[ServiceIndex, list[Elsewhere]] | None = None


def _elsewhere() -> tuple[ServiceIndex, list[Elsewhere]]:
    global _ELSEWHERE
    if _ELSEWHERE is None:
        entries = read_elsewhere()
        index = ServiceIndex(
            SearchDoc(
                service_id=n,
                names=all_languages(entry.name),
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
