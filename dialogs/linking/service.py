"""Linking channels: the ONLY implementation of issuing a code, linking (merging two
profiles), unlinking and choosing the channel for notifications (docs/linking.md).

Every function runs in the caller's transaction and works on channel residents (the row of
the chat that acts). The chat flow (flow.py) words each outcome itself.

Rules:
  * a code is CODE_LENGTH characters of ALPHABET (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), at least
    one letter and one digit, valid CODE_TTL, once; asking again replaces the old code;
  * a resident may fail MAX_FAILURES times per GUESS_WINDOW (a wrong, expired or used
    code); then every code is refused until the window ends;
  * merging: the older profile (its first channel's `created_at`) wins on settings
    (language); of two rows that may exist once per person (a vote in a poll, a follow, a
    subscription to one address, a mute) the earlier stays; every other row is kept;
  * unlinking: the shared profile stays with the channels still linked; the leaving
    channel keeps the language and starts with an empty profile.
"""

from __future__ import annotations

import enum
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Resident
from storage.models.linking import LinkCode, LinkGuesses
from storage.repos import linking

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=10)
MAX_FAILURES = 5
GUESS_WINDOW = timedelta(minutes=15)
DEEP_LINK_PREFIX = "link-"
# What a typed code looks like: six characters of the alphabet, in any case, maybe with a
# space or dash in the middle ("K7M 4QX"); anything else is not a code attempt.
CODE_SHAPE = re.compile(rf"^[{ALPHABET}]{{3}}[ -]?[{ALPHABET}]{{3}}$", re.IGNORECASE)


class Outcome(enum.Enum):
    LINKED = "linked"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    OWN = "own"  # the resident's own code, or a channel of their own profile
    SAME_CHANNEL = "same-channel"  # a code from another account of the same messenger
    TOO_MANY = "too-many"


@dataclass(frozen=True, slots=True)
class Redeemed:
    outcome: Outcome
    holder: Resident | None = None  # the profile's holder after linking
    retry_at: datetime | None = None  # when guessing may go on (TOO_MANY)


def normalize(text: str) -> str:
    return "".join(text.split()).replace("-", "").upper()


def looks_like_code(text: str) -> bool:
    """A text that is a code attempt: the shape, with a letter and a digit in it."""
    text = text.strip()
    if not CODE_SHAPE.match(text):
        return False
    code = normalize(text)
    return any(c.isdigit() for c in code) and any(c.isalpha() for c in code)


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            return code


def holder_id(resident: Resident) -> int:
    return resident.profile_id if resident.profile_id is not None else resident.id


async def channels(session: AsyncSession, resident: Resident) -> list[Resident]:
    """Every channel of the resident's profile (the resident alone when unlinked)."""
    return await linking.members(session, holder_id(resident))


async def issue_code(session: AsyncSession, own: Resident, now: datetime) -> LinkCode:
    """A new one-time code for `own`; earlier codes of `own` stop working. Codes past their
    time and finished guess windows of anyone are cleared on the way (they are small)."""
    await session.execute(
        delete(LinkCode).where(or_(LinkCode.resident_id == own.id, LinkCode.expires_at <= now))
    )
    await session.execute(delete(LinkGuesses).where(LinkGuesses.window_start <= now - GUESS_WINDOW))
    while True:
        code = _new_code()
        if await session.get(LinkCode, code) is None:
            break
    row = LinkCode(code=code, resident_id=own.id, created_at=now, expires_at=now + CODE_TTL)
    session.add(row)
    await session.flush()
    return row


async def _guesses(session: AsyncSession, own: Resident, now: datetime) -> LinkGuesses:
    row = await session.get(LinkGuesses, own.id)
    if row is None:
        row = LinkGuesses(resident_id=own.id, window_start=now, wrong=0)
        session.add(row)
    elif now - row.window_start >= GUESS_WINDOW:
        row.window_start, row.wrong = now, 0
    return row


async def _failed(guesses: LinkGuesses, outcome: Outcome) -> Redeemed:
    guesses.wrong += 1
    return Redeemed(outcome)


