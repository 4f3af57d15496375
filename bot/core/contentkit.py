"""The content-import kit: read a staff-maintained YAML file keeping the line of every key and
list item, validate it into pydantic models, and report every problem with its line.

Each feature declares its file format as `Model` classes (unknown fields are refused) and
keeps its own import logic; the kit gives all of them one problem record, one invalid-content
exception and one import report.

    from typing import Annotated
    from pydantic import AfterValidator, Field
    from bot.core.contentkit import (
        ContentInvalid, LocalText, Model, Problems, limit, load_yaml, validate,
    )

    class Office(Model):
        code: str
        name: Annotated[LocalText, AfterValidator(limit(200))]

    class Catalogue(Model):
        offices: list[Office] = Field(default_factory=list)

    doc = load_yaml(source, "offices.yaml")      # ContentInvalid on broken YAML
    problems = Problems(doc)
    catalogue = validate(Catalogue, doc, problems)
    if catalogue is not None:                    # cross-checks need the whole file
        problems.duplicates(
            ((o.code, o.line, f"offices[{i + 1}]") for i, o in enumerate(catalogue.offices)),
            "office code",
        )
    problems.raise_if_any()                      # offices.yaml:7: offices[2]: duplicate ...

* `load_yaml` composes nodes with the safe loader and builds plain Python values; duplicate
  keys and keys that are not text are problems with their lines, a scalar YAML cannot build
  (a date like 2026-02-30) stays text for the model to refuse.
* `validate` turns every pydantic error into a `Problem` whose line is the nearest line the
  file has for the error's location (a missing field: its mapping's line); every `Model` in
  the result knows its `line`. A validator names a field of its model with `At`.
* A `Document` can also be built from CSV rows (`Document.from_rows`): the same models then
  check a table, each problem naming its row's line.
* `ImportReport` counts what an import created, updated, removed and left unchanged, by kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator
from pydantic_core import ErrorDetails

__all__ = [
    "At",
    "BilingualText",
    "ContentInvalid",
    "Document",
    "ImportReport",
    "KeyPath",
    "LocalText",
    "Model",
    "Path",
    "Problem",
    "Problems",
    "limit",
    "load_yaml",
    "matches",
    "one_of",
    "problems_of",
    "validate",
    "where",
    "whole",
]

Path = tuple[str | int, ...]
KeyPath = Path  # the same, for modules that also use pathlib's Path
M = TypeVar("M", bound="Model")
Outcome = Literal["created", "updated", "removed", "unchanged"]
LOCALES = ("uk", "en")
MAX_VALUES = 5_000_000


# --- problems ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file: its line (0 when the file could not be read at all), where
    in the structure (`commitments[2].title.en`, may be empty) and what."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        )


class ContentInvalid(Exception):
    """The file cannot be imported; `problems` lists every reason, in line order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(p) for p in self.problems))


