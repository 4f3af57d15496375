"""The working group's operations for the features that have no package with a service of
their own yet, called by the web console and, for feedback answers and progress updates, by
the working group's chat screens (dialogs/plan_operator.py):

* feedback answers and progress updates: `PlanRepo` (storage/repos/plan.py), with the same
  outbox notifications the working group's chat screens enqueue (same template keys, same
  de-duplication keys, so answering in the chat and on the console cannot notify twice);
* polls: `PlanRepo.create_poll / open_poll / close_poll` (the chat's poll screens in
  dialogs/plan_operator.py still check a new poll themselves);
* the dashboard's figures;
* waste schedule exceptions: `dialogs.waste.service.add_exception` (the CLI's function);
* services catalogue: `dialogs.services.catalogue` parsing and `import_into`.

Broadcasts are not here: `dialogs/broadcast/service.py` is their one implementation.

Each function runs inside the caller's transaction and raises `Refused` with a Fluent key
when the input cannot apply, so the console shows a localized reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import I18n
from bot.delivery.outbox import Notification, OutboxButton, enqueue
from dialogs.plan_views import COMMENT_LIMIT, OPTION_LIMIT, QUESTION_LIMIT
from storage.db import Database
from storage.models import Base, OutboxMessage, Resident
from storage.models.plan import OGP_STATUSES, Commitment, Feedback, Poll, ProgressUpdate
from storage.repos.plan import PlanRepo
from storage.repos.residents import ResidentRepo


class Refused(ValueError):
    """The operation cannot apply; `key` is the Fluent message explaining why."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


def excerpt(comment: str, limit: int = 300) -> str:
    return comment if len(comment) <= limit else comment[: limit - 1] + "…"


# --- feedback ------------------------------------------------------------------------------
async def answer_feedback(
    session: AsyncSession, feedback_id: int, text: str, author: str, now: datetime
) -> Feedback:
    """Answer a comment; the resident gets "you said, we did" in their own channel."""
    text = text.strip()
    if not text:
        raise Refused("web-admin-error-empty")
    if len(text) > COMMENT_LIMIT:
        raise Refused("web-admin-error-too-long", limit=COMMENT_LIMIT)
    repo = PlanRepo(session)
    feedback = await repo.feedback(feedback_id)
    if feedback is None:
        raise Refused("web-admin-error-not-found")
    if feedback.comment is None or feedback.answer is not None:
        raise Refused("web-admin-error-already-answered")
    commitment = await repo.commitment_by_id(feedback.commitment_id)
    assert commitment is not None
    if not await repo.answer(feedback, text, author, now):
        raise Refused("web-admin-error-already-answered")  # another operator was first
    resident = await ResidentRepo(session).by_id(feedback.resident_id)
    if resident is not None:
        await enqueue(
            session,
            [
                Notification(
                    resident_id=resident.id,
                    channel=resident.channel,
                    user_id=resident.user_id,
                    kind="plan-answer",
                    dedup_key=f"plan-answer:{feedback.id}",
                    template_key="plan-notify-answer",
                    template_args={
                        "reference": feedback.reference or "",
                        "number": commitment.number,
                        "comment": excerpt(feedback.comment),
                        "answer": text,
                    },
                    category="plan-answers",
                )
            ],
        )
    return feedback


async def mark_reviewed(session: AsyncSession, feedback_id: int, now: datetime) -> Feedback:
    repo = PlanRepo(session)
    feedback = await repo.feedback(feedback_id)
    if feedback is None:
        raise Refused("web-admin-error-not-found")
    await repo.mark_reviewed(feedback, now)
    return feedback


async def inbox(
    session: AsyncSession, commitment_code: str | None, waiting_only: bool, limit: int = 100
) -> list[tuple[Feedback, Commitment]]:
    repo = PlanRepo(session)
    commitment = await repo.commitment(commitment_code) if commitment_code else None
    items = await repo.inbox(commitment.id if commitment else None, limit)
    if waiting_only:
        items = [
            (f, c)
            for f, c in items
            if (f.comment is not None and f.answer is None) or not f.reviewed
        ]
    return items


