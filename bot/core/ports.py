"""The contracts between the core and its edges: what a channel adapter must offer, and
what it is given (`InboundPort`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from bot.core.capabilities import ChannelCapabilities
from bot.core.messages import Incoming, Reply

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.i18n import I18n
    from storage.db import Database


class DeliveryStatus(StrEnum):
    SENT = "sent"
    GONE = "gone"  # blocked, deactivated, unsubscribed, chat not found: never retry
    RATE_LIMITED = "rate_limited"  # the platform said wait `retry_after` seconds
    TRANSIENT = "transient"  # 5xx, connection refused: retry with backoff
    PERMANENT = "permanent"  # a bad request that will never succeed
    UNKNOWN = "unknown"  # timed out after sending: it may have arrived, do not resend
    CONFIG = "config"  # our token or webhook is wrong: an operator must act


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    status: DeliveryStatus
    message_id: str | None = None
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is DeliveryStatus.SENT


class ChannelAdapter(Protocol):
    """What the core needs from a channel: its name, what it can show, and a way to send."""

    name: str
    capabilities: ChannelCapabilities

    async def deliver(self, user_id: str, reply: Reply) -> DeliveryResult:
        """Send one rendered reply to a user and classify the platform's answer."""
        ...


class InboundPort(Protocol):
    """What a channel adapter gets from the service (bot/app.py's `Svoi` is one): record a
    platform event, run a turn, and the few things an adapter reads itself — the settings
    (its own section and the web's), the message catalogues, and the database for its own
    tables (Telegram's stored button payloads, Viber's delivery statuses, the web's pending
    messages). Adapters never see the engine, the channels or the rest of the service."""

    @property
    def settings(self) -> Settings: ...

    @property
    def db(self) -> Database: ...

    @property
    def i18n(self) -> I18n: ...

    async def record_event(self, channel: str, event_id: str, body: str) -> bool:
        """Record a platform event durably; False when it was recorded before."""
        ...

    async def run_turn(self, incoming: Incoming) -> list[Reply]:
        """Run one turn of the engine; the replies are rendered for the incoming channel."""
        ...


class ConsolePort(InboundPort, Protocol):
    """What the operators' web console gets: an adapter's port plus what each channel can
    show (a broadcast's preview and its Viber cost depend on it)."""

    @property
    def capabilities(self) -> Mapping[str, ChannelCapabilities]: ...
