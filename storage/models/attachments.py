"""Files residents send (photos of a report): cleaned pictures, never the original bytes.

bot/core/attachments.py checks and re-encodes a picture before it gets here, so no row holds
a camera's metadata or GPS position. `key` is the unguessable name operators' links use
(`/admin/files/<key>`); `purpose` and `owner_id` say what the file belongs to (a report's id
once the report is sent; None while the resident is still writing it). A row expires at
`expires_at` (ATTACHMENT_RETENTION_DAYS) and the maintenance job deletes it; /deleteme
deletes it with the resident. /mydata lists the files without their bytes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class StoredFile(Base):
    __tablename__ = "attachments"
    __table_args__ = (
        Index("ix_attachments_purpose_owner", "purpose", "owner_id"),
        {"info": {"export_exclude": ("data",)}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[int | None] = mapped_column(Integer, default=None)
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="")  # where it was sent from
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
