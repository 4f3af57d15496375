"""The web channel's tables: messages waiting for a resident's open page, and the operator
console's sessions and lock-outs.

`web_pending` holds every message sent to a web resident until their page confirms it has
shown it (an open page gets it at once, a closed one on its next load), so a message is never
lost between a closing tab and a new one. `web_admin_sessions` are server-side console
sessions (only a hash of the cookie's token is stored), `web_admin_lockouts` counts login
attempts per account so every instance sees the same count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class WebPendingMessage(Base):
    """One message for a web resident, kept until their page acknowledges it."""

    __tablename__ = "web_pending"
    # Ids only grow (SQLite AUTOINCREMENT: never reuse the id of an acknowledged, deleted
    # row), so a page's "after id N" and its list of shown ids stay right.
    __table_args__ = (
        Index("ix_web_pending_user", "user_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), default=None, index=True
    )
    user_id: Mapped[str] = mapped_column(String(128))
    message: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class WebAdminSession(Base):
    """A logged-in console session; the cookie holds the token, the row only its hash."""

    __tablename__ = "web_admin_sessions"
    __table_args__ = ({"info": {"erasure": "keep"}},)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(160), index=True)  # "telegram:123"
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column()


class WebAdminLockout(Base):
    """Console login attempts of one account within the current window.

    `failures` counts attempts as they arrive, before their password is checked (a success
    deletes the row), so parallel attempts cannot get more checks than the window allows.
    Rows whose window and lock are over are deleted by the retention job; accounts nobody
    holds get rows only while there are fewer than `MAX_TRACKED_ACCOUNTS`
    (storage/repos/web.py)."""

    __tablename__ = "web_admin_lockouts"
    __table_args__ = ({"info": {"erasure": "keep"}},)

    account: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(default=clock.now)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
