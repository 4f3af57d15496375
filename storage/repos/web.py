"""Queries of the web channel: pending messages for residents' pages, console sessions and
failed-login counts (see storage/models/web.py)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Resident
from storage.models.web import WebAdminLockout, WebAdminSession, WebPendingMessage
from storage.repos.common import dialect_insert


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


# Five attempts within 15 minutes lock an account for 15 minutes (docs/web.md).
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
# Accounts nobody holds are counted too (so they answer like real ones), but an attacker can
# invent any number of them: at most this many rows are kept (~2 MB), stale ones first.
MAX_TRACKED_ACCOUNTS = 10_000


@dataclass(frozen=True, slots=True)
class Attempt:
    """A login attempt counted against its account before the password is checked."""

    number: int  # within the account's window; 0 when the account is not tracked
    locked_until: datetime | None  # a lock still running when the attempt came

    def refused(self, now: datetime) -> bool:
        """Locked, or past the attempts the window allows: refused without a check."""
        running = self.locked_until is not None and self.locked_until > now
        return running or self.number > MAX_FAILURES

    @property
    def last_allowed(self) -> bool:
        """The last attempt the window allows: failing it locks the account."""
        return self.number == MAX_FAILURES


class LockoutRepo:
    """Login attempts per account in a fixed window, counted *before* the password is
    checked, with one atomic upsert: parallel attempts each get their own number, so no
    more than MAX_FAILURES passwords are checked per window however many arrive at once.
    A success clears the count; failing the last allowed attempt locks the account."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _stale(now: datetime) -> ColumnElement[bool]:
        """A row whose window (or lock) is over: the next attempt starts afresh."""
        return or_(
            and_(
                WebAdminLockout.locked_until.is_(None),
                WebAdminLockout.window_start <= now - FAILURE_WINDOW,
            ),
            WebAdminLockout.locked_until <= now,
        )

    async def count(self, account: str, now: datetime) -> Attempt:
        at = literal(now, WebAdminLockout.window_start.type)
        stale = self._stale(now)
        statement = (
            dialect_insert(self.session, WebAdminLockout.__table__)
            .values(account=account, failures=1, window_start=now, locked_until=None)
            .on_conflict_do_update(
                index_elements=[WebAdminLockout.account],
                set_={
                    "failures": case((stale, 1), else_=WebAdminLockout.failures + 1),
                    "window_start": case((stale, at), else_=WebAdminLockout.window_start),
                    "locked_until": case((stale, null()), else_=WebAdminLockout.locked_until),
                },
            )
            .returning(WebAdminLockout.failures, WebAdminLockout.locked_until)
        )
        number, locked_until = (await self.session.execute(statement)).one()
        return Attempt(number, locked_until)

    async def tracks(self, account: str) -> bool:
        return await self.session.get(WebAdminLockout, account) is not None

    async def has_room(self, now: datetime) -> bool:
        """Room for one more account under MAX_TRACKED_ACCOUNTS (stale rows make room)."""
        if await self._rows() < MAX_TRACKED_ACCOUNTS:
            return True
        await self.purge_stale(now)
        return await self._rows() < MAX_TRACKED_ACCOUNTS

    async def _rows(self) -> int:
        result = await self.session.execute(select(func.count()).select_from(WebAdminLockout))
        return int(result.scalar_one())

    async def lock(self, account: str, until: datetime) -> None:
        await self.session.execute(
            update(WebAdminLockout)
            .where(WebAdminLockout.account == account)
            .values(locked_until=until)
        )

    async def clear(self, account: str) -> None:
        await self.session.execute(
            delete(WebAdminLockout).where(WebAdminLockout.account == account)
        )

    async def purge_stale(self, now: datetime) -> int:
        """Rows whose window and lock are over count nothing any more."""
        result: Any = await self.session.execute(delete(WebAdminLockout).where(self._stale(now)))
        return int(result.rowcount or 0)