# --- commitments -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Published:
    update: ProgressUpdate
    notified: int


async def publish_update(
    session: AsyncSession,
    code: str,
    *,
    text: str,
    status: str | None,
    progress: int | None,
    author: str,
    now: datetime,
    zone: ZoneInfo,
    notify: bool = True,
) -> Published:
    """A step on the commitment's timeline (its new status and progress); followers are
    told through the outbox unless `notify` is off."""
    text = text.strip()
    if not text:
        raise Refused("web-admin-error-empty")
    if len(text) > COMMENT_LIMIT:
        raise Refused("web-admin-error-too-long", limit=COMMENT_LIMIT)
    if status is not None and status not in OGP_STATUSES:
        raise Refused("web-admin-error-status")
    if progress is not None and not 0 <= progress <= 100:
        raise Refused("web-admin-error-progress")
    repo = PlanRepo(session)
    commitment = await repo.commitment(code)
    if commitment is None:
        raise Refused("web-admin-error-not-found")
    update = await repo.publish_update(
        commitment,
        text={"uk": text, "en": text},
        status=status,
        progress=progress,
        author=author,
        today=now.astimezone(zone).date(),
        now=now,
    )
    followers = await repo.followers(commitment.id) if notify else []
    await enqueue(
        session,
        [
            Notification(
                resident_id=r.id,
                channel=r.channel,
                user_id=r.user_id,
                kind="plan-update",
                dedup_key=f"plan-update:{update.id}:{r.id}",
                template_key="plan-notify-update",
                template_args={
                    "number": commitment.number,
                    "status": commitment.status,
                    "progress": commitment.progress,
                    "text": text,
                },
                buttons=((OutboxButton("plan-btn-unfollow", f"g:unfollow:{commitment.code}"),),),
                category=f"plan:{commitment.code}",
            )
            for r in followers
        ],
    )
    return Published(update, len(followers))


# --- polls ---------------------------------------------------------------------------------
def day_end(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), zone)


async def create_poll(
    session: AsyncSession,
    question: str,
    options_text: str,
    closes_on: date | None,
    *,
    author: str,
    now: datetime,
    zone: ZoneInfo,
) -> Poll:
    question = question.strip()
    options = [line.strip() for line in options_text.splitlines() if line.strip()]
    if not question:
        raise Refused("web-admin-error-empty")
    if len(question) > QUESTION_LIMIT:
        raise Refused("web-admin-error-too-long", limit=QUESTION_LIMIT)
    if not 2 <= len(options) <= 10 or any(len(o) > OPTION_LIMIT for o in options):
        raise Refused("web-admin-error-options", limit=OPTION_LIMIT)
    closes_at = day_end(closes_on, zone) if closes_on is not None else None
    if closes_at is not None and closes_at <= now:
        raise Refused("web-admin-error-past")
    return await PlanRepo(session).create_poll(
        {"uk": question, "en": question},
        [{"uk": o, "en": o} for o in options],
        closes_at=closes_at,
        author=author,
        now=now,
    )


async def set_poll_state(session: AsyncSession, poll_id: int, action: str, now: datetime) -> Poll:
    repo = PlanRepo(session)
    poll = await repo.poll(poll_id)
    if poll is None:
        raise Refused("web-admin-error-not-found")
    if action == "open":
        await repo.open_poll(poll, now)
    elif action == "close":
        await repo.close_poll(poll, now)
    else:
        raise Refused("web-admin-error-not-found")
    return poll


# --- dashboard -----------------------------------------------------------------------------
@dataclass
class Dashboard:
    by_channel: dict[str, int]
    by_language: dict[str, int]
    inactive: int
    subscriptions: dict[str, int]
    outbox: dict[str, dict[str, int]]  # channel -> status -> count (last 24 hours)
    waiting: int
    oldest_waiting: datetime | None
    ratings: list[Any]


