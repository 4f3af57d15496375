"""/help, /menu and /cancel: interrupts that work on every screen."""

from __future__ import annotations

from bot.core.dialog import Turn
from bot.core.engine import Registry


async def help_command(turn: Turn, _args: str) -> None:
    """Help keeps the resident where they were: the current screen is shown again after it."""
    parts = [turn.t("help-text")]
    if turn.is_operator:  # operators find their tools where residents find theirs
        parts.append(turn.t("help-operator"))
    if turn.is_admin:
        parts.append(turn.t("help-admin"))
    turn.say("\n\n".join(parts))
    await turn.engine.render_current(turn)


async def menu_command(turn: Turn, _args: str) -> None:
    await turn.menu()


async def cancel_command(turn: Turn, _args: str) -> None:
    if turn.flow_name in (None, "menu"):
        turn.say(turn.t("cancel-nothing"))
    else:
        turn.say(turn.t("cancel-done"))
    await turn.menu()


def register(registry: Registry) -> None:
    registry.add_interrupt("help", help_command)
    registry.add_interrupt("menu", menu_command)
    registry.add_interrupt("cancel", cancel_command)
