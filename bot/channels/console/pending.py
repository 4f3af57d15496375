"""Proactive messages for a terminal resident: shown at their next prompt.

The console has no platform to push to, so no sender runs for it: the chat loop itself is
its delivery target. Before each prompt, `show_pending` takes the due outbox rows of this
resident (`status = pending`, `next_attempt_at` passed), claims them for this process (so a
second terminal of the same resident does not print them again), prints each one in the
resident's language exactly as the senders render it, and records it `sent`. A row whose
category the resident muted is recorded `skipped`, as the senders do; a claim left by a
terminal closed mid-print is taken again once its lease has run out.

A proactive message's buttons are not numbered here: typing a number answers the screen the
resident is on, so a message arriving in between must not take over its numbers. Link
buttons still show as text (label: address).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import timedelta
from typing import Any

from sqlalchemy import Table, and_, or_, select, update

from bot.core.capabilities import CONSOLE
from bot.core.engine import Engine
from bot.core.messages import Button, Reply
from bot.core.ports import ChannelAdapter
from bot.delivery import rendering
from storage import clock
from storage.models.outbox import FAILED, PENDING, SENDING, SENT, SKIPPED, OutboxMessage
from storage.repos.common import dialect_name
from storage.repos.delivery import ClaimedRow, DeliveryRepo

log = logging.getLogger(__name__)
OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
CHANNEL = "console"
BATCH = 50  # rows shown at one prompt; the rest at the next
LEASE = timedelta(seconds=60)  # a terminal killed mid-print: the senders' reclaim rules apply


def holder() -> str:
    """This terminal's claim mark, unique per call of the chat."""
    return f"console:{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


async def _claim(engine: Engine, user_id: str, mark: str) -> list[tuple[ClaimedRow, str]]:
    """Claim the resident's due rows; record muted ones skipped. (row, locale) to show."""
    now = clock.now()
    async with engine.db.transaction() as session:
        due = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.channel == CHANNEL,
                OutboxMessage.user_id == user_id,
                or_(
                    and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
                    # A terminal closed mid-print: its claim runs out, as a sender's does.
                    and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
                ),
            )
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(BATCH)
        )
        if dialect_name(session) == "postgresql":
            due = due.with_for_update(skip_locked=True)
        result = await session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(due.scalar_subquery()))
            .values(status=SENDING, lease_until=now + LEASE, claimed_by=mark)
            .returning(*(OUTBOX.c[name] for name in ClaimedRow.__dataclass_fields__))
        )
        rows = [ClaimedRow(**row._asdict()) for row in result]
        if not rows:
            return []
        rows.sort(key=lambda r: (r.created_at or now, r.id))
        repo = DeliveryRepo(session)
        recipients = await repo.recipients(
            CHANNEL, [user_id], [r.resident_id for r in rows if r.resident_id is not None]
        )
        recipient = recipients.get(user_id)
        mutes = await repo.mutes([recipient.resident_id] if recipient else [])
        locale = recipient.locale if recipient else engine.i18n.default_locale
        shown: list[tuple[ClaimedRow, str]] = []
        skipped: list[dict[str, Any]] = []
        for row in rows:
            if recipient is not None and (recipient.resident_id, row.category) in mutes:
                skipped.append(_outcome(row, SKIPPED, error="muted"))
            else:
                shown.append((row, locale))
        await repo.record(skipped)
    return shown


def _outcome(row: ClaimedRow, status: str, *, error: str | None = None) -> dict[str, Any]:
    now = clock.now()
    return {
        "b_id": row.id,
        "b_status": status,
        "b_attempts": row.attempts + 1,
        "b_next_attempt_at": now,
        "b_message_id": None,
        "b_error": error,
        "b_sent_at": now if status == SENT else None,
        "b_holder": row.claimed_by,
    }


def _replies(engine: Engine, row: ClaimedRow, locale: str) -> list[Reply]:
    reply = rendering.compose(
        engine.i18n,
        locale,
        text=row.text,
        template_key=row.template_key,
        template_args=row.template_args,
        buttons=row.buttons,
        category=row.category,
    )
    reply.buttons = [[b for b in line if not isinstance(b, Button)] for line in reply.buttons]
    reply.buttons = [line for line in reply.buttons if line]
    return rendering.for_channel(reply, CONSOLE, engine.i18n, locale)


async def show_pending(engine: Engine, channel: ChannelAdapter, user_id: str, mark: str) -> int:
    """Print the resident's due proactive messages and record them sent; how many."""
    shown = await _claim(engine, user_id, mark)
    outcomes = []
    for row, locale in shown:
        try:
            parts = _replies(engine, row, locale)
        except Exception as exc:  # a row that cannot be rendered never will be
            log.exception("console: cannot render outbox row %s", row.id)
            outcomes.append(_outcome(row, FAILED, error=f"render: {exc}"[:500]))
            continue
        for part in parts:
            await channel.deliver(user_id, part)
        outcomes.append(_outcome(row, SENT))
    if outcomes:
        async with engine.db.transaction() as session:
            await DeliveryRepo(session).record(outcomes)
    return len(outcomes)
