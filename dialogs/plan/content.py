"""The action plan as a data file (`content/plan.yaml`, format in docs/plan-content.md):
read it with line numbers, validate all of it, import it idempotently, export it back.

A file with errors changes nothing: every error is reported with its file and line, and
the database is written only when the whole file is valid, in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

import yaml
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PROJECT_ROOT
from storage.clock import CITY_ZONE
from storage.db import Database
from storage.models.plan import (
    OGP_STATUSES,
    POLL_STATES,
    Commitment,
    Milestone,
    PlanDocument,
    Poll,
    PollOption,
    ProgressUpdate,
    Vote,
)
from storage.repos.plan import PlanRepo

log = logging.getLogger(__name__)

DEFAULT_FILE = PROJECT_ROOT / "content" / "plan.yaml"
LOCALES = ("uk", "en")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
# Serialises the first import when several instances start on one PostgreSQL database.
_ADVISORY_LOCK = 0x5F0_1A7


@dataclass(frozen=True, slots=True)
class ContentError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# --- reading YAML with line numbers -----------------------------------------------------
class _Map(dict[Any, Any]):
    line: int = 0
    key_lines: dict[Any, int]


class _Seq(list[Any]):
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """Safe YAML that remembers where every mapping, key and list item was written."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str]] = []


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            loader.problems.append((line, f"key {key!r} must be text"))
            continue
        if key in result:
            loader.problems.append((line, f"duplicate key {key!r}"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


# --- the parsed content ---------------------------------------------------------------
Texts = dict[str, str]


@dataclass
class MilestoneSpec:
    key: str
    text: Texts
    done: bool
    example: bool
    line: int


@dataclass
class UpdateSpec:
    key: str
    published_on: date
    status: str | None
    progress: int | None
    text: Texts
    example: bool
    line: int


@dataclass
class CommitmentSpec:
    number: int
    title: Texts
    description: Texts
    lead: Texts
    ogp_id: str | None
    starts_on: date | None
    ends_on: date | None
    status: str
    progress: int
    example: bool
    milestones: list[MilestoneSpec]
    updates: list[UpdateSpec]
    line: int

    @property
    def code(self) -> str:
        return f"c{self.number}"


@dataclass
class OptionSpec:
    key: str
    text: Texts
    line: int


@dataclass
class PollSpec:
    code: str
    question: Texts
    state: str
    opens_at: datetime | None
    closes_at: datetime | None
    commitment: str | None
    example: bool
    options: list[OptionSpec]
    line: int


@dataclass
class PlanSpec:
    code: str
    title: Texts
    summary: Texts
    lead: Texts
    partners: Texts
    next_steps: Texts
    submitted_on: date | None
    ends_on: date | None
    source: str


@dataclass
class PlanContent:
    file: str
    plan: PlanSpec
    commitments: list[CommitmentSpec]
    polls: list[PollSpec]


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        def fmt(bucket: dict[str, int]) -> str:
            return ", ".join(f"{n} {k}" for k, n in sorted(bucket.items())) or "nothing"

        return (
            f"created: {fmt(self.created)}; updated: {fmt(self.updated)}; "
            f"removed: {fmt(self.removed)}"
        )


# --- validation -----------------------------------------------------------------------
class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[ContentError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.file, line, message))

    def mapping(self, value: Any, line: int, where: str) -> _Map | None:
        if isinstance(value, _Map):
            return value
        self.error(line, f"{where}: expected a mapping of fields")
        return None

    def keys(self, m: _Map, where: str, allowed: Iterable[str], required: Iterable[str]) -> None:
        allowed_set = set(allowed)
        for key, line in m.key_lines.items():
            if key not in allowed_set:
                self.error(line, f"{where}: unknown field {key!r}")
        for key in required:
            if key not in m:
                self.error(m.line, f"{where}: missing field {key!r}")

    def line(self, m: _Map, key: str) -> int:
        return m.key_lines.get(key, m.line)

    def string(self, m: _Map, key: str, where: str, *, limit: int, required: bool = True) -> str:
        value = m.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(self.line(m, key), f"{where}.{key}: expected non-empty text")
            return ""
        if len(value) > limit:
            self.error(self.line(m, key), f"{where}.{key}: longer than {limit} characters")
        return value.strip()

    def texts(self, m: _Map, key: str, where: str, *, limit: int, required: bool = True) -> Texts:
        """`{uk: ..., en: ...}`, or one text for both languages."""
        value = m.get(key)
        line = self.line(m, key)
        if value is None:
            if required:
                self.error(m.line, f"{where}: missing field {key!r}")
            return {}
        if isinstance(value, str):
            value = {locale: value for locale in LOCALES}
        elif isinstance(value, _Map):
            for extra in set(value) - set(LOCALES):
                self.error(value.key_lines[extra], f"{where}.{key}: unknown language {extra!r}")
        else:
            self.error(line, f"{where}.{key}: expected text or a mapping of uk/en texts")
            return {}
        result: Texts = {}
        for locale in LOCALES:
            item = value.get(locale)
            item_line = value.key_lines.get(locale, line) if isinstance(value, _Map) else line
            if not isinstance(item, str) or not item.strip():
                self.error(item_line, f"{where}.{key}.{locale}: expected non-empty text")
                continue
            if len(item.strip()) > limit:
                self.error(item_line, f"{where}.{key}.{locale}: longer than {limit} characters")
            result[locale] = item.strip()
        return result

    def day(self, m: _Map, key: str, where: str, *, required: bool = False) -> date | None:
        value = m.get(key)
        if value is None:
            if required:
                self.error(m.line, f"{where}: missing field {key!r}")
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        self.error(self.line(m, key), f"{where}.{key}: expected a date YYYY-MM-DD")
        return None

    def moment(self, m: _Map, key: str, where: str, *, end_of_day: bool = False) -> datetime | None:
        """A timestamp with its offset, or a date in Kyiv: its start, or for an end (the
        last day of voting) the midnight after it. Stored in UTC."""
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                self.error(self.line(m, key), f"{where}.{key}: a timestamp needs an offset")
                return None
            return value
        if isinstance(value, date):
            day = value + timedelta(days=1) if end_of_day else value
            return datetime.combine(day, time(0), CITY_ZONE)
        self.error(self.line(m, key), f"{where}.{key}: expected a date or a timestamp")
        return None

    def integer(self, m: _Map, key: str, where: str, low: int, high: int) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(self.line(m, key), f"{where}.{key}: expected a whole number {low}–{high}")
            return None
        return value

    def flag(self, m: _Map, key: str, where: str) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            self.error(self.line(m, key), f"{where}.{key}: expected true or false")
            return False
        return value

    def choice(self, m: _Map, key: str, where: str, choices: tuple[str, ...]) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        if value not in choices:
            self.error(
                self.line(m, key), f"{where}.{key}: {value!r} is not one of {', '.join(choices)}"
            )
            return None
        return str(value)

    def key(self, m: _Map, name: str, where: str) -> str:
        value = m.get(name)
        if not isinstance(value, str) or not KEY.match(value):
            self.error(
                self.line(m, name),
                f"{where}.{name}: expected 1–48 characters of a-z, 0-9 and '-'",
            )
            return ""
        return value

    def items(self, m: _Map, key: str, where: str) -> list[tuple[Any, int]]:
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, _Seq):
            self.error(self.line(m, key), f"{where}.{key}: expected a list")
            return []
        return list(zip(value, value.item_lines, strict=True))