async def redeem(
    session: AsyncSession, own: Resident, text: str, now: datetime, *, prefer_free: bool
) -> Redeemed:
    """Link `own`'s channel with the channel that showed the code `text`."""
    guesses = await _guesses(session, own, now)
    if guesses.wrong >= MAX_FAILURES:
        return Redeemed(Outcome.TOO_MANY, retry_at=guesses.window_start + GUESS_WINDOW)
    row = await session.get(LinkCode, normalize(text)[:8], with_for_update=True)
    if row is None:
        return await _failed(guesses, Outcome.WRONG)
    if row.used_at is not None:
        return await _failed(guesses, Outcome.USED)
    if row.expires_at <= now:
        return await _failed(guesses, Outcome.EXPIRED)
    issuer = await session.get(Resident, row.resident_id)
    if issuer is None:  # the issuer deleted their data meanwhile
        return await _failed(guesses, Outcome.WRONG)
    if holder_id(issuer) == holder_id(own):
        return Redeemed(Outcome.OWN)
    group_a = await channels(session, issuer)
    group_b = await channels(session, own)
    if {m.channel for m in group_a} & {m.channel for m in group_b}:
        return Redeemed(Outcome.SAME_CHANNEL)
    row.used_at = now
    holder = await merge(session, group_a, group_b, own, prefer_free=prefer_free)
    return Redeemed(Outcome.LINKED, holder=holder)


async def merge(
    session: AsyncSession,
    group_a: list[Resident],
    group_b: list[Resident],
    last_used: Resident,
    *,
    prefer_free: bool,
) -> Resident:
    """One profile from two: the older profile's settings (and its choice of channel, if
    any), both histories, the earlier of two rows that may exist once. Returns the holder."""
    holder_a = next(m for m in group_a if m.profile_id is None)
    holder_b = next(m for m in group_b if m.profile_id is None)
    older, newer = sorted((holder_a, holder_b), key=lambda m: (m.created_at, m.id))
    older_group = group_a if older is holder_a else group_b
    newer_group = group_b if older is holder_a else group_a
    if any(m.notify_here for m in older_group):
        for member in newer_group:
            member.notify_here = False
    people = [*older_group, *newer_group]
    target = linking.choose_holder(people, last_used, prefer_free=prefer_free)
    locale, chosen = older.locale, older.locale_chosen
    # The older profile's rows go first, so its row stays where two lack `created_at`.
    for source in (older, newer):
        if source.id != target.id:
            await linking.move_rows(session, source, target)
    target.locale, target.locale_chosen = locale, chosen
    for member in people:
        member.profile_id = None if member.id == target.id else target.id
    await session.flush()
    return target


async def unlink(session: AsyncSession, own: Resident, *, prefer_free: bool) -> bool:
    """Take `own`'s channel out of its profile; False when it was linked to no one."""
    people = await channels(session, own)
    if len(people) < 2:
        return False
    holder = next(m for m in people if m.profile_id is None)
    rest = [m for m in people if m.id != own.id]
    if holder.id == own.id:
        holder = await linking.make_holder(
            session, people, own, linking.choose_holder(rest, None, prefer_free=prefer_free)
        )
    own.locale, own.locale_chosen = holder.locale, holder.locale_chosen
    own.profile_id, own.notify_here = None, False
    if len(rest) == 1:
        rest[0].profile_id = None
    await session.flush()
    return True


async def prefer(
    session: AsyncSession, own: Resident, channel: str | None, *, prefer_free: bool
) -> Resident | None:
    """Send notifications to the profile's `channel` (None: the channel last used, here).
    Returns the new holder, or None when the profile has no such channel."""
    people = await channels(session, own)
    chosen = next((m for m in people if m.channel == channel), None)
    if channel is not None and chosen is None:
        return None
    for member in people:
        member.notify_here = member is chosen
    holder = next(m for m in people if m.profile_id is None)
    new = linking.choose_holder(people, own, prefer_free=prefer_free)
    return await linking.make_holder(session, people, holder, new)


async def forget_codes(session: AsyncSession, own: Resident) -> None:
    await session.execute(delete(LinkCode).where(LinkCode.resident_id == own.id))


async def active_code(session: AsyncSession, own: Resident, now: datetime) -> LinkCode | None:
    return (
        await session.scalars(
            select(LinkCode).where(
                LinkCode.resident_id == own.id,
                LinkCode.used_at.is_(None),
                LinkCode.expires_at > now,
            )
        )
    ).first()
