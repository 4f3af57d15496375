"""Queries over the services catalogue and residents' questions to the council."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.models.services import (
    Service,
    ServiceCatalogue,
    ServiceCategory,
    ServiceOffice,
    ServiceQuestion,
)


class ServiceRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the catalogue's stamp -------------------------------------------------------------
    async def catalogue(self) -> ServiceCatalogue | None:
        return (
            (await self.session.execute(select(ServiceCatalogue).order_by(ServiceCatalogue.id)))
            .scalars()
            .first()
        )

    async def stamp(self) -> str | None:
        row = await self.catalogue()
        return None if row is None else row.stamp

    async def mark_imported(self, source: str) -> ServiceCatalogue:
        """Record a changed catalogue: a new stamp makes every instance rebuild its index."""
        row = await self.catalogue()
        if row is None:
            row = ServiceCatalogue(revision=0, stamp="", source="")
            self.session.add(row)
        row.revision += 1
        row.stamp = uuid.uuid4().hex
        row.source = source[-300:]
        row.imported_at = clock.now()
        await self.session.flush()
        return row

    async def is_empty(self) -> bool:
        count = await self.session.scalar(select(func.count()).select_from(Service))
        return not count

    # --- reading for residents -------------------------------------------------------------
    async def categories(self) -> list[ServiceCategory]:
        rows = await self.session.execute(
            select(ServiceCategory).order_by(ServiceCategory.position, ServiceCategory.id)
        )
        return list(rows.scalars())

    async def category(self, category_id: int) -> ServiceCategory | None:
        return await self.session.get(ServiceCategory, category_id)

    async def count_in(self, category_id: int) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Service).where(Service.category_id == category_id)
        )
        return int(count or 0)

    async def services_in(self, category_id: int, offset: int, limit: int) -> list[Service]:
        rows = await self.session.execute(
            select(Service)
            .where(Service.category_id == category_id)
            .order_by(Service.position, Service.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows.scalars())

    async def service(self, service_id: int) -> Service | None:
        return await self.session.get(Service, service_id)

    async def office(self, office_id: int) -> ServiceOffice | None:
        return await self.session.get(ServiceOffice, office_id)

    async def services_by_id(self, ids: Sequence[int]) -> dict[int, Service]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Service).where(Service.id.in_(list(ids))))
        return {service.id: service for service in rows.scalars()}

    # --- the whole catalogue (import, export, search index) ------------------------------
    async def all_offices(self) -> list[ServiceOffice]:
        rows = await self.session.execute(
            select(ServiceOffice).order_by(ServiceOffice.position, ServiceOffice.id)
        )
        return list(rows.scalars())

    async def all_services(self) -> list[Service]:
        rows = await self.session.execute(select(Service).order_by(Service.position, Service.id))
        return list(rows.scalars())

    async def remove_services(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(delete(Service).where(Service.id.in_(list(ids))))

    async def remove_categories(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(
                delete(ServiceCategory).where(ServiceCategory.id.in_(list(ids)))
            )

    async def remove_offices(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(delete(ServiceOffice).where(ServiceOffice.id.in_(list(ids))))

    # --- questions to the council --------------------------------------------------------
    async def questions(self, limit: int = 1000) -> list[ServiceQuestion]:
        rows = await self.session.execute(
            select(ServiceQuestion).order_by(ServiceQuestion.id.desc()).limit(limit)
        )
        return list(rows.scalars())
