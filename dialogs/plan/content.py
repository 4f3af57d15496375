"""The action plan as a data file (`content/plan.yaml`, format in docs/plan-content.md):
read it with line numbers, validate all of it, import it idempotently, export it back.

The file's format is the models below (bot/core/contentkit.py reads and checks it). A file
with errors changes nothing: every error is reported with its file and line, and the database
is written only when the whole file is valid, in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PROJECT_ROOT
from bot.core.contentkit import (
    At,
    BilingualText,
    ContentInvalid,
    ImportReport,
    Model,
    Problem,
    Problems,
    limit,
    load_yaml,
    matches,
    one_of,
    validate,
    whole,
)
from storage.clock import city_zone
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
_COMMITMENT = re.compile(r"c[0-9]{1,3}")
# Serialises the first import when several instances start on one PostgreSQL database.
_ADVISORY_LOCK = 0x5F0_1A7


# --- the file format ------------------------------------------------------------------
def _moment(*, end_of_day: bool) -> Any:
    """A timestamp with its offset, or a date in Kyiv: its start, or for an end (the last
    day of voting) the midnight after it. Stored in UTC."""

    def check(value: Any) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("a timestamp needs an offset")
            return value
        if isinstance(value, date):
            day = value + timedelta(days=1) if end_of_day else value
            return datetime.combine(day, time(0), city_zone())
        if value is None:
            return None
        raise ValueError("expected a date or a timestamp")

    return BeforeValidator(check)


def _text(max_chars: int) -> AfterValidator:
    return AfterValidator(limit(max_chars))


Key = Annotated[
    str, AfterValidator(matches(r"[a-z0-9][a-z0-9-]{0,47}", "1–48 characters of a-z, 0-9 and '-'"))
]
Text = Annotated[str, Field(min_length=1), _text(300)]
Percent = Annotated[int, BeforeValidator(whole(0, 100))]
Status = Annotated[str, AfterValidator(one_of(OGP_STATUSES))]
Day = date | None
CommitmentCode = Annotated[str, AfterValidator(matches(_COMMITMENT.pattern, "a code like c2"))]


class MilestoneSpec(Model):
    key: Key
    text: Annotated[BilingualText, _text(500)]
    done: bool = False
    example: bool = False


class UpdateSpec(Model):
    key: Key
    published_on: date = Field(alias="date")
    status: Status | None = None
    progress: Percent | None = None
    text: Annotated[BilingualText, _text(2000)]
    example: bool = False


class CommitmentSpec(Model):
    number: Annotated[int, BeforeValidator(whole(1, 999))]
    title: Annotated[BilingualText, _text(200)]
    description: Annotated[BilingualText, _text(2000)]
    lead: Annotated[BilingualText | None, _text(500)] = None
    ogp_id: Annotated[str, Field(min_length=1), _text(32)] | None = None
    starts_on: Day = None
    ends_on: Day = None
    status: Status
    progress: Percent
    example: bool = False
    milestones: list[MilestoneSpec] = Field(default_factory=list)
    updates: list[UpdateSpec] = Field(default_factory=list)

    @property
    def code(self) -> str:
        return f"c{self.number}"

    @model_validator(mode="after")
    def _consistent(self) -> CommitmentSpec:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise At("ends_on", "before starts_on")
        return self


class OptionSpec(Model):
    key: Key
    text: Annotated[BilingualText, _text(100)]


class PollSpec(Model):
    code: Key
    question: Annotated[BilingualText, _text(300)]
    state: Annotated[str, AfterValidator(one_of(POLL_STATES))]
    opens_at: Annotated[datetime | None, _moment(end_of_day=False)] = Field(None, alias="opens")
    closes_at: Annotated[datetime | None, _moment(end_of_day=True)] = Field(None, alias="closes")
    commitment: CommitmentCode | None = None
    example: bool = False
    options: list[OptionSpec]

    @model_validator(mode="after")
    def _consistent(self) -> PollSpec:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise At("closes", "not after opens")
        if not 2 <= len(self.options) <= 10:
            raise At("options", "a poll has 2–10 options")
        return self


class PlanSpec(Model):
    code: Key
    title: Annotated[BilingualText, _text(300)]
    summary: Annotated[BilingualText | None, _text(2000)] = None
    lead: Annotated[BilingualText | None, _text(1000)] = None
    partners: Annotated[BilingualText | None, _text(1000)] = None
    next_steps: Annotated[BilingualText | None, _text(500)] = Field(None, alias="next")
    submitted_on: Day = None
    ends_on: Day = None
    source: Text = ""


def _known_version(value: int) -> int:
    if value != 1:
        raise ValueError("only version 1 is known")
    return value


class PlanFile(Model):
    kind: Annotated[str, AfterValidator(matches("plan", "'plan'"))]
    version: Annotated[int, AfterValidator(_known_version)] = 1
    plan: PlanSpec
    commitments: list[CommitmentSpec] = Field(default_factory=list)
    polls: list[PollSpec] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlanContent:
    file: str
    plan: PlanSpec
    commitments: list[CommitmentSpec]
    polls: list[PollSpec]


def _texts(value: BilingualText | None) -> dict[str, str]:
    return value.as_dict() if value else {}


def parse(source: str, file: str) -> PlanContent:
    """Validate a whole plan file; raises ContentInvalid listing every error found."""
    doc = load_yaml(source, file)
    problems = Problems(doc)
    parsed = validate(PlanFile, doc, problems)
    # Repeated keys are looked for in the file itself, so they are reported along with
    # the other errors of the items that hold them.
    problems.unique(("commitments", "*"), "number", "commitment number")
    problems.unique(("commitments", "*", "updates", "*"), "key", "update key")
    problems.unique(("polls", "*"), "code", "poll code")
    for pattern in (("commitments", "*", "milestones"), ("polls", "*", "options")):
        for path in doc.expand(pattern):
            problems.unique((*path, "*"), "key", "key")
    numbers = {doc.at(path) for path in doc.expand(("commitments", "*", "number"))}
    for path in doc.expand(("polls", "*", "commitment")):
        code = doc.at(path)
        if isinstance(code, str) and _COMMITMENT.fullmatch(code) and int(code[1:]) not in numbers:
            problems.error(path, f"no commitment {code} in this file")
    problems.raise_if_any()
    assert parsed is not None  # no errors: the file validated
    return PlanContent(file, parsed.plan, parsed.commitments, parsed.polls)


def read_file(path: Path) -> PlanContent:
    started = perf_counter()
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentInvalid([Problem(str(path), 0, "", f"cannot read: {exc}")]) from None
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
        "title": _texts(content.plan.title),
        "summary": _texts(content.plan.summary),
        "lead": _texts(content.plan.lead),
        "partners": _texts(content.plan.partners),
        "next_steps": _texts(content.plan.next_steps),
        "submitted_on": content.plan.submitted_on,
        "ends_on": content.plan.ends_on,
        "source": content.plan.source,
    }
    if document is None:
        document = PlanDocument(code=content.plan.code, **plan_values)
        session.add(document)
        report.count("plan", "created")
    elif _assign(document, **plan_values):
        report.count("plan", "updated")
    await session.flush()

    by_code: dict[str, Commitment] = {}
    for spec in content.commitments:
        row = (
            await session.execute(select(Commitment).where(Commitment.code == spec.code))
        ).scalar_one_or_none()
        values = {
            "plan_id": document.id,
            "number": spec.number,
            "title": _texts(spec.title),
            "description": _texts(spec.description),
            "lead": _texts(spec.lead),
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
            report.count("commitments", "created")
        elif _assign(row, **values):
            report.count("commitments", "updated")
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
        values = {
            "position": position,
            "text": _texts(ms.text),
            "done": ms.done,
            "example": ms.example,
        }
        row = existing.pop(ms.key, None)
        if row is None:
            session.add(Milestone(commitment_id=commitment.id, key=ms.key, **values))
            report.count("milestones", "created")
        elif _assign(row, **values):
            report.count("milestones", "updated")
    for row in existing.values():
        await session.delete(row)
        report.count("milestones", "removed")


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
            "text": _texts(us.text),
            "example": us.example,
        }
        if row is None:
            session.add(ProgressUpdate(key=us.key, **values))
            report.count("updates", "created")
        elif _assign(row, **values):
            report.count("updates", "updated")


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
        "question": _texts(spec.question),
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
        report.count("polls", "created")
    elif _assign(row, **values):
        report.count("polls", "updated")
    existing = {o.key: o for o in await PlanRepo(session).options(row.id)}
    for position, os_ in enumerate(spec.options, start=1):
        option = existing.pop(os_.key, None)
        if option is None:
            session.add(
                PollOption(poll_id=row.id, key=os_.key, position=position, text=_texts(os_.text))
            )
            report.count("poll options", "created")
        elif _assign(option, position=position, text=_texts(os_.text)):
            report.count("poll options", "updated")
    for option in existing.values():
        await session.delete(option)
        report.count("poll options", "removed")


async def _check_against_database(session: AsyncSession, content: PlanContent) -> None:
    """What only the database can tell: an update key that belongs to another
    commitment, a poll option with votes that the file leaves out."""
    errors: list[Problem] = []
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
                    Problem(
                        content.file,
                        us.line,
                        "",
                        f"update key {us.key!r} already belongs to commitment {found}",
                    )
                )
    for ps in content.polls:
        if ps.commitment and ps.commitment not in codes:
            errors.append(Problem(content.file, ps.line, "", f"no commitment {ps.commitment}"))
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
                    Problem(
                        content.file,
                        ps.line,
                        "",
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
