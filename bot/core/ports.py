"""The contracts between the core and its edges: what a channel adapter must offer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.core.capabilities import ChannelCapabilities
from bot.core.messages import Reply


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
