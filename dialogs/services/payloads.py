"""The services section's buttons and the state its screens keep (bot/core/payloads.py,
bot/core/state.py): one definition each."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.payloads import Payload
from bot.core.state import FlowState


@dataclass(frozen=True, slots=True)
class OpenCategory(Payload, prefix="cat"):
    id: int


@dataclass(frozen=True, slots=True)
class OpenService(Payload, prefix="svc"):
    id: int


@dataclass(frozen=True, slots=True)
class Page(Payload, prefix="page"):
    number: int


@dataclass
class ServicesState(FlowState):
    query: str = ""  # what the resident searched for
    results: list[int] = field(default_factory=list)  # the services it found, best first
    category: int | None = None
    page: int = 0  # of the category's list
    service: int | None = None  # the card shown
    origin: str = "start"  # where the card was opened from: category, results or start
    details_page: int = 0
    ask_service: str | None = None  # the service a question is about, if any
