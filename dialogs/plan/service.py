"""The plan feature's actions, the only implementation the chat (dialogs/plan/operator.py),
the console (bot/channels/web/admin) and the CLI call: answer feedback, mark it reviewed,
publish a progress update, create, open and close polls.

Each function runs inside the caller's transaction, checks its input once for every front
end, writes the change and queues the residents' notices in the outbox (the same template
and de-duplication keys whichever front end acts, so answering in the chat and on the
console cannot notify twice), and writes the audit entry for its `Actor`. It raises
`Refused` with a Fluent key when the input cannot apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import dates
from bot.core.actions import Actor, Refused, checked_text
from bot.delivery.broadcasts import FOLLOWERS, AudienceSource, AudienceUnavailable
from bot.delivery.outbox import Notification, OutboxButton, enqueue, notify_resident
from dialogs.plan.views import COMMENT_LIMIT, OPTION_LIMIT, QUESTION_LIMIT, localized
from storage.models.plan import (
    OGP_STATUSES,
    POLL_DRAFT,
    Commitment,
    Feedback,
    Follow,
    Poll,
    ProgressUpdate,
)
from storage.repos.plan import PlanRepo

__all__ = [
    "FOLLOWERS_AUDIENCE",
    "MAX_OPTIONS",
    "MIN_OPTIONS",
    "Published",
    "Refused",
    "answer_feedback",
    "create_poll",
    "edit_poll",
    "excerpt",
    "follower_choices",
    "followers",
    "inbox",
    "mark_reviewed",
    "poll_closes",
    "poll_options",
    "publish_update",
    "set_poll_state",
]

MIN_OPTIONS, MAX_OPTIONS = 2, 10


def excerpt(comment: str, limit: int = 300) -> str:
    return comment if len(comment) <= limit else comment[: limit - 1] + "…"


# --- feedback ------------------------------------------------------------------------------
async def answer_feedback(
    session: AsyncSession, feedback_id: int, text: str, *, actor: Actor, now: datetime
) -> Feedback:
    """Answer a comment; the resident gets "you said, we did" in their own channel."""
    text = checked_text(text, COMMENT_LIMIT)
    repo = PlanRepo(session)
    feedback = await repo.feedback(feedback_id)
    if feedback is None:
        raise Refused("web-admin-error-not-found")
    if feedback.comment is None or feedback.answer is not None:
        raise Refused("web-admin-error-already-answered")
    commitment = await repo.commitment_by_id(feedback.commitment_id)
    assert commitment is not None
    if not await repo.answer(feedback, text, actor.name, now):
        raise Refused("web-admin-error-already-answered")  # another operator was first
    await notify_resident(
        session,
        feedback.resident_id,
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
    actor.audit(session, "plan-answer", feedback.reference or str(feedback.id))
    return feedback


async def mark_reviewed(
    session: AsyncSession, feedback_id: int, *, actor: Actor, now: datetime
) -> Feedback:
    repo = PlanRepo(session)
    feedback = await repo.feedback(feedback_id)
    if feedback is None:
        raise Refused("web-admin-error-not-found")
    await repo.mark_reviewed(feedback, now)
    actor.audit(session, "plan-reviewed", feedback.reference or str(feedback.id))
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
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
    notify: bool = True,
) -> Published:
    """A step on the commitment's timeline (its new status and progress); followers are
    told through the outbox unless `notify` is off."""
    text = checked_text(text, COMMENT_LIMIT)
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
        author=actor.name,
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
    actor.audit(session, "plan-publish", code, update=update.key, followers=len(followers))
    return Published(update, len(followers))


# --- polls ---------------------------------------------------------------------------------
def poll_options(text: str) -> list[str]:
    """One option a line: between MIN_OPTIONS and MAX_OPTIONS, each at most OPTION_LIMIT."""
    options = [line.strip() for line in text.splitlines() if line.strip()]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS or any(
        len(o) > OPTION_LIMIT for o in options
    ):
        raise Refused("web-admin-error-options", limit=OPTION_LIMIT, count=len(options))
    return options


def poll_closes(closes_on: date | None, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A poll closes at the end of its last day in city time, which must be in the future."""
    closes_at = dates.day_end(closes_on, zone) if closes_on is not None else None
    if closes_at is not None and closes_at <= now:
        raise Refused("web-admin-error-past")
    return closes_at


async def create_poll(
    session: AsyncSession,
    question: str,
    options_text: str,
    closes_on: date | None,
    *,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> Poll:
    """A draft poll (opened by `set_poll_state`): question, options one a line, last day."""
    question = checked_text(question, QUESTION_LIMIT)
    options = poll_options(options_text)
    closes_at = poll_closes(closes_on, now, zone)
    poll = await PlanRepo(session).create_poll(
        {"uk": question, "en": question},
        [{"uk": o, "en": o} for o in options],
        closes_at=closes_at,
        author=actor.name,
        now=now,
    )
    actor.audit(session, "plan-poll-create", poll.code)
    return poll


async def edit_poll(
    session: AsyncSession,
    poll_id: int,
    question: str,
    options_text: str,
    closes_on: date | None,
    *,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> Poll:
    """Correct a poll: its question and last day always; its options only while it is a
    draft nobody has voted in (a changed option would change what a vote meant)."""
    repo = PlanRepo(session)
    poll = await repo.poll(poll_id)
    if poll is None:
        raise Refused("web-admin-error-not-found")
    question = checked_text(question, QUESTION_LIMIT)
    options = poll_options(options_text)
    closes_at = poll_closes(closes_on, now, zone)
    results = await repo.results(poll.id)
    current = [localized(r.option.text, "uk") for r in results]
    if options != current:
        if poll.state != POLL_DRAFT or any(r.votes for r in results):
            raise Refused("web-admin-error-poll-options-locked")
        await repo.replace_options(poll, [{"uk": o, "en": o} for o in options])
    poll.question = {"uk": question, "en": question}
    poll.closes_at = closes_at
    actor.audit(session, "plan-poll-edit", poll.code)
    return poll


async def set_poll_state(
    session: AsyncSession, poll_id: int, action: str, *, actor: Actor, now: datetime
) -> Poll:
    """Open a draft (or closed) poll, or close an open one."""
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
    actor.audit(session, f"plan-poll-{action}", poll.code)
    return poll


# --- broadcast audience: followers of a commitment ---------------------------------------
async def follower_choices(session: AsyncSession, locale: str) -> list[tuple[str, str]]:
    """(code, title) of every commitment, for an operator choosing an audience."""
    return [
        (c.code, localized(c.title, locale) or c.code)
        for c in await PlanRepo(session).commitments()
    ]


async def followers(session: AsyncSession, code: str) -> Select[int]:
    """The ids of the residents who follow the commitment `code`."""
    commitment = await PlanRepo(session).commitment(code)
    if commitment is None:
        raise AudienceUnavailable(f"commitment {code}")
    return select(Follow.resident_id).where(Follow.commitment_id == commitment.id)


FOLLOWERS_AUDIENCE = AudienceSource(FOLLOWERS, follower_choices, followers)
