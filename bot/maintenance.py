"""Housekeeping the scheduler runs: data retention and expired files.

Delivered messages keep their row (for reports) but lose their contents after
`RETENTION_DAYS`; inbound events are dropped after the same period (their ids only matter
while a platform may still redeliver: Telegram keeps updates 24 h, Viber retries for an
hour) — handled ones, and also ones never finished (a crash, or a channel whose inbox is
not retried), whose raw body would otherwise be kept for ever; so are long Telegram button
payloads no message has carried for that long (pressing such a button then gets the
"outdated button" answer); expired download links are deleted.

State anyone can create without an account is bounded here too: console lock-out counts
whose window and lock are over, failed console logins of accounts nobody holds (audited
like every attempt, dropped after `RETENTION_DAYS`), and muted categories past
`MAX_MUTES` per resident.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Text, cast, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from storage.db import Database
from storage.models import InboundEvent, OutboxMessage
from storage.models.access import Download
from storage.models.outbox import FAILED, SENT, SKIPPED, UNKNOWN
from storage.models.telegram import TelegramCallback
from storage.repos.access import AuditRepo
from storage.repos.inbox import DONE
from storage.repos.inbox import FAILED as FAILED_EVENT
from storage.repos.residents import trim_mutes
from storage.repos.web import LockoutRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionReport:
    outbox_stripped: int
    events_deleted: int
    downloads_deleted: int
    callbacks_deleted: int = 0
    unfinished_events_deleted: int = 0
    lockouts_deleted: int = 0
    anonymous_logins_deleted: int = 0
    mutes_deleted: int = 0


async def run_retention(db: Database, settings: Settings, now: datetime) -> RetentionReport:
    cutoff = now - timedelta(days=settings.retention_days)
    async with db.transaction() as session:
        stripped = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status.in_((SENT, SKIPPED, FAILED, UNKNOWN)),
                OutboxMessage.created_at < cutoff,
                OutboxMessage.text.is_not(None) | (cast(OutboxMessage.template_args, Text) != "{}"),
            )
            .values(text=None, template_args={}, buttons=[], error=None)
        )
        events = await session.execute(
            delete(InboundEvent).where(
                InboundEvent.status.in_((DONE, FAILED_EVENT)), InboundEvent.received_at < cutoff
            )
        )
        unfinished = await _delete_unfinished_events(session, cutoff)
        downloads = await session.execute(delete(Download).where(Download.expires_at <= now))
        callbacks = await session.execute(
            delete(TelegramCallback).where(TelegramCallback.created_at < cutoff)
        )
        lockouts = await LockoutRepo(session).purge_stale(now)
        logins = await AuditRepo(session).purge_anonymous_logins(cutoff)
        mutes = await trim_mutes(session)
    report = RetentionReport(
        getattr(stripped, "rowcount", 0) or 0,
        getattr(events, "rowcount", 0) or 0,
        getattr(downloads, "rowcount", 0) or 0,
        getattr(callbacks, "rowcount", 0) or 0,
        unfinished,
        lockouts,
        logins,
        mutes,
    )
    log.info("retention: %s", report)
    return report


async def _delete_unfinished_events(session: AsyncSession, cutoff: datetime) -> int:
    """Events recorded before `cutoff` and never finished: no platform redelivers them any
    more and no sweeper will (Viber's inbox has none), so only their raw bodies — residents'
    messages — would stay. Logged per channel, as each is a message nobody answered."""
    old = (InboundEvent.status.not_in((DONE, FAILED_EVENT)), InboundEvent.received_at < cutoff)
    per_channel = (
        await session.execute(
            select(InboundEvent.channel, func.count()).where(*old).group_by(InboundEvent.channel)
        )
    ).all()
    if not per_channel:
        return 0
    await session.execute(delete(InboundEvent).where(*old))
    total = sum(count for _, count in per_channel)
    log.warning(
        "retention: deleted %d inbound events never finished, older than the cutoff (%s)",
        total,
        ", ".join(f"{channel}: {count}" for channel, count in sorted(per_channel)),
    )
    return total
