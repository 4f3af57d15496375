"""Residents, their conversation state, and the inbox of platform events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class Resident(Base):
    """A person chatting with Svoi on one channel.

    Channels a person linked (docs/linking.md) share one profile: its rows (subscriptions,
    follows, feedback, votes, mutes, questions, language) belong to one of the linked
    residents, the holder, which is also where notifications go. The others name it in
    `profile_id`; `profile_id` is NULL for the holder and for a resident linked to no one.
    `notify_here` marks the channel the person chose for notifications (none marked: the
    channel last used)."""

    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("channel", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(128))
    locale: Mapped[str] = mapped_column(String(8), default="uk")
    locale_chosen: Mapped[bool] = mapped_column(default=False)
    display_name: Mapped[str | None] = mapped_column(String(128), default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(default=clock.now)
    inactive_since: Mapped[datetime | None] = mapped_column(default=None)
    # Not a foreign key: SQLite can add one only by copying `residents`, which every
    # feature's table refers to. Erasure and unlinking keep it true (docs/linking.md).
    profile_id: Mapped[int | None] = mapped_column(default=None, index=True)
    notify_here: Mapped[bool] = mapped_column(default=False, server_default=false())


class DialogState(Base):
    """Where a resident is in a conversation; survives restarts, shared by all instances."""

    __tablename__ = "dialog_states"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str | None] = mapped_column(String(32), default=None)
    step: Mapped[str | None] = mapped_column(String(32), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    offered: Mapped[list[Any]] = mapped_column(default=list)
    numbered: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class InboundEvent(Base):
    """A platform update recorded before it is acknowledged, keyed by its platform id."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("channel", "event_id"),
        Index("ix_inbound_events_status_received", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="received")
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)
