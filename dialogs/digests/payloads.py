"""Digests' button payloads and the state its flow keeps (bot/core/payloads.py,
bot/core/state.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.payloads import Payload
from bot.core.state import FlowState


@dataclass(frozen=True, slots=True)
class PickCategory(Payload, prefix="dg-cat"):
    """Open the choice for one digest category ("plan", "answers")."""

    category: str


@dataclass(frozen=True, slots=True)
class PickChoice(Payload, prefix="dg-set"):
    """«As it happens» (mode "now", hour 0), «daily» at an hour or «weekly»."""

    mode: str
    hour: int


@dataclass
class DigestsState(FlowState):
    """The digest category whose choice is on the screen."""

    category: str = ""
