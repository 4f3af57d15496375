"""The working group's screens: feedback inbox and answers, progress updates, polls.

Steps (operators only; the command is `/operator`):
  plan_operator.start
  → inbox (filter by commitment; unanswered comments first, then unreviewed)
    → item (the feedback; contact details only with consent) → answer (type it; the
      resident gets "you said, we did" through the outbox) | mark reviewed
  → publish: choose a commitment → new OGP status (or keep) → new percentage (or keep)
    → text → confirm → every follower gets a notification through the outbox
  → polls: every poll with its state and results → open | close;
    new: question → 2–10 options, one a line → closing date (or none) → a draft poll

Operators are those in the OPERATORS or ADMINS settings or with a stored operator or admin
role (`turn.is_operator`). The engine keeps non-operators out of this flow; every handler
here checks again when it runs (settings and roles change, state rows outlive them) and
refuses politely, with a warning in the log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot.core import dates, dialog
from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import MenuEntry, Registry
from bot.core.messages import AnyButton, Button
from bot.core.payloads import Payload
from bot.core.state import FlowState
from dialogs.handoff import service as handoff
from dialogs.plan import service
from dialogs.plan.views import (
    COMMENT_LIMIT,
    COMMITMENT_CODE,
    OPTION_LIMIT,
    QUESTION_LIMIT,
    commitment_title,
    localized,
    poll_period,
    progress_bar,
    results_text,
    stars,
    status_name,
)
from dialogs.questions import service as questions
from storage.models.plan import OGP_STATUSES, POLL_OPEN, Commitment, Feedback, Poll
from storage.repos.plan import PlanRepo
from storage.repos.residents import ResidentRepo

FLOW = "plan_operator"
INBOX_SIZE = 8


async def refuse(turn: Turn, what: str) -> None:
    await dialog.refuse(turn, "plan-operator", what)


operator_only = dialog.operator_only("plan-operator", FLOW)


@dataclass
class OperatorState(FlowState):
    """What the working group's screens keep between turns."""

    filter: str | None = None  # the inbox's commitment filter
    feedback_id: int | None = None
    code: str | None = None  # the commitment an update is being published for
    status: str | None = None
    progress: int | None = None
    text: str | None = None
    poll_id: int | None = None
    question: str | None = None
    options: list[str] | None = None


@dataclass(frozen=True, slots=True)
class Filter(Payload, prefix="f"):
    code: str  # a commitment's code, or "all"


@dataclass(frozen=True, slots=True)
class OpenFeedback(Payload, prefix="fb"):
    id: int


@dataclass(frozen=True, slots=True)
class PickCommitment(Payload, prefix="pc"):
    code: str


@dataclass(frozen=True, slots=True)
class PickStatus(Payload, prefix="ps"):
    status: str  # an OGP status, or KEEP


@dataclass(frozen=True, slots=True)
class OpenPoll(Payload, prefix="op"):
    id: int


KEEP = "keep"
KEEP_PROGRESS = "pp:keep"


# --- start -----------------------------------------------------------------------------
@operator_only
async def render_start(turn: Turn) -> None:
    waiting = await questions.waiting(turn.session)
    talks = await handoff.waiting(turn.session)
    turn.say(
        turn.t("plan-op-title"),
        [
            [Button(turn.t("plan-op-btn-inbox"), "inbox")],
            [Button(turn.t("plan-op-btn-questions", count=waiting), "questions")],
            [Button(turn.t("handoff-op-btn", count=talks), "handoff")],
            [Button(turn.t("plan-op-btn-publish"), "publish")],
            [Button(turn.t("plan-op-btn-polls"), "polls")],
            turn.nav_row(back=False),
        ],
    )


@operator_only
async def on_start(turn: Turn, payload: str) -> None:
    if payload in ("inbox", "publish", "polls"):
        await turn.goto(payload)
    elif payload == "questions":  # residents' questions have their own feature package
        await turn.start("questions_operator")
    elif payload == "handoff":  # so do conversations with a person
        await turn.start("handoff_operator")


# --- inbox → item → answer -------------------------------------------------------------
def _inbox_mark(feedback: Feedback) -> str:
    if feedback.comment is not None and feedback.answered_at is None:
        return "❗"
    return "✔️" if feedback.reviewed else "•"