def _check_milestone(c: _Checker, raw: Any, line: int, where: str) -> MilestoneSpec | None:
    m = c.mapping(raw, line, where)
    if m is None:
        return None
    c.keys(m, where, ("key", "text", "done", "example"), ("key", "text"))
    return MilestoneSpec(
        key=c.key(m, "key", where),
        text=c.texts(m, "text", where, limit=500),
        done=c.flag(m, "done", where),
        example=c.flag(m, "example", where),
        line=m.line,
    )


def _check_update(c: _Checker, raw: Any, line: int, where: str) -> UpdateSpec | None:
    m = c.mapping(raw, line, where)
    if m is None:
        return None
    c.keys(
        m,
        where,
        ("key", "date", "status", "progress", "text", "example"),
        ("key", "date", "text"),
    )
    return UpdateSpec(
        key=c.key(m, "key", where),
        published_on=c.day(m, "date", where) or date.min,
        status=c.choice(m, "status", where, OGP_STATUSES),
        progress=c.integer(m, "progress", where, 0, 100),
        text=c.texts(m, "text", where, limit=2000),
        example=c.flag(m, "example", where),
        line=m.line,
    )


def _check_commitment(c: _Checker, raw: Any, line: int, where: str) -> CommitmentSpec | None:
    m = c.mapping(raw, line, where)
    if m is None:
        return None
    fields = (
        "number",
        "title",
        "description",
        "lead",
        "ogp_id",
        "starts_on",
        "ends_on",
        "status",
        "progress",
        "example",
        "milestones",
        "updates",
    )
    c.keys(m, where, fields, ("number", "title", "description", "status", "progress"))
    starts_on = c.day(m, "starts_on", where)
    ends_on = c.day(m, "ends_on", where)
    if starts_on and ends_on and ends_on < starts_on:
        c.error(c.line(m, "ends_on"), f"{where}.ends_on: before starts_on")
    ogp_id = c.string(m, "ogp_id", where, limit=32) or None
    milestones = [
        s
        for i, (item, item_line) in enumerate(c.items(m, "milestones", where))
        if (s := _check_milestone(c, item, item_line, f"{where}.milestones[{i + 1}]"))
    ]
    seen: set[str] = set()
    for s in milestones:
        if s.key and s.key in seen:
            c.error(s.line, f"{where}.milestones: key {s.key!r} is used twice")
        seen.add(s.key)
    updates = [
        u
        for i, (item, item_line) in enumerate(c.items(m, "updates", where))
        if (u := _check_update(c, item, item_line, f"{where}.updates[{i + 1}]"))
    ]
    return CommitmentSpec(
        number=c.integer(m, "number", where, 1, 999) or 0,
        title=c.texts(m, "title", where, limit=200),
        description=c.texts(m, "description", where, limit=2000),
        lead=c.texts(m, "lead", where, limit=500, required=False),
        ogp_id=ogp_id,
        starts_on=starts_on,
        ends_on=ends_on,
        status=c.choice(m, "status", where, OGP_STATUSES) or "not_started",
        progress=c.integer(m, "progress", where, 0, 100) or 0,
        example=c.flag(m, "example", where),
        milestones=milestones,
        updates=updates,
        line=m.line,
    )