def _table(name: str) -> Table | None:
    return Base.metadata.tables.get(name)


async def dashboard(session: AsyncSession, now: datetime) -> Dashboard:
    by_channel: dict[str, int] = {}
    by_language: dict[str, int] = {}
    inactive = 0
    rows = await session.execute(
        select(Resident.channel, Resident.locale, Resident.is_active, func.count()).group_by(
            Resident.channel, Resident.locale, Resident.is_active
        )
    )
    for channel, locale, active, count in rows.all():
        if not active:
            inactive += int(count)
            continue
        by_channel[channel] = by_channel.get(channel, 0) + int(count)
        by_language[locale] = by_language.get(locale, 0) + int(count)
    subscriptions: dict[str, int] = {}
    for label, table_name in (
        ("plan", "plan_follows"),
        ("waste", "waste_subscriptions"),
        ("mutes", "delivery_mutes"),
    ):
        table = _table(table_name)
        if table is not None:
            subscriptions[label] = int(
                (await session.execute(select(func.count()).select_from(table))).scalar() or 0
            )
    outbox: dict[str, dict[str, int]] = {}
    recent = await session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .where(OutboxMessage.created_at >= now - timedelta(hours=24))
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    )
    for channel, status, count in recent.all():
        outbox.setdefault(channel, {})[status] = int(count)
    waiting_row = (
        await session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status.in_(("pending", "sending"))
            )
        )
    ).one()
    ratings = await PlanRepo(session).rating_stats()
    return Dashboard(
        by_channel,
        by_language,
        inactive,
        subscriptions,
        outbox,
        int(waiting_row[0] or 0),
        waiting_row[1],
        ratings,
    )


# --- waste ---------------------------------------------------------------------------------
async def waste_exception(
    session: AsyncSession,
    i18n: I18n,
    *,
    zone_code: str,
    waste_type: str,
    original: date,
    moved_to: date | None,
    reason_uk: str,
    reason_en: str,
    now: datetime,
) -> int:
    """Move or cancel one collection day; returns how many change notices were queued."""
    from dialogs.waste.service import ScheduleError, add_exception
    from storage.repos.waste import WasteRepo

    if not reason_uk.strip():
        raise Refused("web-admin-error-reason")
    zone = await WasteRepo(session).zone_by_code(zone_code)
    if zone is None:
        raise Refused("web-admin-error-not-found")
    try:
        _exception, notices = await add_exception(
            session,
            i18n,
            zone=zone,
            waste_type=waste_type,
            original=original,
            moved_to=moved_to,
            reason_uk=reason_uk,
            reason_en=reason_en,
            now=now,
        )
    except ScheduleError as exc:
        raise Refused("web-admin-error-schedule-day", detail=str(exc)) from None
    return notices


# --- services ------------------------------------------------------------------------------
@dataclass
class ServicesImport:
    problems: list[str]
    summary: str = ""
    changed: bool = False


class _DryRun(Exception):
    """Leaving the transaction by an exception rolls back what the dry run wrote."""


async def import_services(
    db: Database, filename: str, content: bytes, *, dry_run: bool
) -> ServicesImport:
    """Validate an uploaded catalogue (.yaml/.yml or .csv) and import it, all or nothing,
    in its own transaction; the problems carry their line or row."""
    from dialogs.services.catalogue import CatalogueInvalid, import_into, parse_bytes_in_thread

    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:120] or "upload"
    try:
        catalogue = await parse_bytes_in_thread(content, name)
        async with db.transaction() as session:
            report = await import_into(session, catalogue)
            if dry_run:
                raise _DryRun(report.summary())
    except CatalogueInvalid as invalid:
        return ServicesImport([str(p) for p in invalid.problems])
    except _DryRun as dry:
        return ServicesImport([], str(dry), changed=False)
    return ServicesImport([], report.summary(), report.changed)
