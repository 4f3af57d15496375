"""The outbox: every message Svoi sends on its own initiative is a row here first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, literal, null
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


# The columns a new row is written with. Every writer builds its rows with `new_row` (one
# row's values: `bot.delivery.outbox.enqueue`) or `select_new_row` (the columns of a bulk
# `INSERT … SELECT`: broadcasts, waste reminders), so the format lives here only.
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
# What a writer need not say: a new row waits to be sent, untried, unmuted by category.
ROW_DEFAULTS: dict[str, Any] = {
    "category": "",
    "priority": 0,
    "urgent": False,
    "template_key": None,
    "template_args": {},
    "text": None,
    "buttons": [],
    "status": PENDING,
    "attempts": 0,
    "broadcast_id": None,
}


def new_row(**values: Any) -> dict[str, Any]:
    """A new outbox row's values: every column of INSERT_COLUMNS, from `values` or the
    defaults. An unknown or missing column is a programming error, raised at once."""
    unknown = set(values) - set(INSERT_COLUMNS)
    if unknown:
        raise TypeError(f"not outbox columns: {sorted(unknown)}")
    row = {**ROW_DEFAULTS, **values}
    missing = [name for name in INSERT_COLUMNS if name not in row]
    if missing:
        raise TypeError(f"outbox row without {missing}")
    if (row["template_key"] is None) == (row["text"] is None):
        raise ValueError("an outbox row has either a template_key or a text")
    return {name: row[name] for name in INSERT_COLUMNS}


def select_new_row(**values: Any) -> list[ColumnElement[Any]]:
    """The columns of an `INSERT … SELECT` into the outbox, in INSERT_COLUMNS order: each
    value a SQL expression (from the query's tables) or a plain value, which becomes a
    literal of the column's own type. Defaults and checks as in `new_row`; a SQL expression
    for `template_key` or `text` counts as given."""
    row = new_row(**values)
    table = OutboxMessage.__table__
    columns: list[ColumnElement[Any]] = []
    for name in INSERT_COLUMNS:
        value = row[name]
        if isinstance(value, ColumnElement):
            columns.append(value)
        elif hasattr(value, "__clause_element__"):  # a mapped attribute such as Resident.id
            columns.append(value.__clause_element__())
        elif value is None:
            columns.append(null())
        else:
            columns.append(literal(value, type_=table.c[name].type))
    return columns
