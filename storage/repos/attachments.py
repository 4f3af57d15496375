"""Queries over residents' files (storage/models/attachments.py). What may be stored is
bot/core/attachments.py's decision; who may see a file, the console's."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from storage.models.attachments import StoredFile


class AttachmentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        resident_id: int,
        *,
        purpose: str,
        data: bytes,
        mime: str,
        width: int,
        height: int,
        sha256: str,
        channel: str,
        now: datetime,
        expires_at: datetime,
    ) -> StoredFile:
        row = StoredFile(
            key=secrets.token_hex(16),
            resident_id=resident_id,
            purpose=purpose,
            mime=mime,
            size=len(data),
            width=width,
            height=height,
            sha256=sha256,
            channel=channel,
            created_at=now,
            expires_at=expires_at,
            data=data,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, key: str, *, with_data: bool = False) -> StoredFile | None:
        query = select(StoredFile).where(StoredFile.key == key)
        if with_data:
            query = query.options(undefer(StoredFile.data))
        return (await self.session.execute(query)).scalar_one_or_none()

    async def assign(
        self, resident_id: int, purpose: str, ids: Sequence[int], owner_id: int
    ) -> None:
        """Give the resident's files of `purpose` that nothing owns yet (uploaded while a
        report was written) to what they belong to; other ids are left alone."""
        if ids:
            await self.session.execute(
                update(StoredFile)
                .where(
                    StoredFile.id.in_(ids),
                    StoredFile.resident_id == resident_id,
                    StoredFile.purpose == purpose,
                    StoredFile.owner_id.is_(None),
                )
                .values(owner_id=owner_id)
            )

    async def for_owners(
        self, purpose: str, owner_ids: Sequence[int]
    ) -> dict[int, list[StoredFile]]:
        """Each owner's files, in the order they were sent (metadata only)."""
        found: dict[int, list[StoredFile]] = {}
        if not owner_ids:
            return found
        rows = await self.session.execute(
            select(StoredFile)
            .where(StoredFile.purpose == purpose, StoredFile.owner_id.in_(owner_ids))
            .order_by(StoredFile.id)
        )
        for row in rows.scalars():
            assert row.owner_id is not None
            found.setdefault(row.owner_id, []).append(row)
        return found

    async def delete_ids(self, ids: Sequence[int]) -> int:
        if not ids:
            return 0
        result = await self.session.execute(delete(StoredFile).where(StoredFile.id.in_(ids)))
        return int(getattr(result, "rowcount", 0) or 0)

    async def delete_for(self, purpose: str, owner_ids: Sequence[int]) -> int:
        if not owner_ids:
            return 0
        result = await self.session.execute(
            delete(StoredFile).where(
                StoredFile.purpose == purpose, StoredFile.owner_id.in_(owner_ids)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def delete_expired(self, now: datetime, unowned_before: datetime) -> int:
        """Delete files past their expiry, and files sent before `unowned_before` that
        nothing took (a report the resident never sent); the count deleted."""
        result = await self.session.execute(
            delete(StoredFile).where(
                (StoredFile.expires_at <= now)
                | (StoredFile.owner_id.is_(None) & (StoredFile.created_at < unowned_before))
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
