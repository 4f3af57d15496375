"""Delivery: what residents muted, and the working group's broadcasts with their progress.

`delivery_mutes` holds one row per resident and muted notification category (a `g:mute:…`
button on a proactive message adds it); the outbox skips those residents when enqueuing and
again when sending. `delivery_broadcasts` is one operator broadcast: its text, audience,
schedule and lifecycle (scheduled → sending → done | cancelled); its messages are outbox rows
with `broadcast_id` set.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base
from storage.models.outbox import OutboxMessage

SCHEDULED = "scheduled"
SENDING = "sending"
DONE = "done"
CANCELLED = "cancelled"

# The sender claims due rows in priority order; without this index every claim would sort
# all pending rows of a channel (100,000 during a big broadcast).
CLAIM_INDEX = Index(
    "ix_outbox_claim",
    OutboxMessage.channel,
    OutboxMessage.status,
    OutboxMessage.priority.desc(),
    OutboxMessage.next_attempt_at,
    OutboxMessage.id,
)


class DeliveryMute(Base):
    """A resident does not want notifications of one category (e.g. `waste`, `broadcast`)."""

    __tablename__ = "delivery_mutes"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class DeliveryBroadcast(Base):
    """One broadcast of the working group, composed in the chat or with the CLI."""

    __tablename__ = "delivery_broadcasts"
    __table_args__ = (Index("ix_delivery_broadcasts_due", "status", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_channel: Mapped[str | None] = mapped_column(String(16), default=None)
    author_user_id: Mapped[str | None] = mapped_column(String(128), default=None)
    text: Mapped[str] = mapped_column(Text)
    link_label: Mapped[str | None] = mapped_column(String(64), default=None)
    link_url: Mapped[str | None] = mapped_column(String(500), default=None)
    audience: Mapped[str] = mapped_column(String(16), default="everyone")
    audience_value: Mapped[str | None] = mapped_column(String(64), default=None)
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default=SCHEDULED)
    recipients: Mapped[int] = mapped_column(default=0)
    # residents who get it in their news digest instead (not urgent only; docs/digests.md)
    digested: Mapped[int] = mapped_column(default=0, server_default="0")
    scheduled_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


ALERT_API = "api"
ALERT_OPERATOR = "operator"


class DeliveryAlert(Base):
    """The air-raid alert state of one region, shared by every instance (bot/delivery/alerts.py).

    `active`/`source`/`since` is the state in force: switched by an operator ("тривога /
    відбій") or by the alerts.in.ua feed, whichever changed it last; `since` is when it last
    changed (for an inactive row: the all-clear). `feed_active` is the feed's last reading and
    `feed_checked_at` its time: an alert from the feed holds notifications only while the
    feed keeps confirming it (fail open)."""

    __tablename__ = "delivery_alerts"

    region: Mapped[str] = mapped_column(String(32), primary_key=True)
    active: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(16), default=ALERT_OPERATOR)
    since: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    feed_active: Mapped[bool | None] = mapped_column(default=None)
    feed_checked_at: Mapped[datetime | None] = mapped_column(default=None)
