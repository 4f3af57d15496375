"""What every feature's operator actions share: who acts (`Actor`) and why an action cannot
apply (`Refused`).

A feature's service (dialogs/<feature>/service.py) is the only implementation of its
actions; the chat, the console and the CLI are front ends that build an `Actor`, call the
service and show a `Refused` in their reader's language. The service writes the audit entry
with the actor, in the caller's transaction, so every front end audits alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repos.access import AuditRepo

# The roles that may act for the working group (operators; admins may do all they may).
OPERATOR_ROLES = ("operator", "admin")


class Refused(ValueError):
    """The action cannot apply; `key` is the Fluent message explaining why, `args_` its values."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


def checked_text(text: str, limit: int) -> str:
    """An operator's text, trimmed: refused when empty or over `limit` characters."""
    text = text.strip()
    if not text:
        raise Refused("web-admin-error-empty")
    if len(text) > limit:
        raise Refused("web-admin-error-too-long", limit=limit)
    return text


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: the audit entry's actor and role, and the chat that gets a report, if any
    (None from the CLI and the console, which have no chat of their own)."""

    name: str
    role: str | None
    author: tuple[str, str] | None = None
    via: str | None = None  # "web" on the console; recorded with the audit entry

    @property
    def is_operator(self) -> bool:
        return self.role in OPERATOR_ROLES

    def audit(
        self,
        session: AsyncSession,
        action: str,
        target: str,
        outcome: str = "done",
        **details: Any,
    ) -> None:
        if self.via is not None:
            details = {"via": self.via, **details}
        AuditRepo(session).write(self.name, self.role, action, target, outcome, **details)


CLI = Actor("cli", "admin")  # the command line acts as an admin of the machine it runs on