@operator_only
async def render_inbox(turn: Turn) -> None:
    repo = PlanRepo(turn.session)
    commitments = await repo.commitments()
    code = turn.load(OperatorState).filter
    chosen = next((c for c in commitments if c.code == code), None)
    items = await repo.inbox(chosen.id if chosen else None, INBOX_SIZE)
    title = turn.t("plan-op-inbox-title", filter=commitment_title(turn, chosen) if chosen else "-")
    filters: list[AnyButton] = [Button(turn.t("plan-op-filter-all"), Filter("all").pack())]
    filters.extend(Button(str(c.number), Filter(c.code).pack()) for c in commitments)
    rows: list[list[AnyButton]] = [filters]
    for feedback, _ in items:
        label = f"{_inbox_mark(feedback)} {feedback.reference} {stars(feedback.rating)}"
        if feedback.comment is not None:
            label += " 💬"
        rows.append([Button(label, OpenFeedback(feedback.id).pack())])
    rows.append(turn.nav_row())
    turn.say(title if items else title + "\n" + turn.t("plan-op-inbox-empty"), rows)


@operator_only
async def on_inbox(turn: Turn, payload: str) -> None:
    state = turn.load(OperatorState)
    if (chosen := Filter.unpack(payload)) is not None:
        state.filter = chosen.code if COMMITMENT_CODE.match(chosen.code) else None
        turn.keep(state)
        await turn.goto("inbox")
    elif (opened := OpenFeedback.unpack(payload)) is not None:
        state.feedback_id = opened.id
        turn.keep(state)
        await turn.goto("item")


async def _item(turn: Turn) -> tuple[Feedback, Commitment] | None:
    feedback_id = turn.load(OperatorState).feedback_id
    repo = PlanRepo(turn.session)
    feedback = await repo.feedback(feedback_id) if feedback_id is not None else None
    if feedback is None:
        return None
    commitment = await repo.commitment_by_id(feedback.commitment_id)
    return None if commitment is None else (feedback, commitment)


@operator_only
async def render_item(turn: Turn) -> None:
    found = await _item(turn)
    if found is None:
        turn.say(turn.t("plan-not-found"))
        await turn.goto("inbox")
        return
    feedback, commitment = found
    zone = turn.engine.i18n.zone
    lines = [
        turn.t(
            "plan-op-item",
            reference=feedback.reference or "",
            date=turn.t.date(feedback.created_at.astimezone(zone).date()),
            commitment=commitment_title(turn, commitment),
            rating=feedback.rating,
        ),
    ]
    if feedback.comment is not None:
        lines.append(turn.t("plan-op-item-comment", comment=feedback.comment))
    else:
        lines.append(turn.t("plan-op-item-no-comment"))
    if feedback.consent:
        resident = await ResidentRepo(turn.session).by_id(feedback.resident_id)
        if resident is not None:
            lines.append(
                turn.t(
                    "plan-op-item-contact",
                    channel=resident.channel,
                    user=resident.user_id,
                    name=resident.display_name or "-",
                )
            )
    else:
        lines.append(turn.t("plan-op-item-no-consent"))
    if feedback.answer is not None:
        lines.append(turn.t("plan-op-item-answer", answer=feedback.answer))
    lines.append(turn.t("plan-op-item-reviewed" if feedback.reviewed else "plan-op-item-new"))
    rows: list[list[AnyButton]] = []
    if feedback.comment is not None and feedback.answer is None:
        rows.append([Button(turn.t("plan-op-btn-answer"), "answer")])
    if not feedback.reviewed:
        rows.append([Button(turn.t("plan-op-btn-reviewed"), "reviewed")])
    rows.append(turn.nav_row())
    turn.say("\n".join(lines), rows)


@operator_only
async def on_item(turn: Turn, payload: str) -> None:
    found = await _item(turn)
    if found is None:
        await turn.goto("inbox")
        return
    feedback, _ = found
    if payload == "answer" and feedback.comment is not None and feedback.answer is None:
        await turn.goto("answer")
    elif payload == "reviewed":
        await service.mark_reviewed(turn.session, feedback.id, actor=turn.acting, now=turn.now)
        turn.say(turn.t("plan-op-marked-reviewed"))
        await turn.goto("item")


@operator_only
async def render_answer(turn: Turn) -> None:
    turn.say(turn.t("plan-op-answer-ask", limit=COMMENT_LIMIT), [turn.nav_row()])


