"""Residents' reports of a problem in the city ("Повідомити про проблему"): what, where
(a shared location or an address the street matcher read, with its waste zone), a
description, photos (storage/models/attachments.py, purpose "report", owner the report's id),
and what the working group did (status and comment).

The table refers to the resident, so /mydata exports it and /deleteme erases it with its
photos. Who changed a status is in the audit log, not here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base

RECEIVED = "received"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
REJECTED = "rejected"
STATUSES = (RECEIVED, IN_PROGRESS, RESOLVED, REJECTED)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_category_created", "category", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(16), unique=True, default=None)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    address: Mapped[str] = mapped_column(String(300), default="")
    zone_id: Mapped[int | None] = mapped_column(Integer, default=None)
    operator_comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
