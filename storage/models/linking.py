"""Linking channels (docs/linking.md): the one-time codes a resident shows in one messenger
and types (or opens as a deep link) in another, and the count of wrong guesses per resident.

A code belongs to the channel resident who asked for it; it is valid for ten minutes and
once. `linking_guesses` bounds how many wrong codes one resident may try per window.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class LinkCode(Base):
    """A one-time code: shown to `resident_id`, redeemed by another channel's resident."""

    __tablename__ = "linking_codes"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class LinkGuesses(Base):
    """Wrong codes one channel resident typed in the current window."""

    __tablename__ = "linking_guesses"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    window_start: Mapped[datetime] = mapped_column(default=clock.now)
    wrong: Mapped[int] = mapped_column(default=0)