class At(ValueError):
    """Raised by a model validator to put its problem on one of the model's fields
    (`raise At("ends_on", "before starts_on")`) instead of on the whole mapping."""

    def __init__(self, field_name: str | int, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def where(path: Path) -> str:
    """`("commitments", 1, "title")` -> `commitments[2].title` (list items counted from 1)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


# --- YAML with lines ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Document:
    """A file's data as plain Python values, and the line of every mapping key and list
    item by its path (`("polls", 0, "options")`); the root is at `()`."""

    file: str
    data: Any
    lines: Mapping[Path, int]
    table: bool = False  # rows of a table: a place is named by its column alone

    def name(self, path: Path) -> str:
        """How a problem names `path`: `zones[2].rules[1].rrule`, or in a table `rrule`."""
        return where(path[1:] if self.table else path)

    def line(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor the file has."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return 1

    def at(self, path: Path) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value

    def expand(self, pattern: Path) -> list[Path]:
        """The paths `pattern` matches, `"*"` standing for every item of a list."""
        paths: list[Path] = [()]
        for part in pattern:
            following: list[Path] = []
            for path in paths:
                value = self.at(path)
                if part == "*":
                    if isinstance(value, list):
                        following.extend((*path, index) for index in range(len(value)))
                elif _has(value, part):
                    following.append((*path, part))
            paths = following
        return paths

    @classmethod
    def from_rows(cls, file: str, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Document:
        """A table (CSV rows with their line numbers) as a list of mappings."""
        data: list[dict[str, Any]] = []
        lines: dict[Path, int] = {(): 1}
        for index, (line, row) in enumerate(rows):
            data.append(dict(row))
            lines[(index,)] = line
            for key in row:
                lines[(index, key)] = line
        return cls(file, data, lines, table=True)


_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.lines: dict[Path, int] = {}
        self.problems: list[Problem] = []
        self.open: set[int] = set()  # the collections being built, to refuse a cycle
        self.budget = MAX_VALUES  # aliases repeat whole subtrees: bound the total

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise ContentInvalid(
                [Problem(self.file, 1, "", f"more than {MAX_VALUES} values (aliases?)")]
            )
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self.open:
                line = node.start_mark.line + 1
                self.problem(line, path, "an alias refers to a mapping or list that holds it")
                return None
            self.open.add(id(node))
            try:
                return self.collection(node, path)
            finally:
                self.open.discard(id(node))
        return self.scalar(node, path)

    def collection(self, node: yaml.MappingNode | yaml.SequenceNode, path: Path) -> Any:
        if node.tag not in _COLLECTION_TAGS:
            self.problem(node.start_mark.line + 1, path, f"unsupported tag {node.tag}")
            return None
        if isinstance(node, yaml.MappingNode):
            own = len(node.value)
            self.loader.flatten_mapping(node)  # `<<: *anchor` merge keys come first
            merged = (
                len(node.value)
                - own
                + sum(1 for key_node, _ in node.value if key_node.tag == "tag:yaml.org,2002:merge")
            )
            result: dict[str, Any] = {}
            written: set[str] = set()  # keys written in this mapping, not merged into it
            for index, (key_node, value_node) in enumerate(node.value):
                line = key_node.start_mark.line + 1
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    self.problem(line, path, f"key {key!r} must be text")
                    continue
                if key in written:
                    first = self.lines[(*path, key)]
                    self.problem(line, path, f"duplicate key {key!r} (first at line {first})")
                    continue
                if index >= merged:
                    written.add(key)
                self.lines[(*path, key)] = line
                result[key] = self.build(value_node, (*path, key))
            return result
        items = []
        for index, child in enumerate(node.value):
            self.lines[(*path, index)] = child.start_mark.line + 1
            items.append(self.build(child, (*path, index)))
        return items

    def scalar(self, node: yaml.Node, path: Path = ()) -> Any:
        if not isinstance(node, yaml.ScalarNode):  # a mapping or list as a key
            return _Builder(self.file, self.loader).build(node, ())
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self.problem(node.start_mark.line + 1, path, f"unsupported tag {node.tag}")
            return None
        except (ValueError, OverflowError):
            # e.g. `2026-02-30` resolves as a timestamp but is no date: keep the text and let
            # the model say what it expected there.
            return str(node.value)

    def problem(self, line: int, path: Path, message: str) -> None:
        self.problems.append(Problem(self.file, line, where(path), message))


def load_yaml(source: str, file: str, *, timestamps: bool = True) -> Document:
    """Parse YAML safely, keeping lines. Raises ContentInvalid for a file that is not YAML,
    holds several documents, or repeats a key. `timestamps=False` leaves dates as text."""
    loader = yaml.SafeLoader(source) if timestamps else _NoTimestamps(source)
    try:
        root = loader.get_single_node()
        builder = _Builder(file, loader)
        data = None if root is None else builder.build(root, ())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentInvalid([Problem(file, line, "", f"not valid YAML: {problem}")]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise ContentInvalid(builder.problems)
    builder.lines[()] = 1 if root is None else root.start_mark.line + 1
    return Document(file, data, builder.lines)


class _NoTimestamps(yaml.SafeLoader):
    pass


_NoTimestamps.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# --- models ------------------------------------------------------------------------------
class Model(BaseModel):
    """A mapping in a content file: unknown fields are refused, text is stripped, and after
    `validate` the instance knows the line it was written on."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
    _line: int = PrivateAttr(default=0)

    @property
    def line(self) -> int:
        return self._line


class LocalText(Model):
    """Text in both languages, `{uk: ..., en: ...}`; English may be left empty. One plain
    text is taken for both languages."""

    uk: str
    en: str = ""

    required: ClassVar[tuple[str, ...]] = ("uk",)

    @model_validator(mode="before")
    @classmethod
    def _one_text_for_both(cls, data: Any) -> Any:
        if isinstance(data, str):
            return dict.fromkeys(LOCALES, data)
        if data is None:
            return {}
        return data

    @model_validator(mode="after")
    def _not_empty(self) -> LocalText:
        for locale in self.required:
            if not getattr(self, locale):
                raise At(locale, "expected non-empty text")
        return self

    def as_dict(self) -> dict[str, str]:
        return {locale: getattr(self, locale) for locale in LOCALES}

    def __bool__(self) -> bool:
        return any(self.as_dict().values())


class BilingualText(LocalText):
    """Like `LocalText`, but English is required too."""

    required: ClassVar[tuple[str, ...]] = LOCALES


def limit(max_chars: int) -> Callable[[Any], Any]:
    """For `AfterValidator`: no text (or no language of a `LocalText`) longer than this."""

    def check(value: Any) -> Any:
        if isinstance(value, LocalText):
            for locale, text in value.as_dict().items():
                if len(text) > max_chars:
                    raise At(locale, f"longer than {max_chars} characters")
        elif isinstance(value, str) and len(value) > max_chars:
            raise ValueError(f"longer than {max_chars} characters")
        return value

    return check


def one_of(choices: Sequence[str]) -> Callable[[Any], Any]:
    """For `AfterValidator`: the value is one of `choices`, named in the message."""

    def check(value: Any) -> Any:
        if value not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return check


def whole(low: int, high: int) -> Callable[[Any], int]:
    """For `BeforeValidator`: a whole number written as one (not text, not true/false)
    between `low` and `high`."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"expected a whole number {low}–{high}")
        return value

    return check


def matches(pattern: str, expected: str) -> Callable[[Any], Any]:
    """For `AfterValidator`: text that matches `pattern` whole; `expected` says what in
    words (`1–48 characters of a-z, 0-9 and '-'`)."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"expected {expected}")
        return value

    return check


# --- validation --------------------------------------------------------------------------
_TAG = re.compile(r"^[a-z_][a-z0-9_]*$")
_TYPE_TAGS = frozenset(
    {"str", "int", "float", "bool", "date", "datetime", "time", "list", "dict", "none", "tuple"}
)
_MESSAGES: dict[str, str] = {
    "string_type": "expected text",
    "string_too_short": "expected non-empty text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "date_type": "expected a date YYYY-MM-DD",
    "date_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date YYYY-MM-DD",
    "datetime_type": "expected a date and time YYYY-MM-DDTHH:MM",
    "datetime_parsing": "expected a date and time YYYY-MM-DDTHH:MM",
    "datetime_from_date_parsing": "expected a date and time YYYY-MM-DDTHH:MM",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "dict_type": "expected a mapping",
    "list_type": "expected a list",
}


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        return str(cause) if cause is not None else error["msg"]
    if kind == "string_too_long":
        return f"longer than {ctx['max_length']} characters"
    if kind == "literal_error":
        return f"{error['input']!r} is not one of {ctx['expected']}"
    if kind == "greater_than_equal":
        return f"expected at least {ctx['ge']}"
    if kind == "less_than_equal":
        return f"expected at most {ctx['le']}"
    if kind == "too_short":
        return f"expected at least {ctx['min_length']} item(s)"
    if kind == "too_long":
        return f"expected at most {ctx['max_length']} item(s)"
    return _MESSAGES.get(kind, error["msg"])


def _has(value: Any, part: int | str) -> bool:
    if isinstance(value, dict):
        return part in value
    return isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)


