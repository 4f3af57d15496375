"""Residents' questions in the chat: "my questions" for residents, and the working group's
inbox, reached from `/operator` (the working group's screen) or `/questions`.

Steps:
  questions.start            the resident's latest questions: status and answer
  questions_operator.start   the waiting questions, oldest first
  → item (the question, what the resident searched, the service) → answer (type it; the
    resident gets it through the outbox) | not ours (type who handles it and how to reach
    them; the resident gets that)
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import dialog
from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button
from bot.core.payloads import Payload
from bot.core.state import FlowState
from bot.core.widgets import inbox_list
from dialogs.questions import service
from storage.models.services import QUESTION_NEW, ServiceQuestion

FLOW = "questions"
OPERATOR_FLOW_NAME = "questions_operator"
INBOX_SIZE = 8

operator_only = dialog.operator_only("questions", OPERATOR_FLOW_NAME)


def _date(turn: Turn, question: ServiceQuestion) -> str:
    return turn.t.date(question.created_at.astimezone(turn.engine.i18n.zone).date(), "short")


def _status(turn: Turn, question: ServiceQuestion) -> str:
    return turn.t("questions-status", status=question.status)


# --- residents: my questions ---------------------------------------------------------------
async def render_mine(turn: Turn) -> None:
    questions = await service.mine(turn.session, turn.resident.id)
    rows: list[list[AnyButton]] = [
        [Button(turn.t("questions-btn-ask"), "ask")],
        turn.nav_row(back=False),
    ]
    if not questions:
        turn.say(turn.t("questions-mine-empty"), rows)
        return
    parts = [turn.t("questions-mine-title")]
    for q in questions:
        part = turn.t(
            "questions-mine-item",
            reference=str(q.id),  # a reference, not a quantity: «№ 1250»
            date=_date(turn, q),
            status=_status(turn, q),
            question=service.excerpt(q.text, 120),
        )
        if q.answer is not None:
            part += "\n" + turn.t("questions-mine-answer", answer=service.excerpt(q.answer, 300))
        parts.append(part)
    turn.say("\n\n".join(parts), rows)


async def on_mine(turn: Turn, payload: str) -> None:
    if payload == "ask":
        await turn.start("services", "ask")


async def mine_command(turn: Turn, _args: str) -> None:
    await turn.start(FLOW)


async def mine_action(turn: Turn, _arg: str) -> None:
    """`g:myquestions`, the button under an answer."""
    await turn.start(FLOW)


# --- the working group: inbox → item → answer | not ours -----------------------------------
@dataclass
class InboxState(FlowState):
    question_id: int | None = None


@dataclass(frozen=True, slots=True)
class OpenQuestion(Payload, prefix="q"):
    id: int


def _question_id(turn: Turn) -> int | None:
    return turn.load(InboxState).question_id


@operator_only
async def render_inbox(turn: Turn) -> None:
    questions = await service.inbox(turn.session, limit=INBOX_SIZE)
    total = await service.waiting(turn.session)

    def button(q: ServiceQuestion) -> Button:
        return Button(f"№\u00a0{q.id} · {service.excerpt(q.text, 20)}", OpenQuestion(q.id).pack())

    inbox_list(
        turn,
        questions,
        button,
        title="questions-op-title",
        empty="questions-op-empty",
        waiting=total,
    )


@operator_only
async def on_inbox(turn: Turn, payload: str) -> None:
    if (opened := OpenQuestion.unpack(payload)) is not None:
        turn.keep(InboxState(question_id=opened.id))
        await turn.goto("item")


@operator_only
async def render_item(turn: Turn) -> None:
    question_id = _question_id(turn)
    row = await service.question(turn.session, question_id) if question_id else None
    if row is None:
        turn.say(turn.t("questions-op-not-found"))
        await turn.goto("start")
        return
    lines = [
        turn.t("questions-op-item", reference=str(row.id), date=_date(turn, row)),
        turn.t("questions-op-item-text", question=row.text),
    ]
    if row.search_query:
        lines.append(turn.t("questions-op-item-search", query=row.search_query))
    if row.service_code:
        lines.append(turn.t("questions-op-item-service", service=row.service_code))
    lines.append(_status(turn, row))
    if row.answer is not None:
        lines.append(turn.t("questions-mine-answer", answer=row.answer))
    rows: list[list[AnyButton]] = []
    if row.status == QUESTION_NEW:
        rows.append([Button(turn.t("questions-op-btn-answer"), "answer")])
        rows.append([Button(turn.t("questions-op-btn-redirect"), "redirect")])
    rows.append(turn.nav_row())
    turn.say("\n\n".join(lines), rows)


@operator_only
async def on_item(turn: Turn, payload: str) -> None:
    if payload in ("answer", "redirect"):
        await turn.goto(payload)


@operator_only
async def render_answer(turn: Turn) -> None:
    turn.say(turn.t("questions-op-answer-ask", limit=service.ANSWER_LIMIT), [turn.nav_row()])


@operator_only
async def render_redirect(turn: Turn) -> None:
    turn.say(turn.t("questions-op-redirect-ask", limit=service.ANSWER_LIMIT), [turn.nav_row()])


async def _settle(turn: Turn, text: str, *, redirect: bool) -> None:
    question_id = _question_id(turn)
    if question_id is None:
        await turn.goto("start")
        return
    act = service.redirect if redirect else service.answer
    try:
        await act(turn.session, question_id, text, actor=turn.acting, now=turn.now)
    except service.Refused as refused:
        if refused.key == "web-admin-error-already-answered":
            turn.say(turn.t("questions-op-already"))  # answered meanwhile, e.g. on the console
        await turn.goto("item")
        return
    turn.say(turn.t("questions-op-redirected" if redirect else "questions-op-answered"))
    await turn.goto("start")


@operator_only
async def on_answer_text(turn: Turn, text: str) -> None:
    await _settle(turn, text, redirect=False)


@operator_only
async def on_redirect_text(turn: Turn, text: str) -> None:
    await _settle(turn, text, redirect=True)


async def questions_command(turn: Turn, _args: str) -> None:
    if not turn.is_operator:
        await dialog.refuse(turn, "questions", "/questions")
        return
    await turn.start(OPERATOR_FLOW_NAME)


MINE_FLOW = Flow(FLOW, {"start": Screen(render_mine, on_button=on_mine)})
OPERATOR_FLOW = Flow(
    OPERATOR_FLOW_NAME,
    {
        "start": Screen(render_inbox, on_button=on_inbox),
        "item": Screen(render_item, on_button=on_item, back="start"),
        "answer": Screen(
            render_answer, on_text=on_answer_text, text_limit=service.ANSWER_LIMIT, back="item"
        ),
        "redirect": Screen(
            render_redirect,
            on_text=on_redirect_text,
            text_limit=service.ANSWER_LIMIT,
            back="item",
        ),
    },
    operator_only=True,
)


def register(registry: Registry) -> None:
    registry.add_flow(MINE_FLOW)
    registry.add_flow(OPERATOR_FLOW)
    registry.add_interrupt("myquestions", mine_command)
    registry.add_interrupt("questions", questions_command)
    registry.add_global_action(service.MINE_ACTION, mine_action)
