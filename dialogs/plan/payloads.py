"""The plan's button payloads and the state its flows keep (bot/core/payloads.py,
bot/core/state.py): one definition each, so a screen that offers a button and the handler
that reads it cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.payloads import Payload
from bot.core.state import FlowState


@dataclass(frozen=True, slots=True)
class OpenCommitment(Payload, prefix="c"):
    code: str


@dataclass(frozen=True, slots=True)
class Rate(Payload, prefix="r"):
    stars: int


@dataclass(frozen=True, slots=True)
class OpenPoll(Payload, prefix="p"):
    id: int


@dataclass(frozen=True, slots=True)
class Vote(Payload, prefix="v"):
    option_id: int


@dataclass
class PlanState(FlowState):
    """The residents' plan screens: the commitment shown and the feedback being written."""

    code: str | None = None
    feedback_id: int | None = None


@dataclass
class NewsState(FlowState):
    page: int = 0


@dataclass
class PollsState(FlowState):
    poll_id: int | None = None
