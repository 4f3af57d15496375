"""Queries of the web channel: pending messages for residents' pages, console sessions and
failed-login counts (see storage/models/web.py)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Resident
from storage.models.web import WebAdminLockout, WebAdminSession, WebPendingMessage


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class WebPendingRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, channel: str, user_id: str, message: dict[str, Any], now: datetime) -> int:
        resident_id = (
            await self.session.execute(
                select(Resident.id).where(Resident.channel == channel, Resident.user_id == user_id)
            )
        ).scalar_one_or_none()
        row = WebPendingMessage(
            resident_id=resident_id, user_id=user_id, message=message, created_at=now
        )
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def after(self, user_id: str, after_id: int, limit: int = 50) -> list[WebPendingMessage]:
        rows = await self.session.execute(
            select(WebPendingMessage)
            .where(WebPendingMessage.user_id == user_id, WebPendingMessage.id > after_id)
            .order_by(WebPendingMessage.id)
            .limit(limit)
        )
        return list(rows.scalars())

    async def acknowledge(self, user_id: str, ids: list[int]) -> int:
        if not ids:
            return 0
        result: Any = await self.session.execute(
            delete(WebPendingMessage).where(
                WebPendingMessage.user_id == user_id, WebPendingMessage.id.in_(ids)
            )
        )
        return int(result.rowcount or 0)

    async def purge_older_than(self, moment: datetime) -> int:
        result: Any = await self.session.execute(
            delete(WebPendingMessage).where(WebPendingMessage.created_at < moment)
        )
        return int(result.rowcount or 0)


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str  # goes into the cookie; only its hash is stored
    csrf_token: str


class AdminSessionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, account: str, now: datetime, ttl: timedelta) -> NewSession:
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        self.session.add(
            WebAdminSession(
                token_hash=token_hash(token),
                account=account,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=now + ttl,
            )
        )
        return NewSession(token, csrf)

    async def get(self, token: str, now: datetime) -> WebAdminSession | None:
        row = await self.session.get(WebAdminSession, token_hash(token))
        if row is None or row.expires_at <= now:
            return None
        return row

    async def end(self, token: str) -> None:
        await self.session.execute(
            delete(WebAdminSession).where(WebAdminSession.token_hash == token_hash(token))
        )

    async def end_all(self, account: str) -> None:
        await self.session.execute(
            delete(WebAdminSession).where(WebAdminSession.account == account)
        )

    async def purge_expired(self, now: datetime) -> None:
        await self.session.execute(delete(WebAdminSession).where(WebAdminSession.expires_at <= now))


class LockoutRepo:
    """A fixed window of failed logins per account; too many lock the account for a while."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def locked_until(self, account: str, now: datetime) -> datetime | None:
        row = await self.session.get(WebAdminLockout, account)
        if row is None or row.locked_until is None or row.locked_until <= now:
            return None
        return row.locked_until

    async def fail(
        self, account: str, now: datetime, limit: int, window: timedelta, lock_for: timedelta
    ) -> datetime | None:
        """Count a failure; returns the end of the lock when this one locks the account."""
        row = await self.session.get(WebAdminLockout, account, with_for_update=True)
        if row is None:
            row = WebAdminLockout(account=account, failures=0, window_start=now)
            self.session.add(row)
        if now - row.window_start >= window:
            row.window_start, row.failures = now, 0
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + lock_for
            row.failures, row.window_start = 0, now
            return row.locked_until
        return None

    async def clear(self, account: str) -> None:
        await self.session.execute(
            delete(WebAdminLockout).where(WebAdminLockout.account == account)
        )
