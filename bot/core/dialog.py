"""The channel-neutral dialog framework.

A `Flow` is a set of named `Screen`s. A screen has a render function (what the resident
sees) and input handlers (button payloads, free text within a length limit, a location, a
contact). The state — flow, screen and the flow's data — lives in the database, keyed by the
resident, so a conversation survives restarts and any instance can serve the next turn.

Buttons a turn shows are remembered; a pressed payload that was not offered (a stale menu,
a forged callback) never reaches a handler. Payloads starting with `g:` are global actions
(e.g. "mute this kind of notification" on a proactive message) and are validated by their
own handler.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from bot.core.actions import Actor
from bot.core.attachments import AttachmentProblem
from bot.core.i18n import Translator
from bot.core.messages import (
    AnyButton,
    Attachment,
    Button,
    Contact,
    Document,
    Incoming,
    LinkButton,
    Location,
    Reply,
    RequestButton,
)
from bot.core.state import FlowState
from storage.models import DialogState, Resident
from storage.models.attachments import StoredFile
from storage.repos.access import AuditRepo

if TYPE_CHECKING:
    from bot.core.engine import Engine

S = TypeVar("S", bound=FlowState)
log = logging.getLogger(__name__)

RenderFn = Callable[["Turn"], Awaitable[None]]
ButtonFn = Callable[["Turn", str], Awaitable[None]]
TextFn = Callable[["Turn", str], Awaitable[None]]
LocationFn = Callable[["Turn", Location], Awaitable[None]]
ContactFn = Callable[["Turn", Contact], Awaitable[None]]
AttachmentFn = Callable[["Turn", Attachment], Awaitable[None]]
DeepLinkFn = Callable[["Turn", str], Awaitable[bool]]

BACK = "back"
MENU = "g:menu"


@dataclass(frozen=True)
class Screen:
    render: RenderFn
    on_button: ButtonFn | None = None
    on_text: TextFn | None = None
    on_location: LocationFn | None = None
    on_contact: ContactFn | None = None
    on_attachment: AttachmentFn | None = None  # a photo or file (bot/core/attachments.py)
    text_limit: int = 300
    back: str | None = None
    # The screen expects a number typed as text (a house number, a percentage): where its
    # buttons are a numbered list, a bare number is input and "#N" picks a button.
    numeric_input: bool = False


@dataclass(frozen=True)
class Flow:
    name: str
    screens: dict[str, Screen]
    start: str = "start"
    operator_only: bool = False

    def screen(self, name: str | None) -> Screen:
        return self.screens.get(name or self.start) or self.screens[self.start]


@dataclass
class Turn:
    """Everything a screen handler may use during one turn, and the replies it builds.

    `resident` is the person's profile (for linked channels, the holder's row: rows, language,
    notifications); `own` is this chat's resident (its channel and user id)."""

    engine: Engine
    incoming: Incoming
    resident: Resident
    state: DialogState
    session: AsyncSession
    now: datetime
    correlation_id: str
    replies: list[Reply] = field(default_factory=list)
    role: str | None = None  # admin / operator / viewer, loaded when the turn starts
    erased: bool = False  # the resident's data was deleted in this turn: save no state
    # This chat's resident; `resident` is the profile's holder, another row when the chat
    # is linked to others (docs/linking.md). None: the two are one.
    chat_resident: Resident | None = None

    @property
    def own(self) -> Resident:
        """This chat's resident: its channel and user id, its conversation. Features keep
        their rows on `resident` (the person's profile)."""
        return self.chat_resident or self.resident

    @property
    def t(self) -> Translator:
        return Translator(self.engine.i18n, self.resident.locale)

    @property
    def locale(self) -> str:
        return self.resident.locale

    @property
    def is_operator(self) -> bool:
        """Checked again by every operator handler when it runs, not only when shown."""
        return self.role in ("operator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def actor(self) -> str:
        return f"{self.own.channel}:{self.own.user_id}"

    @property
    def acting(self) -> Actor:
        """This operator as a feature service's actor (audit entries, reports to this chat)."""
        return Actor(self.actor, self.role, author=(self.own.channel, self.own.user_id))

    async def store_attachment(self, attachment: Attachment, purpose: str) -> StoredFile | None:
        """Fetch, check, clean and store a resident's photo for `purpose` (a feature's
        name); None when it cannot be taken, after telling the resident why in their
        language (too large, not a picture, could not be fetched). bot/core/attachments.py."""
        try:
            stored = await self.engine.store_attachment(self, attachment, purpose)
        except AttachmentProblem as problem:
            log.info(
                "attachment refused: %s",
                problem,
                extra={"correlation_id": self.correlation_id, "purpose": purpose},
            )
            self.say(self.t(f"attachment-{problem.reason}", limit=self.engine.attachment_limit_mb))
            return None
        self.audit("attachment", purpose, key=stored.key, size=stored.size)
        return stored

    def audit(self, action: str, target: str = "", outcome: str = "done", **details: Any) -> None:
        """Write an audit entry in the turn's transaction (who, what, on what, outcome)."""
        AuditRepo(self.session).write(self.actor, self.role, action, target, outcome, **details)
        if outcome != "done":
            log.warning(
                "operator action %s refused", action, extra={"correlation_id": self.correlation_id}
            )

    # --- flow data -------------------------------------------------------------------
    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def get(self, key: str, default: Any = None) -> Any:
        return self.state.data.get(key, default)

    def set(self, **values: Any) -> None:
        self.state.data = {**self.state.data, **values}
        flag_modified(self.state, "data")

    def load(self, kind: type[S]) -> S:
        """This flow's typed state (bot/core/state.py): stored values checked, defaults else."""
        return kind.from_data(self.state.data)

    def keep(self, state: FlowState) -> None:
        """Write a typed state back (its fields only; other keys stay)."""
        self.set(**state.to_data())

    # --- output ----------------------------------------------------------------------
    def say(
        self,
        text: str,
        buttons: list[list[AnyButton]] | None = None,
        *,
        requests: list[RequestButton] | None = None,
        location: Location | None = None,
        document: Document | None = None,
        remove_keyboard: bool = False,
    ) -> Reply:
        reply = Reply(
            text=text,
            buttons=buttons or [],
            requests=requests or [],
            location=location,
            document=document,
            remove_keyboard=remove_keyboard,
        )
        self.replies.append(reply)
        return reply

    def nav_row(self, *, back: bool = True, menu: bool = True) -> list[AnyButton]:
        row: list[AnyButton] = []
        if back:
            row.append(Button(self.t("btn-back"), BACK))
        if menu:
            row.append(Button(self.t("btn-menu"), MENU))
        return row

    def link(self, label: str, url: str) -> LinkButton:
        return LinkButton(label, url)

    # --- navigation ------------------------------------------------------------------
    @property
    def flow_name(self) -> str | None:
        return self.state.flow

    @property
    def screen_name(self) -> str | None:
        return self.state.step

    async def goto(self, screen: str) -> None:
        """Move to another screen of the current flow and show it."""
        self.state.step = screen
        await self.engine.render_current(self)

    async def start(self, flow: str, screen: str | None = None, **data: Any) -> None:
        """Enter a flow with fresh data and show its first (or given) screen."""
        await self.engine.enter(self, flow, screen, data)

    async def menu(self) -> None:
        await self.engine.enter(self, "menu", None, {})


async def refuse(turn: Turn, action: str, what: str) -> None:
    """Politely refuse an operator action to a resident who is not (or no longer) one; the
    audit entry also logs a warning with the turn's correlation id."""
    turn.audit(action, what, outcome="refused")
    turn.say(turn.t("operator-only"))
    await turn.menu()


ScreenFn = Callable[..., Awaitable[None]]


def operator_only(action: str, flow: str) -> Callable[[ScreenFn], ScreenFn]:
    """A decorator for operator screen functions: the role is checked when the function
    runs, whatever led there (a stale menu, a forged payload, a demotion mid-flow)."""

    def decorate(fn: ScreenFn) -> ScreenFn:
        @functools.wraps(fn)
        async def guarded(turn: Turn, *args: object) -> None:
            if not turn.is_operator:
                await refuse(turn, action, f"{flow}.{fn.__name__}")
                return
            await fn(turn, *args)

        return guarded

    return decorate