@operator_only
async def on_answer_text(turn: Turn, text: str) -> None:
    found = await _item(turn)
    if found is None:
        await turn.goto("inbox")
        return
    feedback, _commitment = found
    try:
        await service.answer_feedback(
            turn.session, feedback.id, text, actor=turn.acting, now=turn.now
        )
    except service.Refused:
        await turn.goto("item")  # answered meanwhile (e.g. on the console): show that answer
        return
    turn.say(turn.t("plan-op-answered"))
    await turn.goto("item")


# --- publish an update -----------------------------------------------------------------
async def _publish_target(turn: Turn) -> Commitment | None:
    code = turn.load(OperatorState).code or ""
    if not COMMITMENT_CODE.match(code):
        return None
    return await PlanRepo(turn.session).commitment(code)


@operator_only
async def render_publish(turn: Turn) -> None:
    commitments = await PlanRepo(turn.session).commitments()
    rows: list[list[AnyButton]] = [
        [Button(commitment_title(turn, c), PickCommitment(c.code).pack())] for c in commitments
    ]
    rows.append(turn.nav_row())
    turn.say(turn.t("plan-op-publish-choose"), rows)


@operator_only
async def on_publish(turn: Turn, payload: str) -> None:
    picked = PickCommitment.unpack(payload)
    if picked is not None and COMMITMENT_CODE.match(picked.code):
        turn.keep(
            replace(
                turn.load(OperatorState), code=picked.code, status=None, progress=None, text=None
            )
        )
        await turn.goto("publish_status")


@operator_only
async def render_publish_status(turn: Turn) -> None:
    commitment = await _publish_target(turn)
    if commitment is None:
        await turn.goto("publish")
        return
    rows: list[list[AnyButton]] = [
        [Button(status_name(turn, s), PickStatus(s).pack())] for s in OGP_STATUSES
    ]
    keep = turn.t("plan-op-keep", value=status_name(turn, commitment.status))
    rows.append([Button(keep, PickStatus(KEEP).pack())])
    rows.append(turn.nav_row())
    turn.say(turn.t("plan-op-publish-status", commitment=commitment_title(turn, commitment)), rows)


@operator_only
async def on_publish_status(turn: Turn, payload: str) -> None:
    picked = PickStatus.unpack(payload)
    state = turn.load(OperatorState)
    state.status = picked.status if picked and picked.status in OGP_STATUSES else None
    turn.keep(state)
    await turn.goto("publish_progress")


@operator_only
async def render_publish_progress(turn: Turn) -> None:
    commitment = await _publish_target(turn)
    if commitment is None:
        await turn.goto("publish")
        return
    turn.say(
        turn.t("plan-op-publish-progress", current=commitment.progress),
        [
            [Button(turn.t("plan-op-keep", value=f"{commitment.progress}%"), KEEP_PROGRESS)],
            turn.nav_row(),
        ],
    )


@operator_only
async def on_publish_progress_button(turn: Turn, payload: str) -> None:
    if payload == KEEP_PROGRESS:
        turn.keep(replace(turn.load(OperatorState), progress=None))
        await turn.goto("publish_text")


@operator_only
async def on_publish_progress_text(turn: Turn, text: str) -> None:
    value = text.strip().rstrip("%").strip()
    if not value.isdigit() or not 0 <= int(value) <= 100:
        turn.say(turn.t("plan-op-bad-percent"))
        await turn.goto("publish_progress")
        return
    turn.keep(replace(turn.load(OperatorState), progress=int(value)))
    await turn.goto("publish_text")


@operator_only
async def render_publish_text(turn: Turn) -> None:
    turn.say(turn.t("plan-op-publish-text", limit=COMMENT_LIMIT), [turn.nav_row()])


@operator_only
async def on_publish_text(turn: Turn, text: str) -> None:
    turn.keep(replace(turn.load(OperatorState), text=text))
    await turn.goto("publish_confirm")


