"""Delivery status of messages Svoi sent on Viber, from the `delivered`, `seen` and `failed`
callbacks, keyed by Viber's `message_token` (what `deliver` returns as the message id, and
what the outbox keeps as `platform_message_id`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base

DELIVERED = "delivered"
SEEN = "seen"
FAILED = "failed"
# Callbacks can arrive out of order; a status never moves back to a lower rank.
RANK = {DELIVERED: 1, SEEN: 2, FAILED: 3}


class ViberMessageStatus(Base):
    """The furthest status Viber reported for one outbound message."""

    __tablename__ = "viber_message_status"
    # Keyed by Viber user id alone: personal_data erases it for Viber residents.
    __table_args__ = ({"info": {"channel": "viber"}},)

    message_token: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(12))
    error: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
