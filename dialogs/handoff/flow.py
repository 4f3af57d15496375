"""Talking to a person, the resident's side: while the conversation is open, everything the
resident types goes to the working group's queue and the bot does not answer on its own.

Steps:
  handoff.start   opens the conversation (or returns to the open one) → chat
  handoff.chat    who answers (a role), the working hours, the queue or an honest "outside
                  working hours"; every text goes to the queue (the first one is
                  acknowledged, the rest silently); "End the conversation" closes it

Ways in: the main menu, the button under /help (`g:handoff:help`), "nothing found" in the
services search (`g:handoff:services`, `talk_button`), and the button under an operator's
reply. Ways out: "End the conversation" (here and under every reply), /cancel and /menu
(handlers/common.py runs `g:leave-handoff` before the menu), and the operator closing it.
Other commands (/settings, /language) leave the screen but not the conversation: the next
reply brings its button back, and "Talk to a person" returns to the same conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import MenuEntry, Registry
from bot.core.messages import Button
from bot.core.state import FlowState
from dialogs.handoff import service
from storage.models.handoff import HANDOFF_TAKEN
from storage.repos.handoff import HandoffRepo

FLOW = "handoff"
LEAVE_ACTION = f"leave-{FLOW}"  # run by /cancel and /menu when they leave this flow
END = "end"


@dataclass
class HandoffState(FlowState):
    source: str = ""  # where the resident asked: help, services, menu, reply
    resumed: bool = False  # the conversation was open already


def talk_button(turn: Turn, source: str) -> Button:
    """«💬 Поговорити з людиною» for another feature's screen (e.g. "nothing found")."""
    return Button(turn.t("handoff-btn-talk"), f"g:{service.RESUME_ACTION}:{source}")


async def render_start(turn: Turn) -> None:
    state = turn.load(HandoffState)
    opened = await service.open_conversation(
        turn.session, turn.resident.id, source=state.source or "menu", now=turn.now
    )
    state.resumed = not opened.created
    turn.keep(state)
    await turn.goto("chat")


async def render_chat(turn: Turn) -> None:
    row = await service.current(turn.session, turn.resident.id)
    if row is None:
        turn.say(
            turn.t("handoff-ended"),
            [
                [Button(turn.t("handoff-btn-talk"), f"g:{service.RESUME_ACTION}:again")],
                turn.nav_row(back=False),
            ],
        )
        return
    hours = service.hours()
    parts = [turn.t("handoff-resumed" if turn.load(HandoffState).resumed else "handoff-opened")]
    if row.status == HANDOFF_TAKEN:
        parts.append(turn.t("handoff-who", role=row.taken_role or "operator"))
    elif hours.is_open(turn.now):
        ahead = await HandoffRepo(turn.session).ahead_of(row)
        parts.append(turn.t("handoff-queue", ahead=ahead))
    else:
        parts.append(turn.t("handoff-after-hours"))
    parts.append(turn.t("handoff-hours", hours=hours.described(turn.locale)))
    parts.append(turn.t("handoff-how-to-end"))
    turn.say(
        "\n\n".join(parts),
        [[Button(turn.t("handoff-btn-end"), END)], turn.nav_row(back=False)],
    )


async def on_chat_text(turn: Turn, text: str) -> None:
    said = await service.resident_says(turn.session, turn.resident.id, text, now=turn.now)
    if said is None:  # closed meanwhile (by the working group): the bot is itself again
        turn.say(turn.t("handoff-ended-menu"))
        await turn.menu()
        return
    _message, first = said
    if first:
        turn.say(turn.t("handoff-received"))
    # Otherwise silence: the resident is talking to a person, not to the bot.


async def on_chat_button(turn: Turn, payload: str) -> None:
    if payload == END:
        await end_action(turn, "")


async def resume_action(turn: Turn, source: str) -> None:
    """`g:handoff[:source]`: open the conversation, or return to the open one."""
    await turn.start(FLOW, source=source[:32])


async def end_action(turn: Turn, _arg: str) -> None:
    """`g:handoff-end`: the resident ends the conversation, then sees the menu."""
    await leave_action(turn, "")
    await turn.menu()


async def leave_action(turn: Turn, _arg: str) -> None:
    """`g:leave-handoff`: close the open conversation, if any (no navigation: /cancel and
    /menu show the menu themselves)."""
    closed = await service.close_by_resident(turn.session, turn.resident.id, now=turn.now)
    if closed is not None:
        turn.say(turn.t("handoff-closed-by-you"))


FLOW_DEF = Flow(
    FLOW,
    {
        "start": Screen(render_start),
        "chat": Screen(
            render_chat,
            on_text=on_chat_text,
            on_button=on_chat_button,
            text_limit=service.MESSAGE_LIMIT,
            # A bare number is a message to the working group (a house number), never a
            # press of a button shown as a numbered list.
            numeric_input=True,
        ),
    },
)


def register(registry: Registry) -> None:
    registry.add_flow(FLOW_DEF)
    registry.add_menu_entry(MenuEntry("handoff-menu", FLOW, 92))
    registry.add_global_action(service.RESUME_ACTION, resume_action)
    registry.add_global_action(service.END_ACTION, end_action)
    registry.add_global_action(LEAVE_ACTION, leave_action)
