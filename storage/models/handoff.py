"""Conversations a resident holds with a person of the working group ("Поговорити з людиною"):
the conversation (waiting → taken → closed) and its transcript.

Both tables refer to the resident, so /mydata exports them and /deleteme erases them
(storage/repos/personal_data.py). Which operator took or answered is kept for the working
group's accountability (the audit log has it too) but left out of the resident's export:
the resident sees the role of who answers, not a person's account.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base

HANDOFF_WAITING = "waiting"  # in the queue, nobody has taken it yet
HANDOFF_TAKEN = "taken"  # an operator answers
HANDOFF_CLOSED = "closed"
OPEN_STATUSES = (HANDOFF_WAITING, HANDOFF_TAKEN)

FROM_RESIDENT = "resident"
FROM_OPERATOR = "operator"


class HandoffConversation(Base):
    __tablename__ = "handoff_conversations"
    __table_args__ = ({"info": {"export_exclude": ("taken_by", "closed_by")}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=HANDOFF_WAITING, index=True)
    source: Mapped[str] = mapped_column(String(32), default="")  # where the resident asked
    opened_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_message_at: Mapped[datetime] = mapped_column(default=clock.now)
    taken_at: Mapped[datetime | None] = mapped_column(default=None)
    taken_by: Mapped[str | None] = mapped_column(String(160), default=None)
    taken_role: Mapped[str | None] = mapped_column(String(16), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by: Mapped[str | None] = mapped_column(String(160), default=None)


class HandoffMessage(Base):
    __tablename__ = "handoff_messages"
    __table_args__ = ({"info": {"export_exclude": ("operator",)}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_conversations.id", ondelete="CASCADE"), index=True
    )
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(16))  # FROM_RESIDENT or FROM_OPERATOR
    operator: Mapped[str | None] = mapped_column(String(160), default=None)
    role: Mapped[str | None] = mapped_column(String(16), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
