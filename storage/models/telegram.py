"""Telegram-only storage: button payloads too long for Telegram's 64-byte `callback_data`.

A long payload is kept here behind a short key derived from it (the same payload always gets
the same key), and the button carries `~<key>`; a pressed key is looked up again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class TelegramCallback(Base):
    """One long button payload, addressed by a short key in `callback_data`."""

    __tablename__ = "telegram_callbacks"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
