"""Residents' reports: the ONLY implementation of making one, listing, changing its status
(with the reporter told through the outbox) and grouping missed collections. The chat
(flow.py, operator.py), the console and the CLI call these functions.

A report's place is a shared location or an address the waste feature's street matcher
read (which also gives its waste zone); photos are the resident's attachments with purpose
`report` (bot/core/attachments.py), given to the report when it is sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PROJECT_ROOT
from bot.core.actions import Actor, Refused, checked_text
from bot.core.i18n import localized
from bot.delivery.outbox import OutboxButton, notify_resident
from storage import clock
from storage.models.reports import (
    IN_PROGRESS,
    RECEIVED,
    REJECTED,
    RESOLVED,
    Report,
)
from storage.models.waste import WasteZone
from storage.repos.attachments import AttachmentRepo

PURPOSE = "report"  # the attachments' purpose
MAX_PHOTOS = 3
DESCRIPTION_LIMIT = 1000
COMMENT_LIMIT = 1000
ADDRESS_LIMIT = 300
CONTENT = PROJECT_ROOT / "content" / "reports.yaml"
MINE_ACTION = "my-reports"  # a global action: the button under a status notice


class Status(StrEnum):
    RECEIVED = RECEIVED
    IN_PROGRESS = IN_PROGRESS
    RESOLVED = RESOLVED
    REJECTED = REJECTED


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    name: dict[str, str]
    waste: bool


@dataclass(frozen=True, slots=True)
class ReportView:
    id: int
    reference: str
    category: str
    status: Status
    description: str
    latitude: float | None
    longitude: float | None
    address: str
    zone_id: int | None
    zone_name: str | None
    created_at: datetime
    updated_at: datetime
    operator_comment: str
    photo_keys: tuple[str, ...]
    channel: str


@dataclass(frozen=True, slots=True)
class MissedGroup:
    zone_id: int | None
    zone_name: str | None
    day: date
    count: int
    report_ids: tuple[int, ...]
    references: tuple[str, ...]  # the reports' references, in the order of report_ids


@dataclass(frozen=True, slots=True)
class Draft:
    """What a resident put together in the chat, ready to send."""

    category: str
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    zone_id: int | None = None
    description: str = ""
    photo_ids: tuple[int, ...] = ()


# --- categories (content/reports.yaml) ----------------------------------------------------
@cache
def categories() -> tuple[Category, ...]:
    """The categories a resident chooses from, in the file's order (the file ships with
    the project; tests/reports checks it)."""
    data: Any = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    found: list[Category] = []
    seen: set[str] = set()
    for entry in data.get("categories", []):
        key = str(entry["key"])
        name = {lang: str(entry["name"][lang]) for lang in ("uk", "en")}
        if key in seen:
            raise ValueError(f"{CONTENT}: category {key!r} twice")
        seen.add(key)
        found.append(Category(key, name, bool(entry.get("waste", False))))
    return tuple(found)


def category(key: str) -> Category | None:
    return next((c for c in categories() if c.key == key), None)


def category_label(key: str, locale: str) -> str:
    found = category(key)
    return localized(found.name, locale) if found is not None else key


MISSED = "missed-collection"


# --- making a report -------------------------------------------------------------------------
async def create(
    session: AsyncSession, resident_id: int, channel: str, draft: Draft, now: datetime
) -> Report:
    """Save the report, give it its photos and a reference («26-00042»: the year and a
    number). The caller audits it with its own actor (the chat: the resident's turn)."""
    if category(draft.category) is None:
        raise Refused("reports-error-category")
    report = Report(
        resident_id=resident_id,
        category=draft.category,
        description=draft.description[:DESCRIPTION_LIMIT],
        latitude=draft.latitude,
        longitude=draft.longitude,
        address=draft.address[:ADDRESS_LIMIT],
        zone_id=draft.zone_id,
        channel=channel,
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    await session.flush()
    report.reference = reference(report.id, now)
    await AttachmentRepo(session).assign(
        resident_id, PURPOSE, draft.photo_ids[:MAX_PHOTOS], report.id
    )
    return report


def reference(report_id: int, now: datetime) -> str:
    return f"{now.astimezone(clock.city_zone()).year % 100:02d}-{report_id:05d}"


async def mine(session: AsyncSession, resident_id: int, limit: int = 10) -> list[ReportView]:
    rows = await session.execute(
        select(Report)
        .where(Report.resident_id == resident_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    )
    return await _views(session, list(rows.scalars()))


# --- the working group ---------------------------------------------------------------------
async def list_reports(
    session: AsyncSession,
    *,
    status: Status | None = None,
    category: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[ReportView]:
    """Newest first."""
    query = select(Report).order_by(Report.created_at.desc(), Report.id.desc())
    if status is not None:
        query = query.where(Report.status == status.value)
    if category is not None:
        query = query.where(Report.category == category)
    rows = await session.execute(query.limit(limit).offset(offset))
    return await _views(session, list(rows.scalars()))


async def get_report(session: AsyncSession, report_id: int) -> ReportView | None:
    row = await session.get(Report, report_id)
    return None if row is None else (await _views(session, [row]))[0]


async def set_status(
    session: AsyncSession,
    actor: Actor,
    report_id: int,
    status: Status,
    comment: str,
    now: datetime,
) -> ReportView:
    """Change the status (with the operator's comment, which the reporter reads), audited;
    the reporter is told through the outbox in their language."""
    if not actor.is_operator:
        actor.audit(session, "report-status", str(report_id), "refused")
        raise Refused("operator-only")
    text = checked_text(comment, COMMENT_LIMIT) if comment.strip() else ""
    row = await session.get(Report, report_id)
    if row is None:
        raise Refused("reports-error-not-found")
    previous = row.status
    row.status = status.value
    row.operator_comment = text
    row.updated_at = now
    actor.audit(session, "report-status", row.reference or str(row.id), status=status.value)
    if previous != status.value:
        await notify_resident(
            session,
            row.resident_id,
            kind="report-status",
            dedup_key=f"report-status:{row.id}:{status.value}:{now.isoformat()}",
            template_key="reports-notify-status" if text else "reports-notify-status-bare",
            template_args={
                "reference": row.reference or str(row.id),
                "status": status.value,
                **({"comment": text} if text else {}),
            },
            buttons=((OutboxButton("reports-btn-mine", f"g:{MINE_ACTION}"),),),
            category="report-status",
        )
    return (await _views(session, [row]))[0]


async def missed_collection_groups(session: AsyncSession, *, since: date) -> list[MissedGroup]:
    """Missed-collection reports since `since`, grouped by waste zone and city-local day:
    one collection missed in a zone is one problem for the waste company, however many
    residents report it. Largest groups first."""
    zone = clock.city_zone()
    start = datetime.combine(since, datetime.min.time(), tzinfo=zone)
    rows = await session.execute(
        select(Report.id, Report.reference, Report.zone_id, Report.created_at)
        .where(Report.category == MISSED, Report.created_at >= start)
        .order_by(Report.created_at)
    )
    groups: dict[tuple[int | None, date], list[tuple[int, str]]] = defaultdict(list)
    for report_id, ref, zone_id, created in rows:
        groups[(zone_id, created.astimezone(zone).date())].append(
            (report_id, ref or str(report_id))
        )
    names = await _zone_names(session, [z for z, _ in groups if z is not None])
    found = [
        MissedGroup(
            zone_id,
            names.get(zone_id) if zone_id else None,
            day,
            len(members),
            tuple(i for i, _ in members),
            tuple(r for _, r in members),
        )
        for (zone_id, day), members in groups.items()
    ]
    return sorted(found, key=lambda g: (-g.count, g.day, g.zone_id or 0))


# --- views ------------------------------------------------------------------------------------
async def _zone_names(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(WasteZone.id, WasteZone.name).where(WasteZone.id.in_(ids)))
    return {zone_id: localized(name, "uk") for zone_id, name in rows}


async def _views(session: AsyncSession, rows: Sequence[Report]) -> list[ReportView]:
    photos = await AttachmentRepo(session).for_owners(PURPOSE, [r.id for r in rows])
    names = await _zone_names(session, [r.zone_id for r in rows if r.zone_id is not None])
    return [
        ReportView(
            id=r.id,
            reference=r.reference or str(r.id),
            category=r.category,
            status=Status(r.status),
            description=r.description,
            latitude=r.latitude,
            longitude=r.longitude,
            address=r.address,
            zone_id=r.zone_id,
            zone_name=names.get(r.zone_id) if r.zone_id is not None else None,
            created_at=r.created_at,
            updated_at=r.updated_at,
            operator_comment=r.operator_comment,
            photo_keys=tuple(p.key for p in photos.get(r.id, [])),
            channel=r.channel,
        )
        for r in rows
    ]