def _check_poll(c: _Checker, raw: Any, line: int, where: str) -> PollSpec | None:
    m = c.mapping(raw, line, where)
    if m is None:
        return None
    c.keys(
        m,
        where,
        ("code", "question", "state", "opens", "closes", "commitment", "example", "options"),
        ("code", "question", "state", "options"),
    )
    opens_at = c.moment(m, "opens", where)
    closes_at = c.moment(m, "closes", where, end_of_day=True)
    if opens_at and closes_at and closes_at <= opens_at:
        c.error(c.line(m, "closes"), f"{where}.closes: not after opens")
    commitment = m.get("commitment")
    if commitment is not None and not (
        isinstance(commitment, str) and re.fullmatch(r"c[0-9]{1,3}", commitment)
    ):
        c.error(c.line(m, "commitment"), f"{where}.commitment: expected a code like c2")
        commitment = None
    options: list[OptionSpec] = []
    raw_options = c.items(m, "options", where)
    for i, (item, item_line) in enumerate(raw_options):
        om = c.mapping(item, item_line, f"{where}.options[{i + 1}]")
        if om is None:
            continue
        ow = f"{where}.options[{i + 1}]"
        c.keys(om, ow, ("key", "text"), ("key", "text"))
        options.append(
            OptionSpec(c.key(om, "key", ow), c.texts(om, "text", ow, limit=100), om.line)
        )
    if "options" in m and not 2 <= len(raw_options) <= 10:
        c.error(c.line(m, "options"), f"{where}.options: a poll has 2–10 options")
    seen: set[str] = set()
    for o in options:
        if o.key and o.key in seen:
            c.error(o.line, f"{where}.options: key {o.key!r} is used twice")
        seen.add(o.key)
    return PollSpec(
        code=c.key(m, "code", where),
        question=c.texts(m, "question", where, limit=300),
        state=c.choice(m, "state", where, POLL_STATES) or "draft",
        opens_at=opens_at,
        closes_at=closes_at,
        commitment=commitment,
        example=c.flag(m, "example", where),
        options=options,
        line=m.line,
    )


