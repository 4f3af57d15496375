"""The inbox of platform events: recorded before the webhook answers, processed once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.models import InboundEvent
from storage.repos.common import insert_ignoring_conflicts

RECEIVED = "received"
DONE = "done"
FAILED = "failed"


class InboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, channel: str, event_id: str, body: str) -> bool:
        """Store the event; False when it was already recorded (a duplicate delivery)."""
        result = await self.session.execute(
            insert_ignoring_conflicts(self.session, InboundEvent)
            .values(
                channel=channel,
                event_id=event_id,
                body=body,
                status=RECEIVED,
                attempts=0,
                received_at=clock.now(),
            )
            .returning(InboundEvent.id)
        )
        return result.scalar_one_or_none() is not None

    async def claim(self, channel: str, event_id: str) -> InboundEvent | None:
        """Lock the event for processing; None when it is unknown or already done."""
        event = (
            await self.session.execute(
                select(InboundEvent)
                .where(InboundEvent.channel == channel, InboundEvent.event_id == event_id)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if event is None or event.status == DONE:
            return None
        return event

    async def get(self, channel: str, event_id: str) -> InboundEvent | None:
        return (
            await self.session.execute(
                select(InboundEvent).where(
                    InboundEvent.channel == channel, InboundEvent.event_id == event_id
                )
            )
        ).scalar_one_or_none()

    async def mark_done(self, event: InboundEvent) -> None:
        # The raw body holds the resident's message; once handled only the id is needed.
        event.body = ""
        event.status = DONE
        event.attempts += 1
        event.processed_at = clock.now()

    async def mark_attempt_failed(
        self, channel: str, event_id: str, error: str, max_attempts: int
    ) -> None:
        event = await self.get(channel, event_id)
        if event is None:
            return
        event.attempts += 1
        event.error = error[:2000]
        if event.attempts >= max_attempts:
            event.status = FAILED
            event.body = ""  # given up: the resident's message is not kept

    async def pending(
        self, channel: str, older_than: timedelta, limit: int = 100
    ) -> list[InboundEvent]:
        """Events recorded but not processed (a crash or a failure): the sweeper retries them."""
        cutoff: datetime = clock.now() - older_than
        rows = await self.session.execute(
            select(InboundEvent)
            .where(
                InboundEvent.channel == channel,
                InboundEvent.status == RECEIVED,
                InboundEvent.received_at < cutoff,
            )
            .order_by(InboundEvent.id)
            .limit(limit)
        )
        return list(rows.scalars())

    async def purge_done(self, older_than: timedelta) -> None:
        await self.session.execute(
            update(InboundEvent)
            .where(InboundEvent.status == DONE, InboundEvent.received_at < clock.now() - older_than)
            .values(body="")
        )