@operator_only
async def render_publish_confirm(turn: Turn) -> None:
    commitment = await _publish_target(turn)
    state = turn.load(OperatorState)
    text = state.text
    if commitment is None or text is None:
        await turn.goto("publish")
        return
    status = state.status or commitment.status
    progress = state.progress
    followers = await PlanRepo(turn.session).followers(commitment.id)
    turn.say(
        turn.t(
            "plan-op-publish-preview",
            commitment=commitment_title(turn, commitment),
            status=status_name(turn, status),
            bar=progress_bar(commitment.progress if progress is None else progress),
            text=text,
            followers=len(followers),
        ),
        [
            [
                Button(turn.t("plan-op-btn-confirm"), "confirm"),
                Button(turn.t("plan-op-btn-cancel"), "cancel"),
            ],
            turn.nav_row(),
        ],
    )


@operator_only
async def on_publish_confirm(turn: Turn, payload: str) -> None:
    if payload == "cancel":
        turn.say(turn.t("plan-op-cancelled"))
        await turn.goto("start")
        return
    commitment = await _publish_target(turn)
    state = turn.load(OperatorState)
    text = state.text
    if payload != "confirm" or commitment is None or text is None:
        await turn.goto("publish")
        return
    status = state.status
    try:
        published = await service.publish_update(
            turn.session,
            commitment.code,
            text=text,
            status=status if status in OGP_STATUSES else None,
            progress=state.progress,
            actor=turn.acting,
            now=turn.now,
            zone=turn.engine.i18n.zone,
        )
    except service.Refused:
        await turn.goto("publish")
        return
    followers = published.notified
    turn.keep(replace(state, code=None, status=None, progress=None, text=None))
    turn.say(turn.t("plan-op-published", count=followers))
    await turn.goto("start")


# --- polls -----------------------------------------------------------------------------
async def _op_poll(turn: Turn) -> Poll | None:
    poll_id = turn.load(OperatorState).poll_id
    return await PlanRepo(turn.session).poll(poll_id) if poll_id is not None else None


@operator_only
async def render_polls(turn: Turn) -> None:
    polls = await PlanRepo(turn.session).polls(include_drafts=True)
    rows: list[list[AnyButton]] = [
        [
            Button(
                f"[{turn.t('plan-op-poll-state', state=p.state)}] "
                + localized(p.question, turn.locale),
                OpenPoll(p.id).pack(),
            )
        ]
        for p in polls
    ]
    rows.append([Button(turn.t("plan-op-btn-new-poll"), "new")])
    rows.append(turn.nav_row())
    turn.say(turn.t("plan-op-polls-title"), rows)


@operator_only
async def on_polls(turn: Turn, payload: str) -> None:
    state = turn.load(OperatorState)
    if payload == "new":
        turn.keep(replace(state, question=None, options=None))
        await turn.goto("new_question")
    elif (opened := OpenPoll.unpack(payload)) is not None:
        turn.keep(replace(state, poll_id=opened.id))
        await turn.goto("poll")


@operator_only
async def render_poll(turn: Turn) -> None:
    poll = await _op_poll(turn)
    if poll is None:
        await turn.goto("polls")
        return
    lines = [
        localized(poll.question, turn.locale),
        turn.t("plan-op-poll-state-line", state=poll.state),
    ]
    when = poll_period(turn, poll)
    if when:
        lines.append(when)
    lines.append("")
    lines.append(results_text(turn, await PlanRepo(turn.session).results(poll.id)))
    rows: list[list[AnyButton]] = []
    if not poll.accepts_votes(turn.now):
        rows.append([Button(turn.t("plan-op-btn-open"), "open")])
    if poll.state == POLL_OPEN:
        rows.append([Button(turn.t("plan-op-btn-close"), "close")])
    rows.append(turn.nav_row())
    turn.say("\n".join(lines), rows)


@operator_only
async def on_poll(turn: Turn, payload: str) -> None:
    poll = await _op_poll(turn)
    if poll is None:
        await turn.goto("polls")
        return
    if payload in ("open", "close"):
        await service.set_poll_state(
            turn.session, poll.id, payload, actor=turn.acting, now=turn.now
        )
        if payload == "open":
            turn.say(turn.t("plan-op-poll-opened", link=f"p{poll.id}"))
        else:
            turn.say(turn.t("plan-op-poll-closed"))
    await turn.goto("poll")


@operator_only
async def render_new_question(turn: Turn) -> None:
    turn.say(turn.t("plan-op-new-question", limit=QUESTION_LIMIT), [turn.nav_row()])


@operator_only
async def on_new_question(turn: Turn, text: str) -> None:
    turn.keep(replace(turn.load(OperatorState), question=text))
    await turn.goto("new_options")


