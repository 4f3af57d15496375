"""Waste collection: types, zones and their streets, collection rules and exceptions,
drop-off points, Ecobus stops, residents' subscriptions and the reminder watermark.

Reference data (everything but subscriptions, calendar links and the watermark) is imported
from `content/waste.yaml` or the operators' files (`python -m bot waste import`); rows that
are not confirmed facts carry `is_example` so the bot labels them "приклад / example".
Texts a resident reads are JSON objects by language, `{"uk": ..., "en": ...}` (migration
waste_0003; read them with `bot.core.i18n.localized`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class WasteType(Base):
    """A fraction residents put out or take somewhere: mixed, recyclables, glass, …"""

    __tablename__ = "waste_types"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hint: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)


class WasteZone(Base):
    """An area served on the same days: a microdistrict, a village, or part of one."""

    __tablename__ = "waste_zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kind: Mapped[str] = mapped_column(String(16), default="microdistrict")
    latitude: Mapped[float | None] = mapped_column(default=None)
    longitude: Mapped[float | None] = mapped_column(default=None)
    is_example: Mapped[bool] = mapped_column(default=False)


class WasteStreet(Base):
    """A street, or a range of its houses on one side, that belongs to a zone."""

    __tablename__ = "waste_streets"
    __table_args__ = (Index("ix_waste_streets_zone", "zone_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("waste_zones.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="вул.")
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    house_from: Mapped[int | None] = mapped_column(default=None)
    house_to: Mapped[int | None] = mapped_column(default=None)
    side: Mapped[str] = mapped_column(String(8), default="all")
    is_example: Mapped[bool] = mapped_column(default=False)


class CollectionRule(Base):
    """When one waste type is collected in one zone: an RFC 5545 RRULE from `starts_on`
    and/or explicit dates, with an optional local time window."""

    __tablename__ = "waste_collection_rules"
    __table_args__ = (Index("ix_waste_collection_rules_zone", "zone_id", "waste_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("waste_zones.id", ondelete="CASCADE"))
    waste_type: Mapped[str] = mapped_column(ForeignKey("waste_types.code", ondelete="CASCADE"))
    rrule: Mapped[str | None] = mapped_column(String(300), default=None)
    dates: Mapped[list[Any]] = mapped_column(default=list)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    window_start: Mapped[str | None] = mapped_column(String(5), default=None)
    window_end: Mapped[str | None] = mapped_column(String(5), default=None)
    note: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_example: Mapped[bool] = mapped_column(default=False)


class CollectionException(Base):
    """One collection day cancelled (`moved_to` empty) or moved, with the reason."""

    __tablename__ = "waste_collection_exceptions"
    __table_args__ = (UniqueConstraint("zone_id", "waste_type", "original_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("waste_zones.id", ondelete="CASCADE"))
    waste_type: Mapped[str] = mapped_column(ForeignKey("waste_types.code", ondelete="CASCADE"))
    original_date: Mapped[date] = mapped_column(Date)
    moved_to: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class DropOffPoint(Base):
    """A place residents go to: the waste-management centres (`kind` "centre", taking the
    fractions in `accepts`, each `{"uk": …, "en": …}`) and the waste company's office."""

    __tablename__ = "waste_dropoff_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="centre")
    phone: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    accepts: Mapped[list[Any]] = mapped_column(default=list)
    latitude: Mapped[float | None] = mapped_column(default=None)
    longitude: Mapped[float | None] = mapped_column(default=None)
    is_example: Mapped[bool] = mapped_column(default=False)


class EcobusStop(Base):
    """One stop of the Ecobus tour (hazardous household waste) on a date and time."""

    __tablename__ = "waste_ecobus_stops"
    __table_args__ = (Index("ix_waste_ecobus_stops_starts", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    place: Mapped[dict[str, Any]] = mapped_column(default=dict)
    latitude: Mapped[float | None] = mapped_column(default=None)
    longitude: Mapped[float | None] = mapped_column(default=None)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    is_example: Mapped[bool] = mapped_column(default=False)


class WasteSubscription(Base):
    """A resident's reminders for one address: which types, and when (`remind_offset` days
    relative to the collection day — -1 the evening before, 0 the morning of — at
    `remind_hour` local time)."""

    __tablename__ = "waste_subscriptions"
    __table_args__ = (
        # The tick pages through one reminder time in id order (keyset pagination).
        Index("ix_waste_subscriptions_due", "remind_offset", "remind_hour", "id"),
        Index("ix_waste_subscriptions_zone", "zone_id", "id"),
        Index("ix_waste_subscriptions_resident", "resident_id"),
        # One subscription per address (migration waste_0002 merged earlier duplicates).
        UniqueConstraint("resident_id", "zone_id", "address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("waste_zones.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(160))
    types: Mapped[list[Any]] = mapped_column(default=list)
    remind_offset: Mapped[int] = mapped_column(default=-1)
    remind_hour: Mapped[int] = mapped_column(default=19)
    paused: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class WasteCalendarLink(Base):
    """An unguessable token that serves a resident's collections as an .ics file (for
    channels that cannot send documents, and for calendar apps that subscribe to a URL)."""

    __tablename__ = "waste_calendar_links"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class WasteReminderWatermark(Base):
    """Up to when reminders have been enqueued: the tick continues from here."""

    __tablename__ = "waste_reminder_watermark"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    reached_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
