"""What the console's shell and its page modules share, without importing each other: who is
asking (`Operator`), the shape of a page's handler and route, and the form readers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from aiohttp import web

from bot.channels.web.pages import Translate
from bot.core.actions import Actor


@dataclass(frozen=True, slots=True)
class Operator:
    """Who is asking, as checked for this request."""

    account: str
    role: str
    csrf: str
    locale: str
    t: Translate

    @property
    def address(self) -> tuple[str, str]:
        channel, _, user_id = self.account.partition(":")
        return channel, user_id

    @property
    def actor(self) -> Actor:
        """This operator as a feature service's actor: audited "via web", reports to their chat."""
        return Actor(self.account, self.role, self.address, via="web")


# A page's handler, called by the shell's guard once the operator has been checked.
Handler = Callable[[web.Request, Operator], Awaitable[web.StreamResponse]]
# (method, path, handler): what a page module gives the shell to register.
Route = tuple[str, str, Handler]


def form_date(value: str | None) -> date | None:
    """A day typed in a form (`YYYY-MM-DD`), or None when empty or not a day."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
