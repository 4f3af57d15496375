"""Retention strips delivered message contents and drops old events and expired files."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.config import Settings
from bot.delivery.outbox import Notification, enqueue
from bot.maintenance import run_retention
from storage import clock
from storage.db import Database
from storage.models import InboundEvent, OutboxMessage
from storage.models.telegram import TelegramCallback
from storage.repos.access import DownloadRepo
from storage.repos.inbox import InboxRepo


async def test_retention(db: Database, settings: Settings) -> None:
    now = clock.now()
    old = now - timedelta(days=settings.retention_days + 1)
    async with db.transaction() as session:
        await enqueue(
            session,
            [
                Notification(None, "test", "a", "broadcast", "old-sent", text="old text"),
                Notification(None, "test", "b", "broadcast", "old-pending", text="still to send"),
                Notification(
                    None,
                    "test",
                    "c",
                    "reminder",
                    "new-sent",
                    template_key="k",
                    template_args={"street": "Трудова"},
                ),
            ],
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedup_key.in_(("old-sent", "old-pending")))
            .values(created_at=old)
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedup_key.in_(("old-sent", "new-sent")))
            .values(status="sent")
        )
        inbox = InboxRepo(session)
        await inbox.record("test", "e-old", "{}")
        await inbox.record("test", "e-new", "{}")
        await inbox.record("test", "e-pending", "{}")
        for event_id in ("e-old", "e-new"):
            event = await inbox.claim("test", event_id)
            assert event is not None
            await inbox.mark_done(event)
        await session.execute(
            update(InboundEvent)
            .where(InboundEvent.event_id.in_(("e-old", "e-pending")))
            .values(received_at=old)
        )
        downloads = DownloadRepo(session)
        await downloads.create(None, "a.json", "application/json", b"{}", ttl=timedelta(seconds=-1))
        kept = await downloads.create(None, "b.json", "application/json", b"{}")
        session.add_all(
            [
                TelegramCallback(key="old", payload="p:" + "x" * 80, created_at=old),
                TelegramCallback(key="new", payload="p:" + "y" * 80, created_at=now),
            ]
        )

    report = await run_retention(db, settings, now)
    assert (report.outbox_stripped, report.events_deleted, report.downloads_deleted) == (1, 1, 1)
    assert report.callbacks_deleted == 1
    assert report.unfinished_events_deleted == 1
    async with db.transaction() as session:
        rows = {r.dedup_key: r for r in (await session.execute(select(OutboxMessage))).scalars()}
        assert rows["old-sent"].text is None and rows["old-sent"].status == "sent"
        assert rows["old-pending"].text == "still to send"
        assert rows["new-sent"].template_args == {"street": "Трудова"}
        events = set((await session.execute(select(InboundEvent.event_id))).scalars())
        assert events == {"e-new"}  # unfinished past the cutoff: dropped too
        assert await DownloadRepo(session).get(kept) is not None
        callbacks = set((await session.execute(select(TelegramCallback.key))).scalars())
        assert callbacks == {"new"}
    again = await run_retention(db, settings, now)
    assert (again.outbox_stripped, again.events_deleted, again.downloads_deleted) == (0, 0, 0)
    assert again.callbacks_deleted == 0
    assert again.unfinished_events_deleted == 0
