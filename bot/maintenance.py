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

Residents' photos (storage/models/attachments.py) are deleted when they expire
(`ATTACHMENT_RETENTION_DAYS`), and after a day when nothing took them (a report the resident
started and never sent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.config import Settings
from storage.db import Database
from storage.models.telegram import TelegramCallback
from storage.repos.access import AuditRepo, DownloadRepo
from storage.repos.attachments import AttachmentRepo
from storage.repos.delivery import DeliveryRepo
from storage.repos.inbox import InboxRepo
from storage.repos.residents import trim_mutes
from storage.repos.web import LockoutRepo

log = logging.getLogger(__name__)
UNSENT_FILES_KEPT = timedelta(days=1)  # photos of a report that was never sent


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
    files_deleted: int = 0


async def run_retention(db: Database, settings: Settings, now: datetime) -> RetentionReport:
    cutoff = now - timedelta(days=settings.retention_days)
    async with db.transaction() as session:
        stripped = await DeliveryRepo(session).strip_finished(cutoff)
        inbox = InboxRepo(session)
        events = await inbox.purge_finished(cutoff)
        unfinished = await inbox.purge_unfinished(cutoff)
        downloads = await DownloadRepo(session).purge_expired(now)
        callbacks = await session.execute(
            delete(TelegramCallback).where(TelegramCallback.created_at < cutoff)
        )
        lockouts = await LockoutRepo(session).purge_stale(now)
        logins = await AuditRepo(session).purge_anonymous_logins(cutoff)
        mutes = await trim_mutes(session)
        files = await AttachmentRepo(session).delete_expired(now, now - UNSENT_FILES_KEPT)
    if unfinished:
        log.warning(
            "retention: deleted %d inbound events never finished, older than the cutoff (%s)",
            sum(unfinished.values()),
            ", ".join(f"{channel}: {count}" for channel, count in sorted(unfinished.items())),
        )
    report = RetentionReport(
        stripped,
        events,
        downloads,
        getattr(callbacks, "rowcount", 0) or 0,
        sum(unfinished.values()),
        lockouts,
        logins,
        mutes,
        files,
    )
    log.info("retention: %s", report)
    return report
