"""The outbox: every message Svoi sends on its own initiative is a row here first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"
UNKNOWN = "unknown"
STATUSES = (PENDING, SENDING, SENT, FAILED, SKIPPED, UNKNOWN)


class OutboxMessage(Base):
    """One proactive message to one resident.

    Content is a translation key with arguments (rendered in the resident's language when
    sent) and optional buttons `[[{"key": "btn-…", "payload": "g:…"}]]`; `text` holds
    ready text instead (an operator's broadcast). `dedup_key` is unique per recipient and
    occurrence, so enqueuing the same thing twice is harmless.
    """

    __tablename__ = "outbox"
    # Due rows are found through `ix_outbox_claim` (storage/models/delivery.py), whose
    # (channel, status) prefix also serves lease reclaims; every extra index is paid on each
    # of the 100,000 inserts of a big broadcast or reminder minute.
    __table_args__ = (Index("ix_outbox_broadcast", "broadcast_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(24))
    category: Mapped[str] = mapped_column(String(64), default="")
    priority: Mapped[int] = mapped_column(default=0)
    urgent: Mapped[bool] = mapped_column(default=False)
    template_key: Mapped[str | None] = mapped_column(String(64), default=None)
    template_args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    buttons: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    # The sender (instance and election term) holding a `sending` row: a newly elected
    # sender gives back at once the claims of holders that no longer hold the token's lock.
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    # How many times the row's claim was abandoned (its sender died or lost the lock) and
    # the row made pending again: each time, the resident may receive the message twice.
    reclaims: Mapped[int] = mapped_column(default=0, server_default="0")
    platform_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    broadcast_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


# The columns a new row is written with, in the order bulk `INSERT … SELECT` statements
# (broadcasts, waste reminders) list them; `bot.delivery.outbox.Notification.row()` fills
# the same ones for `enqueue`.
INSERT_COLUMNS = (
    "dedup_key",
    "resident_id",
    "channel",
    "user_id",
    "kind",
    "category",
    "priority",
    "urgent",
    "template_key",
    "template_args",
    "text",
    "buttons",
    "status",
    "attempts",
    "next_attempt_at",
    "broadcast_id",
    "created_at",
)
