"""Admins in the chat: /roles (list), /grant channel:id role, /revoke channel:id, /audit.

Every command checks the caller's role when it runs and writes an audit entry, allowed or not.
"""

from __future__ import annotations

from bot.core.dialog import Turn
from bot.core.engine import Registry
from storage.models.access import ROLES
from storage.repos.access import AuditRepo, RoleRepo, may_read_audit


def _address(text: str) -> tuple[str, str] | None:
    channel, sep, user_id = text.strip().partition(":")
    if not sep or not channel.isalnum() or not user_id or len(user_id) > 128:
        return None
    return channel.lower(), user_id


def role_name(turn: Turn, role: str) -> str:
    """A role as the operator reads it («адміністратор»), never its code."""
    return turn.t("access-role", role=role)


async def _admin_only(turn: Turn, action: str) -> bool:
    if turn.is_admin:
        return True
    turn.audit(action, outcome="refused")
    turn.say(turn.t("operator-only"))
    return False


async def roles_command(turn: Turn, _args: str) -> None:
    if not await _admin_only(turn, "roles-list"):
        return
    rows = await RoleRepo(turn.session).all()
    if not rows:
        turn.say(turn.t("roles-empty"))
        return
    lines = [
        turn.t("roles-line", address=f"{r.channel}:{r.user_id}", role=role_name(turn, r.role))
        for r in rows
    ]
    turn.say("\n".join([turn.t("roles-title"), *lines]))


async def grant_command(turn: Turn, args: str) -> None:
    if not await _admin_only(turn, "roles-grant"):
        return
    parts = args.split()
    address = _address(parts[0]) if len(parts) == 2 else None
    if address is None or parts[1] not in ROLES:
        turn.say(turn.t("roles-usage"))
        return
    await RoleRepo(turn.session).grant(*address, parts[1], granted_by=turn.actor)
    turn.audit("roles-grant", ":".join(address), role_granted=parts[1])
    turn.say(turn.t("roles-granted", role=role_name(turn, parts[1]), address=":".join(address)))


async def revoke_command(turn: Turn, args: str) -> None:
    if not await _admin_only(turn, "roles-revoke"):
        return
    address = _address(args)
    if address is None:
        turn.say(turn.t("roles-usage"))
        return
    if await RoleRepo(turn.session).revoke(*address):
        turn.audit("roles-revoke", ":".join(address))
        turn.say(turn.t("roles-revoked", address=":".join(address)))
    else:
        turn.say(turn.t("roles-not-found", address=":".join(address)))


async def audit_command(turn: Turn, _args: str) -> None:
    if not may_read_audit(turn.role):  # the console's audit page asks the same
        turn.audit("audit-read", outcome="refused")
        turn.say(turn.t("operator-only"))
        return
    entries = await AuditRepo(turn.session).latest(20)
    if not entries:
        turn.say(turn.t("audit-empty"))
        return
    lines = [
        turn.t(
            "audit-line",
            at=turn.t.datetime(e.at),
            actor=e.actor,
            action=turn.t("audit-action", action=e.action),
            target=e.target,
            outcome=turn.t("audit-outcome", outcome=e.outcome),
        )
        for e in entries
    ]
    turn.say("\n".join([turn.t("audit-title"), *lines]))


def register(registry: Registry) -> None:
    registry.add_interrupt("roles", roles_command)
    registry.add_interrupt("grant", grant_command)
    registry.add_interrupt("revoke", revoke_command)
    registry.add_interrupt("audit", audit_command)
