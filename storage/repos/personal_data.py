"""A resident's personal data across every table: export (/mydata) and erasure (/deleteme).

Tables are found from the schema, so a feature's new table is covered without edits here:
every table with a foreign key to `residents.id`, and every table with `channel` + `user_id`
columns. A table's `info` may say how erasure treats it:
  * `{"erasure": "delete"}` (the default) — the resident's rows are deleted;
  * `{"erasure": "anonymize", "personal_columns": (...), "anonymize_values": {...}}` — the
    link to the resident and the listed columns are set to NULL (and the given columns to the
    given values), keeping anonymous aggregates (ratings, votes);
  * `{"erasure": "keep"}` — kept (operators' roles and the audit log: accountability).
A table's `info["export_exclude"]` names columns left out of the export (secrets such as a
password hash, and file contents that would nest earlier exports into later ones).
`info["channel"]` marks a table keyed by `user_id` alone that belongs to one channel.

The export (`export`) has every personal table, each as a list of rows (an empty list when
nothing is stored), and an `about` object saying which tables make up which section of the
readable summary (`SECTIONS`) and which are the service's internal records (`INTERNAL`:
how the chat works, not something the resident told us). `summary` reads the same data for
the readable summary, joined with the names a resident knows (commitment titles, waste
types, poll options); a personal table no section knows yet is listed under "other", so a
feature's new table is never silently missing from either.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, and_, delete, false, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, Resident

KEEP = "keep"
ANONYMIZE = "anonymize"
ABOUT = "about"  # the export's own description; no table has this name
FORMAT = "svoi-my-data/2"

# The readable summary's sections and the tables each one shows.
SECTIONS: dict[str, tuple[str, ...]] = {
    "profile": ("residents", "access_roles"),
    "subscriptions": ("waste_subscriptions", "waste_calendar_links"),
    "notifications": ("delivery_mutes", "outbox", "digest_preferences", "digest_items"),
    "follows": ("plan_follows",),
    "feedback": ("plan_feedback",),
    "votes": ("plan_votes",),
    "questions": ("services_questions",),
    "conversations": ("handoff_conversations", "handoff_messages"),
    "reports": ("reports",),
    "photos": ("attachments",),
}
# Records the service keeps to work, not something the resident told us: in the file
# (labelled), named on the screen in one line with why they exist. Value: what it is, as
# the key of the readable name (`mydata-internal-<value>`).
INTERNAL: dict[str, str] = {
    "dialog_states": "dialog",
    "access_flood": "flood",
    "access_downloads": "downloads",
    "web_pending": "web-pending",
    "viber_message_status": "receipts",
    "telegram_callbacks": "receipts",
    "linking_codes": "linking",
    "linking_guesses": "linking",
}
# Tables that may hold a resident's words for a short time but are not linked to them, so
# the export cannot pick their rows out: named in the file and on the screen, with why.
NOT_EXPORTED: dict[str, str] = {
    "inbound_events": "inbound",
    "web_admin_sessions": "console-sessions",
}


def _resident_fk_columns(table: Table) -> list[Column[Any]]:
    return [
        column
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "residents" and fk.column.name == "id"
    ]


def _by_address(table: Table) -> bool:
    if table.name == "residents" or "user_id" not in table.c:
        return False
    return "channel" in table.c or "channel" in table.info


def personal_tables() -> list[Table]:
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name != "residents" and (_resident_fk_columns(table) or _by_address(table))
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def _where(table: Table, resident: Resident) -> Any:
    conditions = [column == resident.id for column in _resident_fk_columns(table)]
    if _by_address(table):
        if "channel" in table.c:
            conditions.append(
                and_(table.c.channel == resident.channel, table.c.user_id == resident.user_id)
            )
        elif table.info["channel"] == resident.channel:
            conditions.append(table.c.user_id == resident.user_id)
    if not conditions:
        return false()
    return conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]


async def export(session: AsyncSession, resident: Resident) -> dict[str, Any]:
    """Every stored field about the resident, table by table (every personal table, empty
    or not), and an `about` object naming the sections and the internal tables."""
    residents = Base.metadata.tables["residents"]
    own = (await session.execute(select(residents).where(residents.c.id == resident.id))).one()
    data: dict[str, Any] = {"residents": [{k: _plain(v) for k, v in own._mapping.items()}]}
    for table in personal_tables():
        excluded = set(table.info.get("export_exclude", ()))
        rows = (await session.execute(select(table).where(_where(table, resident)))).all()
        data[table.name] = [
            {k: _plain(v) for k, v in row._mapping.items() if k not in excluded} for row in rows
        ]
    known = {name for names in SECTIONS.values() for name in names} | set(INTERNAL)
    data[ABOUT] = {
        "format": FORMAT,
        "sections": {
            section: [name for name in names if name in data] for section, names in SECTIONS.items()
        },
        "internal": sorted(name for name in INTERNAL if name in data),
        "other": sorted(name for name in data if name not in known and name != ABOUT),
        "not_exported": sorted(NOT_EXPORTED),
    }
    return data


@dataclass
class Summary:
    """What the readable /mydata shows: each section's rows as plain values, the names a
    resident knows already joined in. Texts shipped in both languages stay `{"uk", "en"}`."""

    profile: dict[str, Any]
    role: str | None = None
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    calendar_links: int = 0
    muted: list[str] = field(default_factory=list)
    messages: int = 0
    follows: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    # Conversations with the working group ("talk to a person"), each with its messages.
    conversations: list[dict[str, Any]] = field(default_factory=list)
    # Reports of a problem: reference, category, status, the working group's comment.
    reports: list[dict[str, Any]] = field(default_factory=list)
    # Photos the resident sent (for reports): when, and until when they are kept.
    photos: list[dict[str, Any]] = field(default_factory=list)
    # Internal records present: readable-name key → row count.
    internal: dict[str, int] = field(default_factory=dict)
    # Personal tables no section knows: table name → row count.
    other: dict[str, int] = field(default_factory=dict)


def _table(name: str) -> Table | None:
    return Base.metadata.tables.get(name)


async def _rows(session: AsyncSession, statement: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in (await session.execute(statement)).all()]


async def _count(session: AsyncSession, table: Table, resident: Resident) -> int:
    statement = select(func.count()).select_from(table).where(_where(table, resident))
    return int((await session.execute(statement)).scalar_one())


async def summary(session: AsyncSession, resident: Resident) -> Summary:
    """The readable sections of the export (see `Summary`)."""
    residents = Base.metadata.tables["residents"]
    own = (await session.execute(select(residents).where(residents.c.id == resident.id))).one()
    result = Summary(profile=dict(own._mapping))
    tables = {table.name: table for table in personal_tables()}
    roles = tables.get("access_roles")
    if roles is not None:
        found = await _rows(session, select(roles.c.role).where(_where(roles, resident)))
        result.role = found[0]["role"] if found else None
    subs, zones, types = (_table(n) for n in ("waste_subscriptions", "waste_zones", "waste_types"))
    if subs is not None and zones is not None and types is not None:
        names = {
            row["code"]: row["name"]
            for row in await _rows(
                session, select(types.c.code, types.c.name).order_by(types.c.position)
            )
        }
        for row in await _rows(
            session,
            select(subs, zones.c.name.label("zone_name"))
            .join(zones, zones.c.id == subs.c.zone_id)
            .where(subs.c.resident_id == resident.id)
            .order_by(subs.c.created_at, subs.c.id),
        ):
            row["type_names"] = [names.get(code, {"uk": code, "en": code}) for code in row["types"]]
            result.subscriptions.append(row)
    if "waste_calendar_links" in tables:
        result.calendar_links = await _count(session, tables["waste_calendar_links"], resident)
    mutes = tables.get("delivery_mutes")
    if mutes is not None:
        found = await _rows(
            session,
            select(mutes.c.category).where(_where(mutes, resident)).order_by(mutes.c.created_at),
        )
        result.muted = [row["category"] for row in found]
    if "outbox" in tables:
        result.messages = await _count(session, tables["outbox"], resident)
    commitments = _table("plan_commitments")
    follows = tables.get("plan_follows")
    if follows is not None and commitments is not None:
        result.follows = await _rows(
            session,
            select(commitments.c.number, commitments.c.title, follows.c.created_at)
            .join(commitments, commitments.c.id == follows.c.commitment_id)
            .where(follows.c.resident_id == resident.id)
            .order_by(commitments.c.number),
        )
    feedback = tables.get("plan_feedback")
    if feedback is not None and commitments is not None:
        result.feedback = await _rows(
            session,
            select(feedback, commitments.c.number, commitments.c.title)
            .join(commitments, commitments.c.id == feedback.c.commitment_id)
            .where(feedback.c.resident_id == resident.id)
            .order_by(feedback.c.created_at, feedback.c.id),
        )
    votes, polls, options = (_table(n) for n in ("plan_votes", "plan_polls", "plan_poll_options"))
    if votes is not None and polls is not None and options is not None:
        result.votes = await _rows(
            session,
            select(polls.c.question, options.c.text.label("option"), votes.c.created_at)
            .join(polls, polls.c.id == votes.c.poll_id)
            .join(options, options.c.id == votes.c.option_id)
            .where(votes.c.resident_id == resident.id)
            .order_by(votes.c.created_at, votes.c.id),
        )
    questions = tables.get("services_questions")
    if questions is not None:
        result.questions = await _rows(
            session,
            select(questions)
            .where(questions.c.resident_id == resident.id)
            .order_by(questions.c.created_at, questions.c.id),
        )
    talks, said = tables.get("handoff_conversations"), _table("handoff_messages")
    if talks is not None and said is not None:
        result.conversations = await _rows(
            session,
            select(talks).where(talks.c.resident_id == resident.id).order_by(talks.c.opened_at),
        )
        for talk in result.conversations:
            talk["messages"] = await _rows(
                session,
                select(said.c.author, said.c.role, said.c.text, said.c.created_at)
                .where(said.c.conversation_id == talk["id"])
                .order_by(said.c.created_at, said.c.id),
            )
    reports = tables.get("reports")
    if reports is not None:
        result.reports = await _rows(
            session,
            select(reports).where(reports.c.resident_id == resident.id).order_by(reports.c.id),
        )
    photos = tables.get("attachments")
    if photos is not None:
        result.photos = await _rows(
            session,
            select(photos.c.purpose, photos.c.created_at, photos.c.expires_at)
            .where(photos.c.resident_id == resident.id)
            .order_by(photos.c.created_at, photos.c.id),
        )
    known = {name for names in SECTIONS.values() for name in names}
    for name, table in tables.items():
        if name in known:
            continue
        count = await _count(session, table, resident)
        if not count:
            continue
        if name in INTERNAL:
            key = INTERNAL[name]
            result.internal[key] = result.internal.get(key, 0) + count
        else:
            result.other[name] = count
    return result


async def erase(session: AsyncSession, resident: Resident) -> None:
    """Remove the resident's personal data, keeping only anonymous aggregates."""
    await session.flush()
    for table in reversed(personal_tables()):
        policy = table.info.get("erasure", "delete")
        if policy == KEEP:
            continue
        if policy == ANONYMIZE:
            values: dict[str, Any] = {c.name: None for c in _resident_fk_columns(table)}
            values.update({name: None for name in table.info.get("personal_columns", ())})
            values.update(table.info.get("anonymize_values", {}))
            await session.execute(update(table).where(_where(table, resident)).values(values))
        else:
            await session.execute(delete(table).where(_where(table, resident)))
    await session.execute(delete(Resident).where(Resident.id == resident.id))