def _locate(doc: Document, base: Path, loc: tuple[int | str, ...]) -> tuple[Path, Path]:
    """(the path the file has, the path to name) for a pydantic error location: type tags
    of unions and validators are skipped, a field the file lacks is still named."""
    value = doc.at(base)
    found: list[str | int] = list(base)
    named: list[str | int] = list(base)
    present = True
    for part in loc:
        if present and _has(value, part):
            value = value[part]
            found.append(part)
            named.append(part)
        elif isinstance(part, int) or (_TAG.match(part) and part not in _TYPE_TAGS):
            present = False
            named.append(part)
    return tuple(found), tuple(named)


def problems_of(exc: ValidationError, doc: Document, base: Path = ()) -> list[Problem]:
    """Every error of a validation as a problem with its line, one per place."""
    result: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    for error in exc.errors():
        found, named = _locate(doc, base, error["loc"])
        kind = error["type"]
        ctx = error.get("ctx") or {}
        cause = ctx.get("error")
        if isinstance(cause, At):
            named = (*named, cause.field_name)
            if isinstance(doc.at(found), dict) and cause.field_name in doc.at(found):
                found = (*found, cause.field_name)
        message = _message(error)
        if kind in ("missing", "extra_forbidden") and named:
            name = named[-1]
            named = named[:-1]
            message = f"{'missing' if kind == 'missing' else 'unknown'} field {name!r}"
        line = doc.line(found)
        place = doc.name(named)
        if (line, place) not in seen:
            seen.add((line, place))
            result.append(Problem(doc.file, line, place, message))
    return result