@operator_only
async def render_new_options(turn: Turn) -> None:
    turn.say(turn.t("plan-op-new-options", limit=OPTION_LIMIT), [turn.nav_row()])


@operator_only
async def on_new_options(turn: Turn, text: str) -> None:
    try:
        options = service.poll_options(text)
    except service.Refused as refused:
        turn.say(turn.t("plan-op-bad-options", **refused.args_))
        await turn.goto("new_options")
        return
    turn.keep(replace(turn.load(OperatorState), options=options))
    await turn.goto("new_closes")


@operator_only
async def render_new_closes(turn: Turn) -> None:
    turn.say(
        turn.t("plan-op-new-closes"),
        [[Button(turn.t("plan-op-btn-no-end"), "noend")], turn.nav_row()],
    )


async def _create_poll(turn: Turn, closes_on: date | None) -> None:
    state = turn.load(OperatorState)
    question, options = state.question, state.options
    if question is None or options is None:
        await turn.goto("new_question")
        return
    try:
        poll = await service.create_poll(
            turn.session,
            question,
            "\n".join(options),
            closes_on,
            actor=turn.acting,
            now=turn.now,
            zone=turn.engine.i18n.zone,
        )
    except service.Refused as refused:
        if refused.key == "web-admin-error-past":
            turn.say(turn.t("plan-op-bad-date"))
            await turn.goto("new_closes")
        else:  # the steps checked each part; a state row from an older release may not have
            await turn.goto("new_question")
        return
    turn.keep(replace(state, poll_id=poll.id, question=None, options=None))
    turn.say(turn.t("plan-op-poll-created"))
    await turn.goto("poll")


@operator_only
async def on_new_closes_text(turn: Turn, text: str) -> None:
    closes_on = dates.parse_day(text, turn.now.astimezone(turn.engine.i18n.zone).date())
    if closes_on is None:
        turn.say(turn.t("plan-op-bad-date"))
        await turn.goto("new_closes")
        return
    await _create_poll(turn, closes_on)


@operator_only
async def on_new_closes_button(turn: Turn, payload: str) -> None:
    if payload == "noend":
        await _create_poll(turn, None)


# --- entry -----------------------------------------------------------------------------
async def operator_command(turn: Turn, _args: str) -> None:
    if not turn.is_operator:
        await refuse(turn, "/operator")
        return
    await turn.start(FLOW)


OPERATOR_FLOW = Flow(
    FLOW,
    {
        "start": Screen(render_start, on_button=on_start),
        "inbox": Screen(render_inbox, on_button=on_inbox, back="start"),
        "item": Screen(render_item, on_button=on_item, back="inbox"),
        "answer": Screen(
            render_answer, on_text=on_answer_text, text_limit=COMMENT_LIMIT, back="item"
        ),
        "publish": Screen(render_publish, on_button=on_publish, back="start"),
        "publish_status": Screen(
            render_publish_status, on_button=on_publish_status, back="publish"
        ),
        "publish_progress": Screen(
            render_publish_progress,
            on_button=on_publish_progress_button,
            on_text=on_publish_progress_text,
            text_limit=10,
            back="publish_status",
            numeric_input=True,
        ),
        "publish_text": Screen(
            render_publish_text,
            on_text=on_publish_text,
            text_limit=COMMENT_LIMIT,
            back="publish_progress",
        ),
        "publish_confirm": Screen(
            render_publish_confirm, on_button=on_publish_confirm, back="publish_text"
        ),
        "polls": Screen(render_polls, on_button=on_polls, back="start"),
        "poll": Screen(render_poll, on_button=on_poll, back="polls"),
        "new_question": Screen(
            render_new_question, on_text=on_new_question, text_limit=QUESTION_LIMIT, back="polls"
        ),
        "new_options": Screen(
            render_new_options, on_text=on_new_options, text_limit=1500, back="new_question"
        ),
        "new_closes": Screen(
            render_new_closes,
            on_text=on_new_closes_text,
            on_button=on_new_closes_button,
            text_limit=20,
            back="new_options",
        ),
    },
    operator_only=True,
)


def register(registry: Registry) -> None:
    registry.add_flow(OPERATOR_FLOW)
    registry.add_menu_entry(MenuEntry("menu-operator", FLOW, 95, operators_only=True))
    registry.add_interrupt("operator", operator_command)
