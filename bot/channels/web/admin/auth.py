"""Who may use the console: passwords, logins with lock-out, sessions, CSRF and roles.

* An account is a chat address with a role, `telegram:123456789`; its password hash (argon2id)
  is `access_roles.password_hash`, set with `python -m bot roles set-password`.
* Five failed logins within 15 minutes lock the account for 15 minutes (counted in the
  database, so every instance sees them); a locked account is refused even with the right
  password, and an unknown account costs the same time as a known one.
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
from storage.models.access import Role
from storage.repos.access import RoleRepo, stronger
from storage.repos.web import AdminSessionRepo, LockoutRepo, NewSession

COOKIE = "svoi_admin"
LOGIN_COOKIE = "svoi_admin_login"  # double-submit token for the login form
SESSION_TTL = timedelta(hours=8)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
ACCOUNT = re.compile(r"^[a-z][a-z0-9]{0,15}:[A-Za-z0-9_.@+-]{1,128}$")
CONSOLE_ROLES = ("operator", "admin")
MIN_PASSWORD = 12

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


def settings_role(settings: Settings, channel: str, user_id: str) -> str | None:
    if (channel, user_id) in settings.admin_addresses:
        return "admin"
    if (channel, user_id) in settings.operator_addresses:
        return "operator"
    return None


async def role_of(session: AsyncSession, settings: Settings, account: str) -> str | None:
    parsed = parse_account(account)
    if parsed is None:
        return None
    stored = await RoleRepo(session).get(*parsed)
    return stronger(stored, settings_role(settings, *parsed))


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
        role = settings_role(settings, channel, user_id)
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


@dataclass(frozen=True, slots=True)
class LoginResult:
    ok: bool
    locked_until: datetime | None = None
    session: NewSession | None = None
    role: str | None = None


async def login(
    session: AsyncSession, settings: Settings, account: str, password: str, now: datetime
) -> LoginResult:
    lockouts = LockoutRepo(session)
    locked = await lockouts.locked_until(account, now)
    if locked is not None:
        return LoginResult(False, locked_until=locked)
    parsed = parse_account(account)
    stored: str | None = None
    if parsed is not None:
        stored = (
            await session.execute(
                select(Role.password_hash).where(
                    Role.channel == parsed[0], Role.user_id == parsed[1]
                )
            )
        ).scalar_one_or_none()
    role = await role_of(session, settings, account)
    if not await verify_password(stored, password) or role is None:
        until = await lockouts.fail(account, now, MAX_FAILURES, FAILURE_WINDOW, LOCK_FOR)
        return LoginResult(False, locked_until=until)
    await lockouts.clear(account)
    new = await AdminSessionRepo(session).create(account, now, SESSION_TTL)
    return LoginResult(True, session=new, role=role)


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
