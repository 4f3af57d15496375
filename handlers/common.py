"""/help, /menu and /cancel: interrupts that work on every screen.

A flow that holds something open while the resident is on its screens (a conversation with
the working group) registers a global action `leave-<flow>`; /cancel and /menu (and the menu
button, handlers/menu.py) run it before showing the menu, so leaving the screen ends what it
held. /help offers "Talk to a person" when that feature is installed.
"""

from __future__ import annotations

from bot.core.dialog import Turn
from bot.core.engine import Registry
from bot.core.messages import Button

LEAVE = "leave-"
TALK_FLOW = "handoff"  # dialogs/handoff: `g:handoff:<source>` opens the conversation


async def leave(turn: Turn) -> bool:
    """Run the current flow's `leave-<flow>` action, if it has one; True when it did."""
    action = turn.engine.registry.global_actions.get(f"{LEAVE}{turn.flow_name}")
    if action is None:
        return False
    await action(turn, "")
    return True


async def help_command(turn: Turn, _args: str) -> None:
    """Help keeps the resident where they were: the current screen is shown again after it."""
    parts = [turn.t("help-text")]
    if turn.is_operator:  # operators find their tools where residents find theirs
        parts.append(turn.t("help-operator"))
    if turn.is_admin:
        parts.append(turn.t("help-admin"))
    turn.say("\n\n".join(parts))
    await turn.engine.render_current(turn)
    # Under the screen's own buttons, so a channel that numbers them keeps its numbers; not
    # on the main menu (it has its own entry) or in the conversation itself.
    talk = TALK_FLOW in turn.engine.registry.flows and turn.flow_name not in (TALK_FLOW, "menu")
    if talk and turn.replies:
        turn.replies[-1].buttons.append([Button(turn.t("handoff-btn-talk"), f"g:{TALK_FLOW}:help")])


async def menu_command(turn: Turn, _args: str) -> None:
    await leave(turn)
    await turn.menu()


async def cancel_command(turn: Turn, _args: str) -> None:
    if await leave(turn):
        pass  # the flow said what ended
    elif turn.flow_name in (None, "menu"):
        turn.say(turn.t("cancel-nothing"))
    else:
        turn.say(turn.t("cancel-done"))
    await turn.menu()


def register(registry: Registry) -> None:
    registry.add_interrupt("help", help_command)
    registry.add_interrupt("menu", menu_command)
    registry.add_interrupt("cancel", cancel_command)
