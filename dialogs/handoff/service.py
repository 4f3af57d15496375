"""Talking to a person, the only implementation of its actions: a resident opens a
conversation with the working group (or returns to the open one), what they write goes to
the queue, an operator takes it, replies (typed or a canned answer) and closes it; the
resident can end it too. Replies and the closing reach the resident's channel through the
outbox, at once (a person is waiting: `urgent`, not held by quiet hours or an air-raid
alert), within the platforms' limits.

Every function runs in the caller's transaction. A resident has at most one open
conversation; taking and closing are won by the first of two operators (chat and console at
the same moment) and notify the resident once. Every event is audited: operators' with
their `Actor`, the resident's as `resident` (the audit log outlives /deleteme, so it never
names the resident; the conversation's number links the entries).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Actor, Refused, checked_text
from bot.delivery.outbox import OutboxButton, notify_resident
from dialogs.handoff import content
from dialogs.handoff.content import CannedAnswer, WorkingHours
from storage.models.handoff import (
    FROM_OPERATOR,
    FROM_RESIDENT,
    HANDOFF_CLOSED,
    HANDOFF_TAKEN,
    HANDOFF_WAITING,
    OPEN_STATUSES,
    HandoffConversation,
    HandoffMessage,
)
from storage.repos.access import AuditRepo
from storage.repos.handoff import HandoffRepo
from storage.repos.residents import ResidentRepo

__all__ = [
    "END_ACTION",
    "MESSAGE_LIMIT",
    "REPLY_LIMIT",
    "RESUME_ACTION",
    "Opened",
    "Refused",
    "canned",
    "close",
    "close_by_resident",
    "conversation",
    "current",
    "excerpt",
    "hours",
    "open_conversation",
    "queue",
    "reply",
    "reply_canned",
    "resident_says",
    "take",
    "transcript",
    "waiting",
]

# A resident's message and an operator's reply: well inside Telegram's 4,096 characters
# (with the reply's heading) and Viber's 7,000.
MESSAGE_LIMIT = 2000
REPLY_LIMIT = 2000
RESUME_ACTION = "handoff"  # `g:handoff`: open the conversation, or return to the open one
END_ACTION = "handoff-end"  # `g:handoff-end`: the resident ends it (under a reply)
RESIDENT = "resident"  # the audit log's actor for a resident's own events
PRIORITY = 5  # before ordinary broadcasts: a person is waiting for this answer

NOT_FOUND = "web-admin-error-not-found"
CLOSED = "handoff-error-closed"
TAKEN_BY_OTHER = "handoff-error-taken"
NO_CANNED = "handoff-error-no-canned"


def hours() -> WorkingHours:
    return content.load().hours


def canned() -> list[CannedAnswer]:
    return list(content.load().canned)


def excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Opened:
    """What the resident is told on opening: whether it is new, how many wait before it,
    and whether the working group answers now."""

    conversation: HandoffConversation
    created: bool
    ahead: int
    in_hours: bool


def _audit_resident(session: AsyncSession, action: str, conversation_id: int) -> None:
    AuditRepo(session).write(RESIDENT, None, action, str(conversation_id))


async def current(session: AsyncSession, resident_id: int) -> HandoffConversation | None:
    return await HandoffRepo(session).open_for(resident_id)


async def open_conversation(
    session: AsyncSession, resident_id: int, *, source: str = "", now: datetime
) -> Opened:
    """The resident's open conversation, or a new one in the queue."""
    repo = HandoffRepo(session)
    row = await repo.open_for(resident_id)
    created = row is None
    if row is None:
        row = HandoffConversation(
            resident_id=resident_id,
            status=HANDOFF_WAITING,
            source=source[:32],
            opened_at=now,
            last_message_at=now,
        )
        session.add(row)
        await session.flush()
        _audit_resident(session, "handoff-opened", row.id)
    ahead = await repo.ahead_of(row) if row.status == HANDOFF_WAITING else 0
    return Opened(row, created, ahead, hours().is_open(now))


async def resident_says(
    session: AsyncSession, resident_id: int, text: str, *, now: datetime
) -> tuple[HandoffMessage, bool] | None:
    """Add the resident's message to their open conversation: the message and whether it is
    their first one in it; None when no conversation is open (closed meanwhile)."""
    text = text.strip()
    if len(text) > MESSAGE_LIMIT:
        raise Refused("input-too-long", length=len(text), limit=MESSAGE_LIMIT)
    repo = HandoffRepo(session)
    row = await repo.open_for(resident_id)
    if row is None:
        return None
    first = await repo.count_messages(row.id, FROM_RESIDENT) == 0
    message = repo.add_message(row, FROM_RESIDENT, text, now)
    await session.flush()
    _audit_resident(session, "handoff-resident-message", row.id)
    return message, first


async def close_by_resident(
    session: AsyncSession, resident_id: int, *, now: datetime
) -> HandoffConversation | None:
    """The resident ends their open conversation (/cancel, /menu, "End the conversation");
    None when none was open."""
    repo = HandoffRepo(session)
    row = await repo.open_for(resident_id)
    if row is None:
        return None
    if await repo.set_status(
        row.id, OPEN_STATUSES, status=HANDOFF_CLOSED, closed_at=now, closed_by=RESIDENT
    ):
        _audit_resident(session, "handoff-closed-by-resident", row.id)
    await session.refresh(row)
    return row


# --- the working group ---------------------------------------------------------------------
async def queue(
    session: AsyncSession, *, open_only: bool = True, limit: int = 50
) -> Sequence[HandoffConversation]:
    return await HandoffRepo(session).queue(open_only=open_only, limit=limit)


