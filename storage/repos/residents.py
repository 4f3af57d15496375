"""Residents and their dialog state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.models import DialogState, Resident
from storage.repos.common import insert_ignoring_conflicts


class ResidentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert_for_turn(
        self, channel: str, user_id: str, *, locale: str, display_name: str | None = None
    ) -> tuple[Resident, bool]:
        """Create the resident if new and lock the row for this turn (PostgreSQL), so one
        resident's turns run one at a time across instances. Returns (resident, created)."""
        now = clock.now()
        result = await self.session.execute(
            insert_ignoring_conflicts(self.session, Resident)
            .values(
                channel=channel,
                user_id=user_id,
                locale=locale,
                locale_chosen=False,
                display_name=display_name[:128] if display_name else None,
                is_active=True,
                created_at=now,
                last_seen_at=now,
            )
            .returning(Resident.id)
        )
        created = result.scalar_one_or_none() is not None
        resident = (
            await self.session.execute(
                select(Resident)
                .where(Resident.channel == channel, Resident.user_id == user_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one()
        resident.last_seen_at = now
        if display_name and resident.display_name != display_name[:128]:
            resident.display_name = display_name[:128]
        return resident, created

    async def get(self, channel: str, user_id: str) -> Resident | None:
        return (
            await self.session.execute(
                select(Resident).where(Resident.channel == channel, Resident.user_id == user_id)
            )
        ).scalar_one_or_none()

    async def by_id(self, resident_id: int | None) -> Resident | None:
        if resident_id is None:  # e.g. feedback kept anonymously after /deleteme
            return None
        return await self.session.get(Resident, resident_id)

    async def set_active(self, resident: Resident, active: bool, when: datetime) -> None:
        if resident.is_active == active:
            return
        resident.is_active = active
        resident.inactive_since = None if active else when

    async def mark_inactive(self, channel: str, user_id: str) -> None:
        resident = await self.get(channel, user_id)
        if resident is not None:
            await self.set_active(resident, False, clock.now())

    async def state(self, resident: Resident) -> DialogState:
        state = await self.session.get(DialogState, resident.id)
        if state is None:
            state = DialogState(resident_id=resident.id, data={}, offered=[], numbered=[])
            self.session.add(state)
        return state
