"""Queries for waste collection: reference data, subscriptions, due reminders, the
watermark and calendar links."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Table,
    any_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.models import OutboxMessage, Resident
from storage.models.delivery import DeliveryMute
from storage.models.outbox import INSERT_COLUMNS, select_new_row
from storage.models.waste import (
    CollectionException,
    CollectionRule,
    DropOffPoint,
    EcobusStop,
    WasteCalendarLink,
    WasteReminderWatermark,
    WasteStreet,
    WasteSubscription,
    WasteType,
    WasteZone,
)
from storage.repos.common import dialect_insert, dialect_name, insert_ignoring_conflicts

REMINDERS = "reminders"


@dataclass(frozen=True, slots=True)
class SubscriptionKey:
    """What the tick needs to decide whether and in which language to remind."""

    id: int
    zone_id: int
    types: tuple[str, ...]
    locale: str


@dataclass(frozen=True, slots=True)
class DueSubscription:
    """A subscription joined with what a reminder needs to reach its resident."""

    id: int
    zone_id: int
    types: tuple[str, ...]
    address: str
    resident_id: int
    channel: str
    user_id: str
    locale: str


@lru_cache(maxsize=256)
def _type_list(text: str | None) -> tuple[str, ...]:
    return tuple(str(code) for code in json.loads(text or "[]"))


class WasteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- reference data -----------------------------------------------------------------
    async def types(self) -> list[WasteType]:
        rows = await self.session.execute(select(WasteType).order_by(WasteType.position))
        return list(rows.scalars())

    async def zones(self) -> list[WasteZone]:
        rows = await self.session.execute(select(WasteZone).order_by(WasteZone.id))
        return list(rows.scalars())

    async def zone(self, zone_id: int) -> WasteZone | None:
        return await self.session.get(WasteZone, zone_id)

    async def zone_by_code(self, code: str) -> WasteZone | None:
        return (
            await self.session.execute(select(WasteZone).where(WasteZone.code == code))
        ).scalar_one_or_none()

    async def streets(self, zone_id: int | None = None) -> list[WasteStreet]:
        query = select(WasteStreet).order_by(WasteStreet.id)
        if zone_id is not None:
            query = query.where(WasteStreet.zone_id == zone_id)
        return list((await self.session.execute(query)).scalars())

    async def street(self, street_id: int) -> WasteStreet | None:
        return await self.session.get(WasteStreet, street_id)

    async def rules(self, zone_id: int | None = None) -> list[CollectionRule]:
        query = select(CollectionRule).order_by(CollectionRule.id)
        if zone_id is not None:
            query = query.where(CollectionRule.zone_id == zone_id)
        return list((await self.session.execute(query)).scalars())

    async def exceptions(
        self, zone_id: int | None = None, since: date | None = None
    ) -> list[CollectionException]:
        query = select(CollectionException).order_by(CollectionException.id)
        if zone_id is not None:
            query = query.where(CollectionException.zone_id == zone_id)
        if since is not None:
            # A day moved from before `since` may land after it; a month covers any move.
            query = query.where(
                (CollectionException.original_date >= since)
                | (CollectionException.moved_to >= since)
            )
        return list((await self.session.execute(query)).scalars())

    async def exception(
        self, zone_id: int, waste_type: str, original: date
    ) -> CollectionException | None:
        return (
            await self.session.execute(
                select(CollectionException).where(
                    CollectionException.zone_id == zone_id,
                    CollectionException.waste_type == waste_type,
                    CollectionException.original_date == original,
                )
            )
        ).scalar_one_or_none()

    async def dropoff_points(self) -> list[DropOffPoint]:
        rows = await self.session.execute(select(DropOffPoint).order_by(DropOffPoint.id))
        return list(rows.scalars())

    async def ecobus_stops(self, after: datetime | None = None) -> list[EcobusStop]:
        query = select(EcobusStop).order_by(EcobusStop.starts_at, EcobusStop.id)
        if after is not None:
            query = query.where(EcobusStop.ends_at > after)
        return list((await self.session.execute(query)).scalars())

    async def is_empty(self) -> bool:
        count = (await self.session.execute(select(func.count()).select_from(WasteType))).scalar()
        return not count

    # --- subscriptions ------------------------------------------------------------------
    async def subscriptions_of(self, resident_id: int) -> list[WasteSubscription]:
        rows = await self.session.execute(
            select(WasteSubscription)
            .where(WasteSubscription.resident_id == resident_id)
            .order_by(WasteSubscription.id)
        )
        return list(rows.scalars())

    async def subscription_of(
        self, resident_id: int, subscription_id: int
    ) -> WasteSubscription | None:
        sub = await self.session.get(WasteSubscription, subscription_id)
        if sub is None or sub.resident_id != resident_id:
            return None
        return sub

    async def subscription_at(
        self, resident_id: int, zone_id: int, address: str
    ) -> WasteSubscription | None:
        """The resident's subscription to this address, if any (one per address)."""
        rows = await self.session.execute(
            select(WasteSubscription)
            .where(
                WasteSubscription.resident_id == resident_id,
                WasteSubscription.zone_id == zone_id,
                WasteSubscription.address == address[:160],
            )
            .order_by(WasteSubscription.id)
            .limit(1)
        )
        return rows.scalar_one_or_none()

    async def add_subscription(
        self,
        resident_id: int,
        zone_id: int,
        address: str,
        types: Sequence[str],
        remind_offset: int,
        remind_hour: int,
    ) -> WasteSubscription:
        sub = WasteSubscription(
            resident_id=resident_id,
            zone_id=zone_id,
            address=address[:160],
            types=list(types),
            remind_offset=remind_offset,
            remind_hour=remind_hour,
            paused=False,
            created_at=clock.now(),
        )
        self.session.add(sub)
        await self.session.flush()
        return sub

    async def remove_subscription(self, sub: WasteSubscription) -> None:
        await self.session.delete(sub)
        await self.session.flush()

    async def due_subscription_keys(
        self,
        remind_offset: int,
        remind_hour: int,
        zone_ids: Sequence[int],
        after_id: int,
        limit: int,
    ) -> list[SubscriptionKey]:
        """Active, unpaused subscriptions of the given zones with this reminder time, in id
        order after `after_id` (keyset pages keep memory bounded). Run as a Core statement:
        plain tuples, without the ORM's per-row loading, which costs more than the query
        for 100,000 rows."""
        connection = await self.session.connection()
        rows = await connection.execute(
            select(
                WasteSubscription.id,
                WasteSubscription.zone_id,
                # As text: most subscriptions share a handful of type lists, parsed once.
                cast(WasteSubscription.types, String),
                Resident.locale,
            )
            .join(Resident, Resident.id == WasteSubscription.resident_id)
            .where(
                WasteSubscription.remind_offset == remind_offset,
                WasteSubscription.remind_hour == remind_hour,
                WasteSubscription.zone_id.in_(list(zone_ids)),
                WasteSubscription.paused.is_(False),
                Resident.is_active.is_(True),
                WasteSubscription.id > after_id,
            )
            .order_by(WasteSubscription.id)
            .limit(limit)
        )
        return [SubscriptionKey(r[0], r[1], _type_list(r[2]), r[3]) for r in rows.all()]

    def _json_object(self, pairs: Sequence[tuple[str, Any]]) -> ColumnElement[Any]:
        """A JSON object built by the database (PostgreSQL and SQLite spell it differently);
        plain values are bound as text, expressions are used as they are."""
        postgres = self._dialect() == "postgresql"
        build = func.json_build_object if postgres else func.json_object
        parts: list[Any] = []
        for key, value in pairs:
            parts.append(cast(literal(key), String))
            parts.append(
                value if isinstance(value, ColumnElement) else cast(literal(value), String)
            )
        return build(*parts)

    def _json_array(self, items: Sequence[ColumnElement[Any]]) -> ColumnElement[Any]:
        build = func.json_build_array if self._dialect() == "postgresql" else func.json_array
        return build(*items)

    def _id_in(self, ids: Sequence[int]) -> ColumnElement[bool]:
        # PostgreSQL takes the ids as one array parameter (cheaper to bind and plan than
        # thousands of IN parameters); SQLite has no arrays.
        if self._dialect() == "postgresql":
            return WasteSubscription.id == any_(
                bindparam("subscription_ids", list(ids), type_=postgresql.ARRAY(Integer))
            )
        return WasteSubscription.id.in_(list(ids))

    def _dialect(self) -> str:
        return dialect_name(self.session)

    async def enqueue_reminders(
        self,
        subscription_ids: Sequence[int],
        day: date,
        template_key: str,
        template_args: dict[str, str],
        buttons: Sequence[tuple[str, str]],
        *,
        signature: str,
        kind: str,
        category: str,
        urgent: bool,
        now: datetime,
    ) -> int:
        """One outbox row per resident, zone and collection day for what the reminder says
        (`signature`: the waste types it names), keyed
        `waste:rem:<resident>:<zone>:<day>:<signature>`, built by the database in one
        INSERT … SELECT. A resident with two subscriptions that say the same (the same
        address twice, or two houses of one zone) gets one reminder, never two.

        The rows are built by `select_new_row`, as `enqueue` builds a `Notification`'s, with
        the template arguments plus the subscription's `address`, and buttons whose payload
        is the given prefix followed by the subscription id; residents who muted `category`
        get nothing, and an existing key is left alone. Returns how many rows were added.
        """
        if not subscription_ids:
            return 0
        sub_id = cast(WasteSubscription.id, String)
        args = self._json_object(
            [*template_args.items(), ("address", cast(WasteSubscription.address, String))]
        )
        row_buttons = self._json_array(
            [
                self._json_array(
                    [
                        self._json_object(
                            [
                                ("key", key),
                                ("payload", cast(literal(prefix), String) + sub_id),
                                ("args", self._json_object([])),
                            ]
                        )
                        for key, prefix in buttons
                    ]
                )
            ]
        )
        rows = (
            select(
                *select_new_row(
                    dedup_key=(
                        cast(literal("waste:rem:"), String)
                        + cast(Resident.id, String)
                        + ":"
                        + cast(WasteSubscription.zone_id, String)
                        + f":{day.isoformat()}:{signature}"
                    ),
                    resident_id=Resident.id,
                    channel=Resident.channel,
                    user_id=Resident.user_id,
                    kind=kind,
                    category=category,
                    urgent=urgent,
                    template_key=template_key,
                    template_args=args,
                    buttons=row_buttons,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            .select_from(WasteSubscription)
            .join(Resident, Resident.id == WasteSubscription.resident_id)
            .where(
                self._id_in(subscription_ids),
                ~exists().where(
                    DeliveryMute.resident_id == Resident.id, DeliveryMute.category == category
                ),
            )
        )
        outbox: Table = OutboxMessage.__table__  # type: ignore[assignment]
        result = await self.session.execute(
            dialect_insert(self.session, outbox)
            .from_select(list(INSERT_COLUMNS), rows)
            .on_conflict_do_nothing()
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def subscribers_of_zone(
        self, zone_id: int, after_id: int, limit: int
    ) -> list[DueSubscription]:
        """Every active subscription of a zone, paused ones included (a change notice
        matters even when reminders are off)."""
        rows = await self.session.execute(
            select(
                WasteSubscription.id,
                WasteSubscription.zone_id,
                WasteSubscription.types,
                WasteSubscription.address,
                Resident.id,
                Resident.channel,
                Resident.user_id,
                Resident.locale,
            )
            .join(Resident, Resident.id == WasteSubscription.resident_id)
            .where(
                WasteSubscription.zone_id == zone_id,
                Resident.is_active.is_(True),
                WasteSubscription.id > after_id,
            )
            .order_by(WasteSubscription.id)
            .limit(limit)
        )
        return [
            DueSubscription(r[0], r[1], tuple(r[2] or ()), r[3], r[4], r[5], r[6], r[7])
            for r in rows.all()
        ]

    # --- the reminder watermark ---------------------------------------------------------
    async def lock_watermark(self, initial: datetime) -> WasteReminderWatermark:
        """The watermark row, locked until the transaction ends (PostgreSQL: FOR UPDATE;
        SQLite's BEGIN IMMEDIATE already serialises writers), created at `initial`."""
        await self.session.execute(
            insert_ignoring_conflicts(self.session, WasteReminderWatermark).values(
                name=REMINDERS, reached_at=initial, updated_at=clock.now()
            )
        )
        return (
            await self.session.execute(
                select(WasteReminderWatermark)
                .where(WasteReminderWatermark.name == REMINDERS)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one()

    # --- calendar links -----------------------------------------------------------------
    async def calendar_token(self, resident_id: int) -> str:
        await self.session.execute(
            insert_ignoring_conflicts(self.session, WasteCalendarLink).values(
                token=secrets.token_urlsafe(32), resident_id=resident_id, created_at=clock.now()
            )
        )
        link = (
            await self.session.execute(
                select(WasteCalendarLink).where(WasteCalendarLink.resident_id == resident_id)
            )
        ).scalar_one()
        return link.token

    async def resident_by_token(self, token: str) -> Resident | None:
        link = await self.session.get(WasteCalendarLink, token)
        if link is None:
            return None
        return await self.session.get(Resident, link.resident_id)

    # --- import helpers -----------------------------------------------------------------
    async def replace_zone_streets(self, zone_id: int, rows: Sequence[dict[str, Any]]) -> None:
        await self.session.execute(delete(WasteStreet).where(WasteStreet.zone_id == zone_id))
        for row in rows:
            self.session.add(WasteStreet(zone_id=zone_id, **row))

    async def replace_zone_rules(
        self, zone_id: int, rows: Sequence[dict[str, Any]], waste_type: str | None = None
    ) -> None:
        query = delete(CollectionRule).where(CollectionRule.zone_id == zone_id)
        if waste_type is not None:
            query = query.where(CollectionRule.waste_type == waste_type)
        await self.session.execute(query)
        for row in rows:
            self.session.add(CollectionRule(zone_id=zone_id, **row))
