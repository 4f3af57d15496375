"""The open government action plan and the dialogue around it: commitments with their
goals and progress updates, residents' feedback (ratings, comments, answers), follows, and
public opinion polls with one vote per resident.

Texts that ship in both languages are JSON objects `{"uk": ..., "en": ...}`; texts typed by
the working group are stored verbatim under the language they were typed in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base

# The OGP completion scale, in order.
OGP_STATUSES = ("not_started", "limited", "substantial", "complete")

POLL_DRAFT = "draft"
POLL_OPEN = "open"
POLL_CLOSED = "closed"
POLL_STATES = (POLL_DRAFT, POLL_OPEN, POLL_CLOSED)


class PlanDocument(Base):
    """The action plan itself (one row per plan; the city has one at a time)."""

    __tablename__ = "plan_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    lead: Mapped[dict[str, Any]] = mapped_column(default=dict)
    partners: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # What comes after the plan's period (the next action plan, where to follow it).
    next_steps: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    source: Mapped[str] = mapped_column(String(300), default="")


class Commitment(Base):
    """One commitment of the plan, with its current OGP status and progress."""

    __tablename__ = "plan_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_documents.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16), unique=True)  # "c2": deep links, payloads
    number: Mapped[int] = mapped_column()
    title: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    lead: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ogp_id: Mapped[str | None] = mapped_column(String(32), default=None)
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    progress: Mapped[int] = mapped_column(default=0)
    # True while status/progress are not confirmed by a public source (shown as example).
    example: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Milestone(Base):
    """A goal of a commitment ("100% of public services online")."""

    __tablename__ = "plan_milestones"
    __table_args__ = (UniqueConstraint("commitment_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("plan_commitments.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(48))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[dict[str, Any]] = mapped_column(default=dict)
    done: Mapped[bool] = mapped_column(default=False)
    example: Mapped[bool] = mapped_column(default=False)


class ProgressUpdate(Base):
    """A step on a commitment's timeline: shipped content or published by the working
    group; publishing one notifies the commitment's followers."""

    __tablename__ = "plan_updates"
    __table_args__ = (
        Index("ix_plan_updates_commitment_published", "commitment_id", "published_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(48), unique=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("plan_commitments.id", ondelete="CASCADE")
    )
    published_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(16), default=None)
    progress: Mapped[int | None] = mapped_column(default=None)
    text: Mapped[dict[str, Any]] = mapped_column(default=dict)
    example: Mapped[bool] = mapped_column(default=False)
    author: Mapped[str | None] = mapped_column(String(160), default=None)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Feedback(Base):
    """What a resident said about a commitment: a rating 1–5, an optional comment (stored
    verbatim), consent to be contacted, and the working group's answer.

    A resident may rate again; the newest row per (resident, commitment) is `current` and
    is the one counted, older rows stay for "my feedback" and their answers.
    """

    __tablename__ = "plan_feedback"
    __table_args__ = (
        Index("ix_plan_feedback_resident", "resident_id", "commitment_id"),
        Index("ix_plan_feedback_inbox", "commitment_id", "answered_at", "created_at"),
        {
            "info": {
                "erasure": "anonymize",
                "personal_columns": ("comment",),
                "anonymize_values": {"consent": False},
            }
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(24), unique=True, default=None)
    # NULL once the resident erased their data (/deleteme): the rating stays, anonymous.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("plan_commitments.id", ondelete="CASCADE")
    )
    rating: Mapped[int] = mapped_column()
    current: Mapped[bool] = mapped_column(default=True)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    consent: Mapped[bool] = mapped_column(default=False)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    answered_by: Mapped[str | None] = mapped_column(String(160), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    reviewed: Mapped[bool] = mapped_column(default=False)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Follow(Base):
    """A resident receives a commitment's progress updates."""

    __tablename__ = "plan_follows"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("plan_commitments.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Poll(Base):
    """A question to residents with 2–10 options, open between two moments.

    `state` is what the working group decided (draft → open → closed); `opens_at` and
    `closes_at` bound the voting time of an open poll.
    """

    __tablename__ = "plan_polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_commitments.id", ondelete="SET NULL"), default=None
    )
    question: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(8), default=POLL_DRAFT)
    opens_at: Mapped[datetime | None] = mapped_column(default=None)
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    example: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str | None] = mapped_column(String(160), default=None)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    def accepts_votes(self, now: datetime) -> bool:
        return (
            self.state == POLL_OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )

    def is_closed(self, now: datetime) -> bool:
        return self.state == POLL_CLOSED or (
            self.state == POLL_OPEN and self.closes_at is not None and now >= self.closes_at
        )


class PollOption(Base):
    __tablename__ = "plan_poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("plan_polls.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(48))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Vote(Base):
    """One resident's vote in one poll: fixed once cast (the unique key enforces it)."""

    __tablename__ = "plan_votes"
    __table_args__ = (
        UniqueConstraint("poll_id", "resident_id"),
        {"info": {"erasure": "anonymize"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("plan_polls.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(
        ForeignKey("plan_poll_options.id", ondelete="CASCADE"), index=True
    )
    # NULL once the voter erased their data: the vote still counts, anonymously.
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
