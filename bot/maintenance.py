"""Housekeeping the scheduler runs: data retention and expired files.

Delivered messages keep their row (for reports) but lose their contents after
`RETENTION_DAYS`; handled inbound events are dropped after the same period (their ids only
matter while a platform may still redeliver: Telegram keeps updates 24 h, Viber retries for an
hour); so are long Telegram button payloads no message has carried for that long (pressing
such a button then gets the "outdated button" answer); expired download links are deleted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Text, cast, delete, update

from bot.config import Settings
from storage.db import Database
from storage.models import InboundEvent, OutboxMessage
from storage.models.access import Download
from storage.models.outbox import FAILED, SENT, SKIPPED, UNKNOWN
from storage.models.telegram import TelegramCallback
from storage.repos.inbox import DONE
from storage.repos.inbox import FAILED as FAILED_EVENT

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionReport:
    outbox_stripped: int
    events_deleted: int
    downloads_deleted: int
    callbacks_deleted: int = 0


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
        downloads = await session.execute(delete(Download).where(Download.expires_at <= now))
        callbacks = await session.execute(
            delete(TelegramCallback).where(TelegramCallback.created_at < cutoff)
        )
    report = RetentionReport(
        getattr(stripped, "rowcount", 0) or 0,
        getattr(events, "rowcount", 0) or 0,
        getattr(downloads, "rowcount", 0) or 0,
        getattr(callbacks, "rowcount", 0) or 0,
    )
    log.info("retention: %s", report)
    return report
