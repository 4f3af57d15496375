"""Who may act for the working group (roles), what they did (audit log), and files residents
download by link (their data export, calendars) on channels that cannot receive files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base

ADMIN = "admin"
OPERATOR = "operator"
VIEWER = "viewer"
ROLES = (ADMIN, OPERATOR, VIEWER)


class Role(Base):
    """A channel user's role; OPERATORS/ADMINS settings add to these, never remove."""

    __tablename__ = "access_roles"
    __table_args__ = (
        UniqueConstraint("channel", "user_id"),
        {"info": {"erasure": "keep", "export_exclude": ("password_hash",)}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[str] = mapped_column(String(160), default="")
    granted_at: Mapped[datetime] = mapped_column(default=clock.now)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)


class AuditEntry(Base):
    """One operator action or refused attempt: who, what, when, on what."""

    __tablename__ = "access_audit"
    __table_args__ = (Index("ix_access_audit_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor: Mapped[str] = mapped_column(String(160))
    role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(160), default="")
    outcome: Mapped[str] = mapped_column(String(16), default="done")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Download(Base):
    """A file behind an unguessable link, for channels that cannot receive documents."""

    __tablename__ = "access_downloads"
    __table_args__ = ({"info": {"export_exclude": ("content",)}},)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(128))
    mime_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text, default=None)


class FloodWindow(Base):
    """How many messages a resident sent in the current window (shared by all instances)."""

    __tablename__ = "access_flood"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    window_start: Mapped[datetime] = mapped_column()
    count: Mapped[int] = mapped_column(default=0)
    warned: Mapped[bool] = mapped_column(default=False)
