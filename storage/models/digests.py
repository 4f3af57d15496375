"""Digests (docs/digests.md): a resident's choice, per digest category, of a daily or weekly
digest instead of notifications as they happen, and the notifications collected for it.

`digest_preferences` holds one row per resident and digest category ("plan", "answers");
no row means "as it happens". `due_at` is the choice's next scheduled time (the first after
choosing, so a new choice never sends at once; moved on by every digest run that passes it):
a run finds its work through the index on it.
`digest_items` are the diverted notifications, rendered in the resident's language only
when the digest is composed; `dedup_key` keeps the outbox's promise: collected once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class DigestPreference(Base):
    """«Daily digest at `hour`» or «weekly digest» for one digest category."""

    __tablename__ = "digest_preferences"
    __table_args__ = (Index("ix_digest_preferences_due", "due_at"),)

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))  # "daily" | "weekly"
    hour: Mapped[int] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()


class DigestItem(Base):
    """One notification waiting for its resident's digest."""

    __tablename__ = "digest_items"
    __table_args__ = (Index("ix_digest_items_resident", "resident_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24))
    template_key: Mapped[str | None] = mapped_column(String(64), default=None)
    template_args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