def parse(source: str, file: str) -> PlanContent:
    """Validate a whole plan file; raises ContentInvalid listing every error found."""
    c = _Checker(file)
    loader = _Loader(source)
    try:
        root: Any = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentInvalid([ContentError(file, line, f"not valid YAML: {problem}")]) from None
    finally:
        loader.dispose()
    for line, message in loader.problems:
        c.error(line, message)
    top = c.mapping(root, 1, "file")
    if top is None:
        raise ContentInvalid(c.errors)
    c.keys(top, "file", ("kind", "version", "plan", "commitments", "polls"), ("kind", "plan"))
    if top.get("kind") != "plan":
        c.error(c.line(top, "kind"), "file.kind: expected 'plan'")
    if top.get("version", 1) != 1:
        c.error(c.line(top, "version"), "file.version: only version 1 is known")

    plan = PlanSpec("", {}, {}, {}, {}, {}, None, None, "")
    pm = c.mapping(top.get("plan"), c.line(top, "plan"), "plan") if "plan" in top else None
    if pm is not None:
        c.keys(
            pm,
            "plan",
            (
                "code",
                "title",
                "summary",
                "lead",
                "partners",
                "next",
                "submitted_on",
                "ends_on",
                "source",
            ),
            ("code", "title"),
        )
        plan = PlanSpec(
            code=c.key(pm, "code", "plan"),
            title=c.texts(pm, "title", "plan", limit=300),
            summary=c.texts(pm, "summary", "plan", limit=2000, required=False),
            lead=c.texts(pm, "lead", "plan", limit=1000, required=False),
            partners=c.texts(pm, "partners", "plan", limit=1000, required=False),
            next_steps=c.texts(pm, "next", "plan", limit=500, required=False),
            submitted_on=c.day(pm, "submitted_on", "plan"),
            ends_on=c.day(pm, "ends_on", "plan"),
            source=c.string(pm, "source", "plan", limit=300),
        )

    commitments = [
        s
        for i, (item, line) in enumerate(c.items(top, "commitments", "file"))
        if (s := _check_commitment(c, item, line, f"commitments[{i + 1}]"))
    ]
    numbers: set[int] = set()
    update_keys: set[str] = set()
    for s in commitments:
        if s.number and s.number in numbers:
            c.error(s.line, f"commitment number {s.number} is used twice")
        numbers.add(s.number)
        for u in s.updates:
            if u.key and u.key in update_keys:
                c.error(u.line, f"update key {u.key!r} is used twice")
            update_keys.add(u.key)

    polls = [
        p
        for i, (item, line) in enumerate(c.items(top, "polls", "file"))
        if (p := _check_poll(c, item, line, f"polls[{i + 1}]"))
    ]
    codes: set[str] = set()
    for p in polls:
        if p.code and p.code in codes:
            c.error(p.line, f"poll code {p.code!r} is used twice")
        codes.add(p.code)
        if p.commitment and int(p.commitment[1:]) not in numbers:
            c.error(p.line, f"poll {p.code!r}: no commitment {p.commitment} in this file")

    if c.errors:
        raise ContentInvalid(sorted(c.errors, key=lambda e: e.line))
    return PlanContent(file, plan, commitments, polls)


def read_file(path: Path) -> PlanContent:
    started = perf_counter()
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentInvalid([ContentError(str(path), 0, f"cannot read: {exc}")]) from None
    content = parse(source, str(path))
    log.debug("%s read in %.2f s", path, perf_counter() - started)
    return content


async def read_file_in_thread(path: Path) -> PlanContent:
    """`read_file` in a worker thread, for async code: a large file takes a while to parse
    and check, and the event loop keeps serving residents meanwhile."""
    return await asyncio.to_thread(read_file, path)


# --- import ---------------------------------------------------------------------------
def _assign(row: Any, **values: Any) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


async def import_plan(session: AsyncSession, content: PlanContent) -> ImportReport:
    """Make the database say what the file says. Rows the file does not mention are kept
    (published updates, polls and their votes), except milestones and vote-less options,
    which the file lists completely."""
    report = ImportReport()
    await _check_against_database(session, content)

    document = (
        await session.execute(select(PlanDocument).where(PlanDocument.code == content.plan.code))
    ).scalar_one_or_none()
    plan_values = {
        "title": content.plan.title,
        "summary": content.plan.summary,
        "lead": content.plan.lead,
        "partners": content.plan.partners,
        "next_steps": content.plan.next_steps,
        "submitted_on": content.plan.submitted_on,
        "ends_on": content.plan.ends_on,
        "source": content.plan.source,
    }
    if document is None:
        document = PlanDocument(code=content.plan.code, **plan_values)
        session.add(document)
        report.count(report.created, "plan")
    elif _assign(document, **plan_values):
        report.count(report.updated, "plan")
    await session.flush()

    by_code: dict[str, Commitment] = {}
    for spec in content.commitments:
        row = (
            await session.execute(select(Commitment).where(Commitment.code == spec.code))
        ).scalar_one_or_none()
        values = {
            "plan_id": document.id,
            "number": spec.number,
            "title": spec.title,
            "description": spec.description,
            "lead": spec.lead,
            "ogp_id": spec.ogp_id,
            "starts_on": spec.starts_on,
            "ends_on": spec.ends_on,
            "status": spec.status,
            "progress": spec.progress,
            "example": spec.example,
        }
        if row is None:
            row = Commitment(code=spec.code, **values)
            session.add(row)
            await session.flush()
            report.count(report.created, "commitments")
        elif _assign(row, **values):
            report.count(report.updated, "commitments")
        by_code[spec.code] = row
        await _import_milestones(session, row, spec, report)
        await _import_updates(session, row, spec, report)

    for poll_spec in content.polls:
        await _import_poll(session, poll_spec, by_code, report)
    await session.flush()
    return report


