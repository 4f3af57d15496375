"""Queries for the action plan: commitments and their timeline, follows, feedback and the
working group's inbox, polls and votes, and the figures for public reports."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Resident
from storage.models.plan import (
    POLL_CLOSED,
    POLL_DRAFT,
    POLL_OPEN,
    Commitment,
    Feedback,
    Follow,
    Milestone,
    PlanDocument,
    Poll,
    PollOption,
    ProgressUpdate,
    Vote,
)
from storage.repos.common import insert_ignoring_conflicts


@dataclass(frozen=True, slots=True)
class RatingStats:
    commitment: Commitment
    count: int
    average: float | None
    distribution: dict[int, int]  # rating 1..5 -> how many residents gave it


@dataclass(frozen=True, slots=True)
class OptionResult:
    option: PollOption
    votes: int


def percentages(counts: Sequence[int]) -> list[int]:
    """Whole percentages that add up to 100 (largest remainder), so results never show
    99% or 101% in total."""
    total = sum(counts)
    if total == 0:
        return [0 for _ in counts]
    exact = [c * 100 / total for c in counts]
    floors = [int(x) for x in exact]
    short = 100 - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in by_remainder[:short]:
        floors[i] += 1
    return floors


class PlanRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the plan and its commitments ------------------------------------------------
    async def document(self) -> PlanDocument | None:
        return (
            await self.session.execute(select(PlanDocument).order_by(PlanDocument.id).limit(1))
        ).scalar_one_or_none()

    async def commitments(self) -> list[Commitment]:
        rows = await self.session.execute(select(Commitment).order_by(Commitment.number))
        return list(rows.scalars())

    async def commitment(self, code: str) -> Commitment | None:
        return (
            await self.session.execute(select(Commitment).where(Commitment.code == code))
        ).scalar_one_or_none()

    async def commitment_by_id(self, commitment_id: int) -> Commitment | None:
        return await self.session.get(Commitment, commitment_id)

    async def milestones(self, commitment_id: int) -> list[Milestone]:
        rows = await self.session.execute(
            select(Milestone)
            .where(Milestone.commitment_id == commitment_id)
            .order_by(Milestone.position, Milestone.id)
        )
        return list(rows.scalars())

    async def updates(self, commitment_id: int, limit: int = 3) -> list[ProgressUpdate]:
        rows = await self.session.execute(
            select(ProgressUpdate)
            .where(ProgressUpdate.commitment_id == commitment_id)
            .order_by(ProgressUpdate.published_on.desc(), ProgressUpdate.id.desc())
            .limit(limit)
        )
        return list(rows.scalars())

    async def recent_updates(
        self, limit: int, offset: int = 0, commitment_ids: Sequence[int] | None = None
    ) -> list[tuple[ProgressUpdate, Commitment]]:
        query = select(ProgressUpdate, Commitment).join(
            Commitment, Commitment.id == ProgressUpdate.commitment_id
        )
        if commitment_ids is not None:
            query = query.where(ProgressUpdate.commitment_id.in_(commitment_ids))
        rows = await self.session.execute(
            query.order_by(ProgressUpdate.published_on.desc(), ProgressUpdate.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [(u, c) for u, c in rows.all()]

    async def publish_update(
        self,
        commitment: Commitment,
        *,
        text: dict[str, str],
        status: str | None,
        progress: int | None,
        author: str,
        today: date,
        now: datetime,
    ) -> ProgressUpdate:
        """Add a step to the timeline and make it the commitment's current state."""
        published = ProgressUpdate(
            key=f"{commitment.code}-{secrets.token_hex(5)}",
            commitment_id=commitment.id,
            published_on=today,
            status=status,
            progress=progress,
            text=text,
            example=False,
            author=author,
            created_at=now,
        )
        self.session.add(published)
        if status is not None:
            commitment.status = status
        if progress is not None:
            commitment.progress = progress
        # The commitment's description, goals and leads stay what they were: if they are
        # example data they keep their label; the update itself is the working group's.
        commitment.updated_at = now
        await self.session.flush()
        return published

    # --- follows ---------------------------------------------------------------------
    async def is_following(self, resident_id: int, commitment_id: int) -> bool:
        row = await self.session.get(Follow, (resident_id, commitment_id))
        return row is not None

    async def follow(self, resident_id: int, commitment_id: int, now: datetime) -> None:
        await self.session.execute(
            insert_ignoring_conflicts(self.session, Follow).values(
                resident_id=resident_id, commitment_id=commitment_id, created_at=now
            )
        )

    async def unfollow(self, resident_id: int, commitment_id: int) -> bool:
        result: Any = await self.session.execute(
            delete(Follow).where(
                Follow.resident_id == resident_id, Follow.commitment_id == commitment_id
            )
        )
        return bool(result.rowcount)

    async def followed(self, resident_id: int) -> list[Commitment]:
        rows = await self.session.execute(
            select(Commitment)
            .join(Follow, Follow.commitment_id == Commitment.id)
            .where(Follow.resident_id == resident_id)
            .order_by(Commitment.number)
        )
        return list(rows.scalars())

    async def followers(self, commitment_id: int) -> list[Resident]:
        """Residents to notify: those who follow and have not blocked the bot."""
        rows = await self.session.execute(
            select(Resident)
            .join(Follow, Follow.resident_id == Resident.id)
            .where(Follow.commitment_id == commitment_id, Resident.is_active.is_(True))
            .order_by(Resident.id)
        )
        return list(rows.scalars())

    # --- feedback --------------------------------------------------------------------
    async def current_rating(self, resident_id: int, commitment_id: int) -> int | None:
        return (
            await self.session.execute(
                select(Feedback.rating).where(
                    Feedback.resident_id == resident_id,
                    Feedback.commitment_id == commitment_id,
                    Feedback.current.is_(True),
                )
            )
        ).scalar_one_or_none()

    async def rate(
        self, resident_id: int, commitment: Commitment, rating: int, now: datetime
    ) -> Feedback:
        """Record a rating; an earlier rating of the same commitment stops being counted."""
        await self.session.execute(
            update(Feedback)
            .where(
                Feedback.resident_id == resident_id,
                Feedback.commitment_id == commitment.id,
                Feedback.current.is_(True),
            )
            .values(current=False)
        )
        feedback = Feedback(
            resident_id=resident_id,
            commitment_id=commitment.id,
            rating=rating,
            current=True,
            consent=False,
            reviewed=False,
            created_at=now,
        )
        self.session.add(feedback)
        await self.session.flush()
        feedback.reference = f"{commitment.code.upper()}-{feedback.id:05d}"
        await self.session.flush()
        return feedback

    async def feedback(self, feedback_id: int) -> Feedback | None:
        return await self.session.get(Feedback, feedback_id)

    async def own_feedback(self, resident_id: int, feedback_id: int) -> Feedback | None:
        """A feedback row only if it belongs to this resident (ids come from flow data)."""
        found = await self.session.get(Feedback, feedback_id)
        return found if found is not None and found.resident_id == resident_id else None

    async def resident_feedback(
        self, resident_id: int, limit: int = 10
    ) -> list[tuple[Feedback, Commitment]]:
        rows = await self.session.execute(
            select(Feedback, Commitment)
            .join(Commitment, Commitment.id == Feedback.commitment_id)
            .where(Feedback.resident_id == resident_id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
        )
        return [(f, c) for f, c in rows.all()]

    async def inbox(
        self, commitment_id: int | None = None, limit: int = 8
    ) -> list[tuple[Feedback, Commitment]]:
        """Comments waiting for an answer first, then feedback not yet reviewed, then the
        rest; newest first within each group."""
        waiting = case(
            (Feedback.comment.is_not(None) & Feedback.answered_at.is_(None), 0),
            (Feedback.reviewed.is_(False), 1),
            else_=2,
        )
        query = select(Feedback, Commitment).join(
            Commitment, Commitment.id == Feedback.commitment_id
        )
        if commitment_id is not None:
            query = query.where(Feedback.commitment_id == commitment_id)
        rows = await self.session.execute(
            query.order_by(waiting, Feedback.created_at.desc(), Feedback.id.desc()).limit(limit)
        )
        return [(f, c) for f, c in rows.all()]

    async def answer(self, feedback: Feedback, text: str, author: str, now: datetime) -> bool:
        """Record the working group's answer; False when someone answered first (two
        operators, in the chat and the console, may press at the same moment)."""
        result = await self.session.execute(
            update(Feedback)
            .where(Feedback.id == feedback.id, Feedback.answer.is_(None))
            .values(
                answer=text,
                answered_by=author,
                answered_at=now,
                reviewed=True,
                reviewed_at=func.coalesce(Feedback.reviewed_at, now),
            )
            .execution_options(synchronize_session=False)
        )
        won = bool(getattr(result, "rowcount", 0))
        await self.session.refresh(feedback)
        return won

    async def mark_reviewed(self, feedback: Feedback, now: datetime) -> None:
        feedback.reviewed = True
        feedback.reviewed_at = now

    async def rating_stats(self) -> list[RatingStats]:
        rows = await self.session.execute(
            select(Feedback.commitment_id, Feedback.rating, func.count())
            .where(Feedback.current.is_(True))
            .group_by(Feedback.commitment_id, Feedback.rating)
        )
        by_commitment: dict[int, dict[int, int]] = {}
        for commitment_id, rating, count in rows.all():
            by_commitment.setdefault(commitment_id, {})[rating] = count
        stats = []
        for commitment in await self.commitments():
            distribution = {r: by_commitment.get(commitment.id, {}).get(r, 0) for r in range(1, 6)}
            total = sum(distribution.values())
            average = (
                round(sum(r * n for r, n in distribution.items()) / total, 2) if total else None
            )
            stats.append(RatingStats(commitment, total, average, distribution))
        return stats

    async def comments(self) -> list[tuple[Feedback, Commitment, Resident]]:
        rows = await self.session.execute(
            select(Feedback, Commitment, Resident)
            .join(Commitment, Commitment.id == Feedback.commitment_id)
            .join(Resident, Resident.id == Feedback.resident_id)
            .where(Feedback.comment.is_not(None))
            .order_by(Commitment.number, Feedback.id)
        )
        return [(f, c, r) for f, c, r in rows.all()]

    # --- polls -----------------------------------------------------------------------
    async def polls(self, include_drafts: bool = False) -> list[Poll]:
        query = select(Poll)
        if not include_drafts:
            query = query.where(Poll.state != POLL_DRAFT)
        rows = await self.session.execute(query.order_by(Poll.id.desc()))
        return list(rows.scalars())

    async def poll(self, poll_id: int) -> Poll | None:
        return await self.session.get(Poll, poll_id)

    async def options(self, poll_id: int) -> list[PollOption]:
        rows = await self.session.execute(
            select(PollOption)
            .where(PollOption.poll_id == poll_id)
            .order_by(PollOption.position, PollOption.id)
        )
        return list(rows.scalars())

    async def vote_of(self, poll_id: int, resident_id: int) -> int | None:
        return (
            await self.session.execute(
                select(Vote.option_id).where(
                    Vote.poll_id == poll_id, Vote.resident_id == resident_id
                )
            )
        ).scalar_one_or_none()

    async def vote(self, poll_id: int, option_id: int, resident_id: int, now: datetime) -> bool:
        """Cast a vote; False when this resident had already voted in this poll."""
        result = await self.session.execute(
            insert_ignoring_conflicts(self.session, Vote)
            .values(poll_id=poll_id, option_id=option_id, resident_id=resident_id, created_at=now)
            .returning(Vote.id)
        )
        return result.scalar_one_or_none() is not None

    async def results(self, poll_id: int) -> list[OptionResult]:
        rows = await self.session.execute(
            select(Vote.option_id, func.count())
            .where(Vote.poll_id == poll_id)
            .group_by(Vote.option_id)
        )
        counts = {option_id: count for option_id, count in rows.all()}
        return [OptionResult(o, counts.get(o.id, 0)) for o in await self.options(poll_id)]

    async def create_poll(
        self,
        question: dict[str, str],
        options: Sequence[dict[str, str]],
        *,
        closes_at: datetime | None,
        author: str,
        now: datetime,
    ) -> Poll:
        poll = Poll(
            code=f"poll-{secrets.token_hex(5)}",
            question=question,
            state=POLL_DRAFT,
            closes_at=closes_at,
            created_by=author,
            created_at=now,
            example=False,
        )
        self.session.add(poll)
        await self.session.flush()
        for position, text in enumerate(options, start=1):
            self.session.add(
                PollOption(poll_id=poll.id, key=f"o{position}", position=position, text=text)
            )
        await self.session.flush()
        return poll

    async def replace_options(self, poll: Poll, options: Sequence[dict[str, str]]) -> None:
        """A draft's options, anew (only while nobody could have voted for the old ones)."""
        await self.session.execute(delete(PollOption).where(PollOption.poll_id == poll.id))
        for position, text in enumerate(options, start=1):
            self.session.add(
                PollOption(poll_id=poll.id, key=f"o{position}", position=position, text=text)
            )
        await self.session.flush()

    async def open_poll(self, poll: Poll, now: datetime) -> None:
        poll.state = POLL_OPEN
        if poll.opens_at is None or poll.opens_at > now:
            poll.opens_at = now
        if poll.closes_at is not None and poll.closes_at <= now:
            poll.closes_at = None  # reopening a poll whose end passed: open until closed

    async def close_poll(self, poll: Poll, now: datetime) -> None:
        poll.state = POLL_CLOSED
        if poll.closes_at is None or poll.closes_at > now:
            poll.closes_at = now

    async def is_empty(self) -> bool:
        count = (await self.session.execute(select(func.count()).select_from(Commitment))).scalar()
        return not count