def _stamp(value: Any, doc: Document, path: Path) -> None:
    if isinstance(value, Model):
        value._line = doc.line(path)
        for name, info in type(value).model_fields.items():
            _stamp(getattr(value, name), doc, (*path, info.alias or name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _stamp(item, doc, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            _stamp(item, doc, (*path, key))


def validate(
    model: type[M], doc: Document, problems: Problems, path: Path = (), **context: Any
) -> M | None:
    """The part of `doc` at `path` as a `model`, or None with its problems recorded.
    `context` reaches validators as `info.context`."""
    try:
        result = model.model_validate(doc.at(path), context=context or None)
    except ValidationError as exc:
        problems.errors.extend(problems_of(exc, doc, path))
        return None
    _stamp(result, doc, path)
    return result


# --- collecting problems -----------------------------------------------------------------
class Problems:
    """The errors and warnings found in one file. Errors stop an import; warnings are
    reported and the file is imported."""

    def __init__(self, doc: Document | str) -> None:
        self.doc = doc if isinstance(doc, Document) else Document(doc, None, {})
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    @property
    def file(self) -> str:
        return self.doc.file

    def _problem(self, place: Path | int, message: str, name: str | None) -> Problem:
        if isinstance(place, int):
            return Problem(self.file, place, name or "", message)
        return Problem(
            self.file, self.doc.line(place), where(place) if name is None else name, message
        )

    def error(self, place: Path | int, message: str, *, name: str | None = None) -> None:
        """An error at a path in the document or at a line; `name` overrides the place's
        name (`where(path)`)."""
        self.errors.append(self._problem(place, message, name))

    def warn(self, place: Path | int, message: str, *, name: str | None = None) -> None:
        self.warnings.append(self._problem(place, message, name))

    def duplicates(self, entries: Iterable[tuple[Hashable, int, str]], what: str) -> None:
        """An error for every repeated key among `(key, line, where)`, naming both lines;
        empty keys are left to the models' own checks."""
        first: dict[Hashable, int] = {}
        for key, line, place in entries:
            if key is None or key == "":
                continue
            if key in first:
                self.errors.append(
                    Problem(
                        self.file,
                        line,
                        place,
                        f"{what} {key!r} is used twice (first at line {first[key]})",
                    )
                )
            else:
                first[key] = line

    def unique(self, items: Path, key: str, what: str) -> None:
        """An error for every repeated `key` among the mappings at `items`, a path where
        `"*"` stands for every item of a list (`("commitments", "*", "updates", "*")`).
        It reads the file's data, so it works when the models did not validate."""
        self.duplicates(
            (
                (
                    _hashable(self.doc.at(path)[key]),
                    self.doc.line((*path, key)),
                    self.doc.name(path),
                )
                for path in self.doc.expand(items)
                if isinstance(self.doc.at(path), dict) and key in self.doc.at(path)
            ),
            what,
        )

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentInvalid(self.errors)


def _hashable(value: Any) -> Hashable:
    return value if isinstance(value, Hashable) else repr(value)


# --- the import report -------------------------------------------------------------------
@dataclass
class ImportReport:
    """What an import did, counted by kind of row (`"commitments"`, `"streets"`)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def count(self, kind: str, outcome: Outcome, n: int = 1) -> None:
        bucket: dict[str, int] = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + n

    def total(self, outcome: Outcome) -> int:
        bucket: dict[str, int] = getattr(self, outcome)
        return sum(bucket.values())

    @property
    def changed(self) -> bool:
        return any(self.total(outcome) for outcome in ("created", "updated", "removed"))

    def summary(self) -> str:
        """`created: 3 commitments, 7 milestones; updated: nothing; removed: nothing`."""

        def fmt(bucket: dict[str, int]) -> str:
            listed = ", ".join(f"{n} {kind}" for kind, n in sorted(bucket.items()) if n)
            return listed or "nothing"

        return (
            f"created: {fmt(self.created)}; updated: {fmt(self.updated)}; "
            f"removed: {fmt(self.removed)}"
        )

    def totals(self) -> str:
        """`22 created, 0 updated, 3 unchanged` (and removed, when anything was)."""
        removed = f", {self.total('removed')} removed" if self.removed else ""
        return (
            f"{self.total('created')} created, {self.total('updated')} updated{removed}, "
            f"{self.total('unchanged')} unchanged"
        )