async def _import_milestones(
    session: AsyncSession, commitment: Commitment, spec: CommitmentSpec, report: ImportReport
) -> None:
    existing = {m.key: m for m in await PlanRepo(session).milestones(commitment.id)}
    for position, ms in enumerate(spec.milestones, start=1):
        values = {"position": position, "text": ms.text, "done": ms.done, "example": ms.example}
        row = existing.pop(ms.key, None)
        if row is None:
            session.add(Milestone(commitment_id=commitment.id, key=ms.key, **values))
            report.count(report.created, "milestones")
        elif _assign(row, **values):
            report.count(report.updated, "milestones")
    for row in existing.values():
        await session.delete(row)
        report.count(report.removed, "milestones")


async def _import_updates(
    session: AsyncSession, commitment: Commitment, spec: CommitmentSpec, report: ImportReport
) -> None:
    for us in spec.updates:
        row = (
            await session.execute(select(ProgressUpdate).where(ProgressUpdate.key == us.key))
        ).scalar_one_or_none()
        values = {
            "commitment_id": commitment.id,
            "published_on": us.published_on,
            "status": us.status,
            "progress": us.progress,
            "text": us.text,
            "example": us.example,
        }
        if row is None:
            session.add(ProgressUpdate(key=us.key, **values))
            report.count(report.created, "updates")
        elif _assign(row, **values):
            report.count(report.updated, "updates")


async def _import_poll(
    session: AsyncSession,
    spec: PollSpec,
    commitments: dict[str, Commitment],
    report: ImportReport,
) -> None:
    row = (await session.execute(select(Poll).where(Poll.code == spec.code))).scalar_one_or_none()
    commitment_id = None
    if spec.commitment:
        found = commitments.get(spec.commitment) or await PlanRepo(session).commitment(
            spec.commitment
        )
        commitment_id = found.id if found is not None else None
    values = {
        "question": spec.question,
        "state": spec.state,
        "opens_at": spec.opens_at,
        "closes_at": spec.closes_at,
        "commitment_id": commitment_id,
        "example": spec.example,
    }
    if row is None:
        row = Poll(code=spec.code, **values)
        session.add(row)
        await session.flush()
        report.count(report.created, "polls")
    elif _assign(row, **values):
        report.count(report.updated, "polls")
    existing = {o.key: o for o in await PlanRepo(session).options(row.id)}
    for position, os_ in enumerate(spec.options, start=1):
        option = existing.pop(os_.key, None)
        if option is None:
            session.add(PollOption(poll_id=row.id, key=os_.key, position=position, text=os_.text))
            report.count(report.created, "poll options")
        elif _assign(option, position=position, text=os_.text):
            report.count(report.updated, "poll options")
    for option in existing.values():
        await session.delete(option)
        report.count(report.removed, "poll options")


