"""Roles, the audit log and download links."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Integer, Table, bindparam, case, delete, exists, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.models.access import (
    ADMIN,
    OPERATOR,
    ROLES,
    VIEWER,
    AuditEntry,
    Download,
    FloodWindow,
    Role,
)
from storage.repos.common import dialect_module, dialect_name

_RANK = {None: 0, VIEWER: 1, OPERATOR: 2, ADMIN: 3}
# Who may read the audit log, in the chat (/audit) and in the console (/admin/audit) alike:
# it holds other people's data (who did what, on whom, from which address), so admins only.
AUDIT_READERS = frozenset({ADMIN})
LOGIN_ACTION = "web-login"  # a console login attempt, in the audit log


def may_read_audit(role: str | None) -> bool:
    return role in AUDIT_READERS


def stronger(a: str | None, b: str | None) -> str | None:
    return a if _RANK.get(a, 0) >= _RANK.get(b, 0) else b


@dataclass(frozen=True, slots=True)
class RoleResolver:
    """The one answer to "what may this person do", for the chat, the console and the sender:
    the stronger of the role an admin stored (`roles`) and the one the settings give
    (ADMINS, OPERATORS: `(channel, user_id)` pairs)."""

    admins: frozenset[tuple[str, str]]
    operators: frozenset[tuple[str, str]]

    def configured(self, channel: str, user_id: str) -> str | None:
        if (channel, user_id) in self.admins:
            return ADMIN
        if (channel, user_id) in self.operators:
            return OPERATOR
        return None

    async def role(self, session: AsyncSession, channel: str, user_id: str) -> str | None:
        stored = await RoleRepo(session).get(channel, user_id)
        return self.resolve(stored, channel, user_id)

    def resolve(self, stored: str | None, channel: str, user_id: str) -> str | None:
        """The role, given the one stored (read already, e.g. with the turn's state)."""
        return stronger(stored, self.configured(channel, user_id))


class RoleRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, channel: str, user_id: str) -> str | None:
        return (
            await self.session.execute(
                select(Role.role).where(Role.channel == channel, Role.user_id == user_id)
            )
        ).scalar_one_or_none()

    async def grant(self, channel: str, user_id: str, role: str, granted_by: str) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        row = (
            await self.session.execute(
                select(Role).where(Role.channel == channel, Role.user_id == user_id)
            )
        ).scalar_one_or_none()
        if row is None:
            self.session.add(
                Role(
                    channel=channel,
                    user_id=user_id,
                    role=role,
                    granted_by=granted_by,
                    granted_at=clock.now(),
                )
            )
        else:
            row.role, row.granted_by, row.granted_at = role, granted_by, clock.now()

    async def revoke(self, channel: str, user_id: str) -> bool:
        result = await self.session.execute(
            delete(Role).where(Role.channel == channel, Role.user_id == user_id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def all(self) -> Sequence[Role]:
        return (
            (
                await self.session.execute(
                    select(Role).order_by(Role.role, Role.channel, Role.user_id)
                )
            )
            .scalars()
            .all()
        )


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def write(
        self,
        actor: str,
        role: str | None,
        action: str,
        target: str = "",
        outcome: str = "done",
        **details: Any,
    ) -> None:
        self.session.add(
            AuditEntry(
                actor=actor[:160],
                role=role or "",
                action=action[:64],
                target=target[:160],
                outcome=outcome,
                details=details,
                at=clock.now(),
            )
        )

    async def latest(self, limit: int = 20) -> Sequence[AuditEntry]:
        return (
            (
                await self.session.execute(
                    select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
                )
            )
            .scalars()
            .all()
        )

    async def purge_anonymous_logins(self, before: datetime) -> int:
        """Failed console logins of accounts nobody holds, older than `before`.

        Anyone can try to log in with an invented account, and each attempt is audited:
        those rows say nothing about the working group's accounts, so they are not kept
        for ever like the rest of the log (the retention job calls this)."""
        held = exists().where((Role.channel + ":" + Role.user_id) == AuditEntry.actor)
        result: Any = await self.session.execute(
            delete(AuditEntry).where(
                AuditEntry.action == LOGIN_ACTION,
                AuditEntry.outcome != "done",
                AuditEntry.role == "",
                AuditEntry.at < before,
                ~held,
            )
        )
        return int(result.rowcount or 0)

    async def since(self, start: datetime | None = None) -> Sequence[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if start is not None:
            query = query.where(AuditEntry.at >= start)
        return (await self.session.execute(query)).scalars().all()


class DownloadRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self,
        resident_id: int | None,
        filename: str,
        mime_type: str,
        content: bytes,
        ttl: timedelta = timedelta(days=1),
    ) -> str:
        token = secrets.token_urlsafe(32)
        now = clock.now()
        self.session.add(
            Download(
                token=token,
                resident_id=resident_id,
                filename=filename[:128],
                mime_type=mime_type[:64],
                content=content,
                created_at=now,
                expires_at=now + ttl,
            )
        )
        return token

    async def get(self, token: str) -> Download | None:
        row = await self.session.get(Download, token)
        if row is None or row.expires_at <= clock.now():
            return None
        return row

    async def purge_expired(self, now: datetime) -> int:
        """Delete the download links that expired by `now`; how many."""
        result = await self.session.execute(delete(Download).where(Download.expires_at <= now))
        return int(getattr(result, "rowcount", 0) or 0)


class FloodVerdict(StrEnum):
    OK = "ok"
    WARN = "warn"  # the first message over the limit: say "please slow down" once
    IGNORE = "ignore"  # further messages in the same window


FLOOD: Table = FloodWindow.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class FloodRule:
    """At most `limit` messages per resident in a fixed window of `window`."""

    limit: int
    window: timedelta


def count_flood(insert: Any) -> Any:
    """`insert … ON CONFLICT (resident_id) DO UPDATE` counting one message on a resident's
    window: the first message after the window ends starts a new one (count 1); `warned`
    marks a window past the limit. `insert` gives the new row's values (window_start = the
    turn's time, count 1, not warned); binds `b_floor` (the turn's time less the window)
    and `b_limit`. The one definition of the window, whether it runs alone
    (`FloodRepo.count`) or inside the statement that opens a turn on PostgreSQL
    (storage/repos/turns.py)."""
    new = FLOOD.c.window_start <= bindparam("b_floor", type_=FLOOD.c.window_start.type)
    counted = FLOOD.c.count + 1
    return insert.on_conflict_do_update(
        index_elements=["resident_id"],
        set_={
            "window_start": case((new, insert.excluded.window_start), else_=FLOOD.c.window_start),
            "count": case((new, 1), else_=counted),
            "warned": case((new, false()), else_=counted > bindparam("b_limit", type_=Integer)),
        },
    ).returning(FLOOD.c.count)


def flood_binds(rule: FloodRule, now: datetime) -> dict[str, Any]:
    return {"b_floor": now - rule.window, "b_limit": rule.limit}


def flood_verdict(count: int, limit: int) -> FloodVerdict:
    """What the `count`-th message of a window gets: answered up to the limit, told once to
    slow down, then ignored until the window ends."""
    if count <= limit:
        return FloodVerdict.OK
    return FloodVerdict.WARN if count == limit + 1 else FloodVerdict.IGNORE


@functools.cache
def _flood_alone(dialect: str) -> Any:
    """`count_flood` for one resident given by a bind (built once)."""
    insert = (
        dialect_module(dialect)
        .insert(FLOOD)
        .values(
            resident_id=bindparam("b_resident"),
            window_start=bindparam("b_now", type_=FLOOD.c.window_start.type),
            count=1,
            warned=False,
        )
    )
    return count_flood(insert)


class FloodRepo:
    """A fixed window per resident, in the database so every instance sees the same count
    (the resident row is locked for the turn, so the read-modify-write is safe)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, resident_id: int, now: datetime, rule: FloodRule) -> FloodVerdict:
        """Count one message on the resident's window: one statement, without flushing the
        turn's pending ORM changes first (a new dialog state is inserted once, at the end)."""
        with self.session.no_autoflush:
            result = await self.session.execute(
                _flood_alone(dialect_name(self.session)),
                {"b_resident": resident_id, "b_now": now, **flood_binds(rule, now)},
            )
        return flood_verdict(int(result.scalar_one()), rule.limit)
