"""Talking to a person, the working group's side in the chat, reached from `/operator` or
`/handoffs`.

Steps (operators only):
  handoff_operator.start   open conversations: the waiting ones first, longest waiting first
  → item (the latest messages, who has it) → take | reply (type it; the resident gets it
    through the outbox) | canned answer (pick one) | close; every action goes through
    dialogs/handoff/service.py
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core import dialog
from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button
from bot.core.payloads import Payload
from bot.core.state import FlowState
from bot.core.widgets import inbox_list
from dialogs.handoff import service
from storage.models.handoff import (
    FROM_RESIDENT,
    HANDOFF_CLOSED,
    HANDOFF_WAITING,
    HandoffConversation,
)

FLOW = "handoff_operator"
QUEUE_SIZE = 8
TRANSCRIPT_SIZE = 10
LINE_LIMIT = 300  # one message of the transcript on a phone screen

operator_only = dialog.operator_only("handoff", FLOW)


@dataclass
class QueueState(FlowState):
    conversation_id: int | None = None


@dataclass(frozen=True, slots=True)
class OpenConversation(Payload, prefix="ho"):
    id: int


@dataclass(frozen=True, slots=True)
class PickCanned(Payload, prefix="hc"):
    code: str


def _conversation_id(turn: Turn) -> int | None:
    return turn.load(QueueState).conversation_id


def _time(turn: Turn, moment: datetime) -> str:
    local = moment.astimezone(turn.engine.i18n.zone)
    return f"{turn.t.date(local.date(), 'short')} {local:%H:%M}"


@operator_only
async def render_queue(turn: Turn) -> None:
    shown = await service.queue(turn.session, limit=QUEUE_SIZE)
    waiting = await service.waiting(turn.session)

    def button(row: HandoffConversation) -> Button:
        mark = "⏳" if row.status == HANDOFF_WAITING else "💬"
        label = f"{mark} №\u00a0{row.id} · {_time(turn, row.opened_at)}"
        return Button(label, OpenConversation(row.id).pack())

    inbox_list(
        turn, shown, button, title="handoff-op-title", empty="handoff-op-empty", waiting=waiting
    )


@operator_only
async def on_queue(turn: Turn, payload: str) -> None:
    if (opened := OpenConversation.unpack(payload)) is not None:
        turn.keep(QueueState(conversation_id=opened.id))
        await turn.goto("item")


@operator_only
async def render_item(turn: Turn) -> None:
    conversation_id = _conversation_id(turn)
    row = await service.conversation(turn.session, conversation_id) if conversation_id else None
    if row is None:
        turn.say(turn.t("handoff-op-not-found"))
        await turn.goto("start")
        return
    lines = [
        turn.t("handoff-op-item", reference=str(row.id), opened=_time(turn, row.opened_at)),
        turn.t("handoff-op-status", status=row.status),
    ]
    messages = await service.transcript(turn.session, row.id, last=TRANSCRIPT_SIZE)
    for message in messages:
        key = (
            "handoff-op-line-resident" if message.author == FROM_RESIDENT else "handoff-op-line-us"
        )
        lines.append(turn.t(key, text=service.excerpt(message.text, LINE_LIMIT)))
    if not messages:
        lines.append(turn.t("handoff-op-no-messages"))
    rows: list[list[AnyButton]] = []
    if row.status != HANDOFF_CLOSED:
        if row.status == HANDOFF_WAITING:
            rows.append([Button(turn.t("handoff-op-btn-take"), "take")])
        rows.append([Button(turn.t("handoff-op-btn-reply"), "reply")])
        if service.canned():
            rows.append([Button(turn.t("handoff-op-btn-canned"), "canned")])
        rows.append([Button(turn.t("handoff-op-btn-close"), "close")])
    rows.append([Button(turn.t("handoff-op-btn-refresh"), "refresh")])
    rows.append(turn.nav_row())
    turn.say("\n\n".join(lines), rows)


async def _act(turn: Turn, action: str, text: str = "") -> None:
    conversation_id = _conversation_id(turn)
    if conversation_id is None:
        await turn.goto("start")
        return
    try:
        if action == "take":
            await service.take(turn.session, conversation_id, actor=turn.acting, now=turn.now)
        elif action == "close":
            await service.close(turn.session, conversation_id, actor=turn.acting, now=turn.now)
        elif action == "reply":
            await service.reply(
                turn.session, conversation_id, text, actor=turn.acting, now=turn.now
            )
        else:
            await service.reply_canned(
                turn.session, conversation_id, text, actor=turn.acting, now=turn.now
            )
    except service.Refused as refused:
        turn.say(turn.t(refused.key, **refused.args_))
        await turn.goto("item")
        return
    turn.say(turn.t(f"handoff-op-done-{action}"))
    await turn.goto("start" if action == "close" else "item")


@operator_only
async def on_item(turn: Turn, payload: str) -> None:
    if payload in ("take", "close"):
        await _act(turn, payload)
    elif payload in ("reply", "canned"):
        await turn.goto(payload)
    elif payload == "refresh":
        await turn.goto("item")


@operator_only
async def render_reply(turn: Turn) -> None:
    turn.say(turn.t("handoff-op-reply-ask", limit=service.REPLY_LIMIT), [turn.nav_row()])


@operator_only
async def on_reply_text(turn: Turn, text: str) -> None:
    await _act(turn, "reply", text)


@operator_only
async def render_canned(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(answer.title_in(turn.locale), PickCanned(answer.code).pack())]
        for answer in service.canned()
    ]
    rows.append(turn.nav_row())
    turn.say(turn.t("handoff-op-canned-ask"), rows)


@operator_only
async def on_canned(turn: Turn, payload: str) -> None:
    if (picked := PickCanned.unpack(payload)) is not None:
        await _act(turn, "canned", picked.code)


async def handoffs_command(turn: Turn, _args: str) -> None:
    if not turn.is_operator:
        await dialog.refuse(turn, "handoff", "/handoffs")
        return
    await turn.start(FLOW)


OPERATOR_FLOW = Flow(
    FLOW,
    {
        "start": Screen(render_queue, on_button=on_queue),
        "item": Screen(render_item, on_button=on_item, back="start"),
        "reply": Screen(
            render_reply, on_text=on_reply_text, text_limit=service.REPLY_LIMIT, back="item"
        ),
        "canned": Screen(render_canned, on_button=on_canned, back="item"),
    },
    operator_only=True,
)


def register(registry: Registry) -> None:
    registry.add_flow(OPERATOR_FLOW)
    registry.add_interrupt("handoffs", handoffs_command)
