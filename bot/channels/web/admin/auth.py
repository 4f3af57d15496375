"""Who may use the console: passwords, logins with lock-out, sessions, CSRF and roles.

* An account is a chat address with a role, `telegram:123456789`; its password hash (argon2id)
  is `access_roles.password_hash`, set with `python -m bot roles set-password`.
* Five failed logins within 15 minutes lock the account for 15 minutes (counted in the
  database, so every instance sees them); a locked account is refused even with the right
  password, and an unknown account costs the same time as a known one. Attempts are counted
  before the password is checked, so parallel attempts get no more than five checks.
* No transaction is open while a password is checked (see `login`), and every attempt is
  audited: done, refused or locked.
* A session is a random token in an HttpOnly, SameSite=Strict cookie limited to `/admin`
  (Secure when PUBLIC_BASE_URL is https); the database keeps only its hash, for 8 hours.
* Every POST carries the session's CSRF token (form field `csrf` or header `X-CSRF-Token`)
  and, when the browser sends one, a same-origin `Origin`.
* The role is read again on every request (stored roles and the OPERATORS/ADMINS settings):
  a demoted operator loses the console at their next click.
"""

from __future__ import annotations

import asyncio
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from storage.db import Database
from storage.models.access import Role
from storage.repos.access import LOGIN_ACTION, AuditRepo, RoleRepo, RoleResolver
from storage.repos.web import FAILURE_WINDOW as FAILURE_WINDOW
from storage.repos.web import LOCK_FOR as LOCK_FOR
from storage.repos.web import MAX_FAILURES as MAX_FAILURES
from storage.repos.web import AdminSessionRepo, Attempt, LockoutRepo, NewSession

COOKIE = "svoi_admin"
LOGIN_COOKIE = "svoi_admin_login"  # double-submit token for the login form
SESSION_TTL = timedelta(hours=8)
ACCOUNT = re.compile(r"^[a-z][a-z0-9]{0,15}:[A-Za-z0-9_.@+-]{1,128}$")
CONSOLE_ROLES = ("operator", "admin")
MIN_PASSWORD = 12
# Logins handled at once by one instance; more wait for their turn holding nothing. Each
# costs ~0.2 s of CPU (argon2) and two short write transactions: a flood of anonymous
# attempts gets this share of the machine and of SQLite's write lock, not all of it.
CONCURRENT_LOGINS = 1

_hasher = PasswordHasher()
# Verified against when the account has no password, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("svoi: no such account")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """argon2 takes tens of milliseconds of CPU: off the event loop."""
    return await asyncio.to_thread(_verify, stored, password)


def parse_account(value: str) -> tuple[str, str] | None:
    value = value.strip()
    if not ACCOUNT.match(value):
        return None
    channel, _, user_id = value.partition(":")
    return channel, user_id


def resolver(settings: Settings) -> RoleResolver:
    return RoleResolver(settings.admin_addresses, settings.operator_addresses)


async def role_of(session: AsyncSession, settings: Settings, account: str) -> str | None:
    parsed = parse_account(account)
    if parsed is None:
        return None
    return await resolver(settings).role(session, *parsed)


async def set_password(
    session: AsyncSession, settings: Settings, channel: str, user_id: str, password: str
) -> str:
    """Store a new password hash (ending the account's sessions); returns the role.

    The account needs a role: a stored one, or one from OPERATORS/ADMINS (then stored)."""
    hashed = hash_password(password)
    row = (
        await session.execute(select(Role).where(Role.channel == channel, Role.user_id == user_id))
    ).scalar_one_or_none()
    if row is None:
        role = resolver(settings).configured(channel, user_id)
        if role is None:
            raise LookupError(f"{channel}:{user_id} has no role; grant one first")
        await RoleRepo(session).grant(channel, user_id, role, granted_by="cli:set-password")
        await session.flush()
        row = (
            await session.execute(
                select(Role).where(Role.channel == channel, Role.user_id == user_id)
            )
        ).scalar_one()
    row.password_hash = hashed
    await AdminSessionRepo(session).end_all(f"{channel}:{user_id}")
    return row.role


DONE, REFUSED, LOCKED = "done", "refused", "locked"


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: str  # DONE, REFUSED (wrong account or password) or LOCKED
    locked_until: datetime | None = None
    session: NewSession | None = None
    role: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == DONE


async def login(
    db: Database,
    settings: Settings,
    account: str,
    password: str,
    now: datetime,
    *,
    client: str,
) -> LoginResult:
    """One login attempt from `client` (an address), audited whatever its outcome.

    No transaction stays open while the password is checked (argon2: ~0.2 s of CPU per
    check; on SQLite an open transaction holds the only write lock, and every resident's
    turn would wait behind it). Instead: (1) a short transaction counts the attempt against
    the account and reads the stored hash — a locked account, or an attempt past the
    window's allowance, is refused there without a check; (2) the password is checked in a
    worker thread; (3) a short transaction records the result: a session, or the lock."""
    parsed = parse_account(account)
    actor = account if parsed is not None else "web:unknown"
    attempt = Attempt(0, None)
    stored: str | None = None
    role: str | None = None
    async with db.transaction() as session:
        lockouts = LockoutRepo(session)
        if parsed is not None:
            stored = await _password_hash(session, *parsed)
            role = await role_of(session, settings, account)
            # Accounts nobody holds are counted like real ones (the answers must not tell
            # them apart), while there is room: an attacker can invent any number.
            if stored is not None or await lockouts.tracks(account) or await lockouts.has_room(now):
                attempt = await lockouts.count(account, now)
        if attempt.refused(now):
            until = attempt.locked_until
            _audit(session, actor, role, client, LOCKED, checked=False)
            return LoginResult(
                LOCKED, locked_until=until if until and until > now else now + LOCK_FOR
            )
    # A malformed account is nobody's: no check, it tells nothing about real accounts.
    right = parsed is not None and await verify_password(stored, password) and role is not None
    async with db.transaction() as session:
        lockouts = LockoutRepo(session)
        if right:
            await lockouts.clear(account)
            new = await AdminSessionRepo(session).create(account, now, SESSION_TTL)
            _audit(session, actor, role, client, DONE, checked=True)
            return LoginResult(DONE, session=new, role=role)
        if attempt.last_allowed:
            until = now + LOCK_FOR
            await lockouts.lock(account, until)
            _audit(session, actor, role, client, LOCKED, checked=parsed is not None)
            return LoginResult(LOCKED, locked_until=until)
        _audit(session, actor, role, client, REFUSED, checked=parsed is not None)
        return LoginResult(REFUSED)


async def _password_hash(session: AsyncSession, channel: str, user_id: str) -> str | None:
    return (
        await session.execute(
            select(Role.password_hash).where(Role.channel == channel, Role.user_id == user_id)
        )
    ).scalar_one_or_none()


def _audit(
    session: AsyncSession, actor: str, role: str | None, client: str, outcome: str, checked: bool
) -> None:
    # The role is that of the account tried (none for an account nobody holds: such rows
    # are anonymous, and the retention job drops them after RETENTION_DAYS).
    AuditRepo(session).write(
        actor, role, LOGIN_ACTION, client, outcome, via="web", password_checked=checked
    )


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