async def waiting(session: AsyncSession) -> int:
    return await HandoffRepo(session).count(HANDOFF_WAITING)


async def conversation(session: AsyncSession, conversation_id: int) -> HandoffConversation | None:
    return await HandoffRepo(session).get(conversation_id)


async def transcript(
    session: AsyncSession, conversation_id: int, *, after: int = 0, last: int | None = None
) -> Sequence[HandoffMessage]:
    """The conversation's messages in order: those after message `after`, or the `last` few."""
    repo = HandoffRepo(session)
    if last is not None:
        return await repo.latest_messages(conversation_id, last)
    return await repo.messages(conversation_id, after=after)


async def _open_row(session: AsyncSession, conversation_id: int) -> HandoffConversation:
    row = await HandoffRepo(session).get(conversation_id)
    if row is None:
        raise Refused(NOT_FOUND)
    if row.status == HANDOFF_CLOSED:
        raise Refused(CLOSED)
    return row


async def _notify(
    session: AsyncSession,
    row: HandoffConversation,
    kind: str,
    dedup_key: str,
    template_key: str,
    args: dict[str, Any],
    buttons: tuple[tuple[OutboxButton, ...], ...],
) -> None:
    await notify_resident(
        session,
        row.resident_id,
        kind=kind,
        dedup_key=dedup_key,
        template_key=template_key,
        template_args=dict(args),
        buttons=buttons,
        priority=PRIORITY,
        urgent=True,
    )


def _end_button() -> tuple[tuple[OutboxButton, ...], ...]:
    return ((OutboxButton("handoff-btn-end", f"g:{END_ACTION}"),),)


async def take(
    session: AsyncSession,
    conversation_id: int,
    *,
    actor: Actor,
    now: datetime,
    notify: bool = True,
) -> HandoffConversation:
    """An operator takes a waiting conversation; the resident is told who answers (the
    role, never the person). Taking one's own again changes nothing; another operator's is
    refused. A reply takes it without the notice: its heading names the role already, and
    two notices of one moment could arrive in either order."""
    row = await _open_row(session, conversation_id)
    if row.status == HANDOFF_TAKEN:
        if row.taken_by == actor.name:
            return row
        raise Refused(TAKEN_BY_OTHER)
    won = await HandoffRepo(session).set_status(
        row.id,
        (HANDOFF_WAITING,),
        status=HANDOFF_TAKEN,
        taken_at=now,
        taken_by=actor.name,
        taken_role=actor.role,
    )
    await session.refresh(row)
    if not won:
        if row.status == HANDOFF_TAKEN and row.taken_by == actor.name:
            return row
        raise Refused(CLOSED if row.status == HANDOFF_CLOSED else TAKEN_BY_OTHER)
    actor.audit(session, "handoff-taken", str(row.id))
    if not notify:
        return row
    await _notify(
        session,
        row,
        "handoff-taken",
        f"handoff-taken:{row.id}",
        "handoff-notify-taken",
        {"role": actor.role or "operator"},
        _end_button(),
    )
    return row


async def _send(
    session: AsyncSession,
    conversation_id: int,
    text: str,
    *,
    actor: Actor,
    now: datetime,
    action: str,
    **details: Any,
) -> HandoffMessage:
    row = await take(session, conversation_id, actor=actor, now=now, notify=False)
    repo = HandoffRepo(session)
    message = repo.add_message(row, FROM_OPERATOR, text, now, operator=actor.name, role=actor.role)
    await session.flush()
    await _notify(
        session,
        row,
        "handoff-reply",
        f"handoff-reply:{message.id}",
        "handoff-notify-reply",
        {"role": actor.role or "operator", "text": text},
        _end_button(),
    )
    actor.audit(session, action, str(row.id), message=message.id, **details)
    return message


async def reply(
    session: AsyncSession, conversation_id: int, text: str, *, actor: Actor, now: datetime
) -> HandoffMessage:
    """An operator's reply; a waiting conversation is taken by the one who replies."""
    text = checked_text(text, REPLY_LIMIT)
    return await _send(
        session, conversation_id, text, actor=actor, now=now, action="handoff-replied"
    )


async def reply_canned(
    session: AsyncSession, conversation_id: int, code: str, *, actor: Actor, now: datetime
) -> HandoffMessage:
    """A canned answer (content/handoff.yaml), in the resident's language."""
    answer = content.load().answer(code)
    if answer is None:
        raise Refused(NO_CANNED)
    row = await _open_row(session, conversation_id)
    resident = await ResidentRepo(session).by_id(row.resident_id)
    locale = resident.locale if resident is not None else "uk"
    text = answer.text_in(locale)[:REPLY_LIMIT]
    return await _send(
        session,
        conversation_id,
        text,
        actor=actor,
        now=now,
        action="handoff-canned",
        canned=answer.code,
    )


async def close(
    session: AsyncSession, conversation_id: int, *, actor: Actor, now: datetime
) -> HandoffConversation:
    """An operator closes the conversation; the resident is told, once."""
    row = await _open_row(session, conversation_id)
    won = await HandoffRepo(session).set_status(
        row.id, OPEN_STATUSES, status=HANDOFF_CLOSED, closed_at=now, closed_by=actor.name
    )
    await session.refresh(row)
    if not won:
        raise Refused(CLOSED)
    await _notify(
        session,
        row,
        "handoff-closed",
        f"handoff-closed:{row.id}",
        "handoff-notify-closed",
        {},
        ((OutboxButton("btn-menu", "g:menu"),),),
    )
    actor.audit(session, "handoff-closed", str(row.id))
    return row
