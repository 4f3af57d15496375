"""Linking's button payloads and the state its flow keeps (bot/core/payloads.py,
bot/core/state.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.payloads import Payload
from bot.core.state import FlowState


@dataclass(frozen=True, slots=True)
class Prefer(Payload, prefix="lnk-to"):
    """Send notifications to this channel of the profile ("auto": the channel last used)."""

    channel: str


@dataclass
class LinkingState(FlowState):
    """The code on the screen (shown again, not replaced, when the screen is redrawn)."""

    code: str | None = None


AUTO = "auto"
NEW_CODE = "lnk-code"
UNLINK = "lnk-unlink"
CHOOSE = "lnk-choose"
