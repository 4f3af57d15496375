"""The waste section's buttons and the state its screens keep (bot/core/payloads.py,
bot/core/state.py): one definition each, so a screen that offers a button and the handler
that reads it cannot drift apart.

The wire format is the one residents' chats and stored outbox rows already hold: `st:<ref>`,
`z:<zone>`, `t:<type>`, `rt:<offset>:<hour>`, `s:<subscription>`, the operators' `oz:`,
`ot:`, `od:<iso day>`, `nd:<iso day>`, and the reminders' global actions `g:wstop:<id>`,
`g:wedit:<id>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.payloads import Payload
from bot.core.state import FlowState

GLOBAL = "g:"  # the engine's prefix of a global action (bot/core/engine.py)


# --- residents ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PickStreet(Payload, prefix="st"):
    """One of several streets a typed address could mean (its ref may be negative)."""

    ref: int


@dataclass(frozen=True, slots=True)
class PickZone(Payload, prefix="z"):
    """One of the zones a shared location lies between."""

    id: int


@dataclass(frozen=True, slots=True)
class ToggleType(Payload, prefix="t"):
    """Tick or untick a waste type to be reminded of."""

    code: str


@dataclass(frozen=True, slots=True)
class RemindAt(Payload, prefix="rt"):
    """When to remind: `offset` days from the collection (-1 the evening before, 0 the
    morning of) at `hour`."""

    offset: int
    hour: int


@dataclass(frozen=True, slots=True)
class OpenSubscription(Payload, prefix="s"):
    id: int


# --- operators -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OpsZone(Payload, prefix="oz"):
    id: int


@dataclass(frozen=True, slots=True)
class OpsType(Payload, prefix="ot"):
    code: str


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class OpsDate(Payload, prefix="od"):
    """The collection day to move or cancel, as an ISO date."""

    day: str

    @classmethod
    def of(cls, day: date) -> OpsDate:
        return cls(day.isoformat())

    def as_date(self) -> date | None:
        """The day, or None for a forged one that is no date."""
        return _day(self.day)


@dataclass(frozen=True, slots=True)
class OpsNewDate(Payload, prefix="nd"):
    """The day a collection moves to, as an ISO date."""

    day: str

    @classmethod
    def of(cls, day: date) -> OpsNewDate:
        return cls(day.isoformat())

    def as_date(self) -> date | None:
        """The day, or None for a forged one that is no date."""
        return _day(self.day)


# --- global actions on reminders: `g:<prefix>:<subscription id>` ---------------------------
MAX_SUBSCRIPTION_DIGITS = 12  # a longer id is forged: it never reaches the database


@dataclass(frozen=True, slots=True)
class StopReminder(Payload, prefix="wstop"):
    """ "Stop" on a reminder: pause that subscription."""

    sub_id: int


@dataclass(frozen=True, slots=True)
class EditReminder(Payload, prefix="wedit"):
    """ "Change" on a reminder: open that subscription."""

    sub_id: int


def global_payload(action: StopReminder | EditReminder) -> str:
    """The button's payload: `g:<prefix>:<id>`, which the engine routes to the action."""
    return GLOBAL + action.pack()


def from_action_arg(
    kind: type[StopReminder | EditReminder], arg: str
) -> StopReminder | EditReminder | None:
    """The action from its argument (what the engine passes after `g:<prefix>:`), or None
    for a forged one: not a plain non-negative number of at most 12 (ASCII) digits."""
    if not (arg.isascii() and arg.isdigit()) or len(arg) > MAX_SUBSCRIPTION_DIGITS:
        return None
    return kind.unpack(f"{kind.prefix}:{arg}")


# --- state -----------------------------------------------------------------------------------
@dataclass
class WasteState(FlowState):
    """What the waste screens keep between turns."""

    # finding an address
    candidates: list[int] = field(default_factory=list)  # street refs of an ambiguous address
    house: str | None = None  # the house number typed with an ambiguous street
    street: int | None = None  # the street that still needs a house number
    zones: list[int] = field(default_factory=list)  # zones a location lies between
    zone_id: int | None = None  # the zone whose schedule is shown
    address: str = ""  # the address as the resident will see it
    zone_example: bool = False  # the street's zone is example data
    # subscribing and editing
    selected: list[str] = field(default_factory=list)  # waste types ticked
    editing: int | None = None  # the subscription being changed, None for a new one
    sub_id: int | None = None  # the subscription shown


@dataclass
class OpsState(FlowState):
    """What the operators' screens (dialogs/waste/operator.py) keep: one collection change."""

    zone: int | None = None
    waste_type: str | None = None
    day: str | None = None  # ISO date of the collection that changes
    moved_to: str | None = None  # ISO date, None to cancel
    reason: str = ""