async def _check_against_database(session: AsyncSession, content: PlanContent) -> None:
    """What only the database can tell: an update key that belongs to another
    commitment, a poll option with votes that the file leaves out."""
    errors: list[ContentError] = []
    codes = {s.code: s for s in content.commitments}
    for spec in content.commitments:
        for us in spec.updates:
            found = (
                await session.execute(
                    select(Commitment.code)
                    .join(ProgressUpdate, ProgressUpdate.commitment_id == Commitment.id)
                    .where(ProgressUpdate.key == us.key)
                )
            ).scalar_one_or_none()
            if found is not None and found != spec.code:
                errors.append(
                    ContentError(
                        content.file,
                        us.line,
                        f"update key {us.key!r} already belongs to commitment {found}",
                    )
                )
    for ps in content.polls:
        if ps.commitment and ps.commitment not in codes:
            errors.append(ContentError(content.file, ps.line, f"no commitment {ps.commitment}"))
        keep = {o.key for o in ps.options}
        rows = await session.execute(
            select(PollOption.key, func.count(Vote.id))
            .join(Poll, Poll.id == PollOption.poll_id)
            .join(Vote, Vote.option_id == PollOption.id)
            .where(Poll.code == ps.code)
            .group_by(PollOption.key)
        )
        for key, votes in rows.all():
            if key not in keep:
                errors.append(
                    ContentError(
                        content.file,
                        ps.line,
                        f"poll {ps.code!r}: option {key!r} has {votes} vote(s) and cannot "
                        "be removed",
                    )
                )
    if errors:
        raise ContentInvalid(errors)


# --- export ---------------------------------------------------------------------------
def _texts_out(texts: dict[str, Any]) -> Any:
    values = {locale: texts.get(locale, "") for locale in LOCALES}
    if len(set(values.values())) == 1:
        return values["uk"]
    return values


async def export_plan(session: AsyncSession) -> dict[str, Any]:
    """The database's plan in the import format (published updates and polls included)."""
    repo = PlanRepo(session)
    document = await repo.document()
    out: dict[str, Any] = {"kind": "plan", "version": 1}
    if document is not None:
        plan: dict[str, Any] = {"code": document.code, "title": _texts_out(document.title)}
        for name in ("summary", "lead", "partners"):
            value = getattr(document, name)
            if value:
                plan[name] = _texts_out(value)
        if document.next_steps:
            plan["next"] = _texts_out(document.next_steps)
        for name in ("submitted_on", "ends_on"):
            if getattr(document, name) is not None:
                plan[name] = getattr(document, name)
        if document.source:
            plan["source"] = document.source
        out["plan"] = plan
    commitments = []
    for row in await repo.commitments():
        item: dict[str, Any] = {
            "number": row.number,
            "title": _texts_out(row.title),
            "description": _texts_out(row.description),
        }
        if row.lead:
            item["lead"] = _texts_out(row.lead)
        if row.ogp_id:
            item["ogp_id"] = row.ogp_id
        if row.starts_on:
            item["starts_on"] = row.starts_on
        if row.ends_on:
            item["ends_on"] = row.ends_on
        item["status"] = row.status
        item["progress"] = row.progress
        if row.example:
            item["example"] = True
        item["milestones"] = [
            {"key": m.key, "text": _texts_out(m.text)}
            | ({"done": True} if m.done else {})
            | ({"example": True} if m.example else {})
            for m in await repo.milestones(row.id)
        ]
        updates = await repo.updates(row.id, limit=10_000)
        item["updates"] = [
            {"key": u.key, "date": u.published_on}
            | ({"example": True} if u.example else {})
            | ({"status": u.status} if u.status else {})
            | ({"progress": u.progress} if u.progress is not None else {})
            | {"text": _texts_out(u.text)}
            for u in reversed(updates)
        ]
        commitments.append(item)
    out["commitments"] = commitments
    polls = []
    for poll in sorted(await repo.polls(include_drafts=True), key=lambda p: p.id):
        entry: dict[str, Any] = {"code": poll.code}
        if poll.example:
            entry["example"] = True
        entry["state"] = poll.state
        if poll.opens_at:
            entry["opens"] = poll.opens_at
        if poll.closes_at:
            entry["closes"] = poll.closes_at
        if poll.commitment_id:
            linked = await repo.commitment_by_id(poll.commitment_id)
            if linked is not None:
                entry["commitment"] = linked.code
        entry["question"] = _texts_out(poll.question)
        entry["options"] = [
            {"key": o.key, "text": _texts_out(o.text)} for o in await repo.options(poll.id)
        ]
        polls.append(entry)
    out["polls"] = polls
    return out


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# --- shipped content ------------------------------------------------------------------
async def ensure_default_content(db: Database, path: Path = DEFAULT_FILE) -> bool:
    """Import the shipped plan into a database that has none; True when it did.

    Safe to call at every start-up and from several instances at once."""
    async with db.transaction() as session:
        if not db.is_sqlite:
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK}
            )
        if not await PlanRepo(session).is_empty():
            return False
        await import_plan(session, await read_file_in_thread(path))
        return True
