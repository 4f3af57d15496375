"""Plan feedback: the action plan's commitments, how far each has got, and what residents
think of them.

Steps:
  plan.start — the plan and its commitments, "my feedback", polls
  → plan.commitment — OGP status, a text progress bar, goals, latest updates; follow/unfollow
  → plan.rate — 1 to 5 (one current rating per commitment; rating again replaces it)
  → plan.comment — optional, up to 1000 characters, stored exactly as sent
  → plan.consent — only after a comment: may the working group contact you?
  → plan.thanks — a reference number for the feedback
  plan.mine — everything the resident sent and the working group's answers.

Deep link `/start c2` (Viber context `c2`) opens commitment 2. `g:unfollow:c2`, the button
on progress notifications, stops following it from anywhere.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import MenuEntry, Registry
from bot.core.messages import AnyButton, Button
from dialogs.plan.payloads import OpenCommitment, PlanState, Rate
from dialogs.plan.views import (
    COMMENT_LIMIT,
    COMMITMENT_CODE,
    RATINGS,
    commitment_title,
    localized,
    period,
    progress_bar,
    stars,
    status_name,
    update_line,
)
from storage.models.plan import Commitment, Feedback
from storage.repos.plan import PlanRepo

log = logging.getLogger(__name__)
LATEST_UPDATES = 3
MY_FEEDBACK = 10


async def _commitment(turn: Turn) -> Commitment | None:
    code = turn.load(PlanState).code or ""
    if not COMMITMENT_CODE.match(code):
        return None
    return await PlanRepo(turn.session).commitment(code)


async def _feedback(turn: Turn) -> Feedback | None:
    feedback_id = turn.load(PlanState).feedback_id
    if feedback_id is None:
        return None
    return await PlanRepo(turn.session).own_feedback(turn.resident.id, feedback_id)


async def _lost(turn: Turn) -> None:
    """The flow data points at nothing (content changed meanwhile): back to the list."""
    turn.say(turn.t("plan-not-found"))
    turn.keep(PlanState())
    await turn.goto("start")


# --- plan.start ------------------------------------------------------------------------
async def render_start(turn: Turn) -> None:
    repo = PlanRepo(turn.session)
    document = await repo.document()
    commitments = await repo.commitments()
    if document is None or not commitments:
        turn.say(turn.t("plan-empty"), [turn.nav_row(back=False)])
        return
    ended = _ended(turn, document.ends_on)
    lines = [
        localized(document.title, turn.locale),
        turn.t("plan-period", period=period(turn, document.submitted_on, document.ends_on)),
    ]
    if ended:
        lines.append(turn.t("plan-period-ended"))
        if document.next_steps:
            lines.append(localized(document.next_steps, turn.locale))
    else:
        lines.append(localized(document.summary, turn.locale))
    lines += ["", turn.t("plan-choose-final" if ended else "plan-choose-commitment")]
    for c in commitments:
        lines.append(
            f"{commitment_title(turn, c)} — {status_name(turn, c.status)}, {c.progress}%"
            + (" " + turn.t("plan-example-mark") if c.example else "")
        )
    rows: list[list[AnyButton]] = [
        [Button(commitment_title(turn, c), OpenCommitment(c.code).pack())] for c in commitments
    ]
    rows.append(
        [Button(turn.t("plan-btn-mine"), "mine"), Button(turn.t("plan-btn-polls"), "polls")]
    )
    rows.append(turn.nav_row(back=False))
    turn.say("\n".join(line for line in lines if line is not None), rows)


async def on_start(turn: Turn, payload: str) -> None:
    if (opened := OpenCommitment.unpack(payload)) is not None:
        turn.keep(replace(turn.load(PlanState), code=opened.code))
        if await _commitment(turn) is None:
            await _lost(turn)
            return
        await turn.goto("commitment")
    elif payload == "mine":
        await turn.goto("mine")
    elif payload == "polls":
        await turn.start("polls")


def _ended(turn: Turn, ends_on: date | None) -> bool:
    """The plan's period is over (its last day has passed in the city)."""
    return ends_on is not None and turn.now.astimezone(turn.engine.i18n.zone).date() > ends_on


# --- plan.commitment -------------------------------------------------------------------
async def render_commitment(turn: Turn) -> None:
    """The card: what the commitment is, where it stands and since when; its goals, its
    timeline and who leads it are one button away, so the card fits one phone screen."""
    commitment = await _commitment(turn)
    if commitment is None:
        await _lost(turn)
        return
    repo = PlanRepo(turn.session)
    t = turn.t
    document = await repo.document()
    ended = document is not None and _ended(turn, document.ends_on)
    updates = await repo.updates(commitment.id, LATEST_UPDATES)
    lines = [commitment_title(turn, commitment), localized(commitment.description, turn.locale)]
    lines.append("")
    lines.append(
        t("plan-final-status-line" if ended else "plan-status-line", status=commitment.status)
    )
    lines.append(t("plan-progress-line", bar=progress_bar(commitment.progress)))
    if updates:
        lines.append(t("plan-last-update", date=t.date(updates[0].published_on)))
    if commitment.example:
        worked_on = any(not u.example for u in updates)
        lines.append(t("plan-example-note-updated" if worked_on else "plan-example-note"))
    rating = await repo.current_rating(turn.resident.id, commitment.id)
    if rating is not None:
        lines.append(t("plan-your-rating", rating=rating, stars=stars(rating)))
    following = await repo.is_following(turn.resident.id, commitment.id)
    rows: list[list[AnyButton]] = [
        [
            Button(t("plan-btn-rate" if rating is None else "plan-btn-rerate"), "rate"),
            Button(t("plan-btn-unfollow"), "unfollow")
            if following
            else Button(t("plan-btn-follow"), "follow"),
        ],
        [Button(t("plan-btn-goals"), "goals"), Button(t("plan-btn-updates"), "updates")],
        turn.nav_row(),
    ]
    turn.say("\n".join(lines), rows)


async def render_goals(turn: Turn) -> None:
    """Who leads the commitment, its dates, its id in the OGP database, and its goals."""
    commitment = await _commitment(turn)
    if commitment is None:
        await _lost(turn)
        return
    t = turn.t
    lines = [commitment_title(turn, commitment)]
    if commitment.lead:
        lines.append(t("plan-lead", lead=localized(commitment.lead, turn.locale)))
    when = period(turn, commitment.starts_on, commitment.ends_on)
    if when:
        lines.append(t("plan-dates", period=when))
    if commitment.ogp_id:
        lines.append(t("plan-ogp-id", id=commitment.ogp_id))
    milestones = await PlanRepo(turn.session).milestones(commitment.id)
    if milestones:
        lines.append("")
        lines.append(t("plan-goals"))
        for m in milestones:
            mark = "✅" if m.done else "▫️"
            example = " " + t("plan-example-mark") if m.example else ""
            lines.append(f"{mark} {localized(m.text, turn.locale)}{example}")
    turn.say("\n".join(lines), [turn.nav_row()])


async def render_updates(turn: Turn) -> None:
    """The latest steps of the commitment's timeline."""
    commitment = await _commitment(turn)
    if commitment is None:
        await _lost(turn)
        return
    updates = await PlanRepo(turn.session).updates(commitment.id, LATEST_UPDATES)
    lines = [commitment_title(turn, commitment), ""]
    if updates:
        lines.append(turn.t("plan-latest-updates"))
        lines.extend(update_line(turn, u) for u in updates)
    else:
        lines.append(turn.t("plan-news-empty"))
    turn.say("\n".join(lines), [turn.nav_row()])


async def on_commitment(turn: Turn, payload: str) -> None:
    commitment = await _commitment(turn)
    if commitment is None:
        await _lost(turn)
        return
    repo = PlanRepo(turn.session)
    if payload in ("rate", "goals", "updates"):
        await turn.goto(payload)
    elif payload == "follow":
        await repo.follow(turn.resident.id, commitment.id, turn.now)
        turn.say(turn.t("plan-followed", number=commitment.number))
        await turn.goto("commitment")
    elif payload == "unfollow":
        await repo.unfollow(turn.resident.id, commitment.id)
        turn.say(turn.t("plan-unfollowed", number=commitment.number))
        await turn.goto("commitment")


# --- plan.rate → comment → consent → thanks --------------------------------------------
async def render_rate(turn: Turn) -> None:
    commitment = await _commitment(turn)
    if commitment is None:
        await _lost(turn)
        return
    current = await PlanRepo(turn.session).current_rating(turn.resident.id, commitment.id)
    text = turn.t("plan-rate-ask", title=commitment_title(turn, commitment))
    if current is not None:
        text += "\n" + turn.t("plan-rate-current", rating=current)
    turn.say(
        text,
        [[Button(str(r), Rate(r).pack()) for r in RATINGS], turn.nav_row()],
    )


async def on_rate(turn: Turn, payload: str) -> None:
    commitment = await _commitment(turn)
    rated = Rate.unpack(payload)
    if commitment is None:
        await _lost(turn)
        return
    if rated is None or rated.stars not in RATINGS:
        await turn.goto("rate")
        return
    feedback = await PlanRepo(turn.session).rate(
        turn.resident.id, commitment, rated.stars, turn.now
    )
    turn.keep(replace(turn.load(PlanState), feedback_id=feedback.id))
    await turn.goto("comment")


async def render_comment(turn: Turn) -> None:
    feedback = await _feedback(turn)
    if feedback is None:
        await _lost(turn)
        return
    turn.say(
        turn.t("plan-comment-ask", rating=feedback.rating, limit=COMMENT_LIMIT),
        [[Button(turn.t("plan-btn-skip"), "skip")]],
    )


async def on_comment_text(turn: Turn, text: str) -> None:
    feedback = await _feedback(turn)
    if feedback is None:
        await _lost(turn)
        return
    # Stored exactly as the resident wrote it; adapters escape it whenever it is shown.
    raw = turn.incoming.text
    feedback.comment = raw if raw.strip() == text and len(raw) <= COMMENT_LIMIT else text
    await turn.goto("consent")


async def on_comment_button(turn: Turn, payload: str) -> None:
    if payload == "skip":
        await turn.goto("thanks")


async def render_consent(turn: Turn) -> None:
    turn.say(
        turn.t("plan-consent-ask"),
        [[Button(turn.t("btn-yes"), "consent:yes"), Button(turn.t("btn-no"), "consent:no")]],
    )


async def on_consent(turn: Turn, payload: str) -> None:
    feedback = await _feedback(turn)
    if feedback is None:
        await _lost(turn)
        return
    feedback.consent = payload == "consent:yes"
    await turn.goto("thanks")


async def render_thanks(turn: Turn) -> None:
    feedback = await _feedback(turn)
    if feedback is None:
        await _lost(turn)
        return
    text = turn.t("plan-thanks", reference=feedback.reference or "")
    if feedback.comment is not None:
        text += "\n" + turn.t("plan-thanks-consent" if feedback.consent else "plan-thanks-anon")
    turn.say(
        text,
        [
            [Button(turn.t("plan-btn-to-commitment"), "commitment")],
            [Button(turn.t("plan-btn-mine"), "mine")],
            turn.nav_row(back=False),
        ],
    )


async def on_thanks(turn: Turn, payload: str) -> None:
    if payload in ("commitment", "mine"):
        await turn.goto(payload)


# --- plan.mine -------------------------------------------------------------------------
async def render_mine(turn: Turn) -> None:
    items = await PlanRepo(turn.session).resident_feedback(turn.resident.id, MY_FEEDBACK)
    if not items:
        turn.say(turn.t("plan-mine-empty"), [turn.nav_row()])
        return
    blocks = [turn.t("plan-mine-title")]
    for feedback, commitment in items:
        block = [
            turn.t(
                "plan-mine-head",
                reference=feedback.reference or "",
                date=turn.t.date(feedback.created_at.astimezone(turn.engine.i18n.zone).date()),
            ),
            f"{commitment_title(turn, commitment)} — {stars(feedback.rating)}",
        ]
        if not feedback.current:
            block.append(turn.t("plan-mine-replaced"))
        if feedback.comment is not None:
            block.append(turn.t("plan-mine-comment", comment=feedback.comment))
            if feedback.answer is not None:
                block.append(turn.t("plan-mine-answer", answer=feedback.answer))
            else:
                block.append(turn.t("plan-mine-waiting"))
        blocks.append("\n".join(block))
    turn.say("\n\n".join(blocks), [turn.nav_row()])


# --- deep link and global action -------------------------------------------------------
async def open_commitment_link(turn: Turn, payload: str) -> bool:
    if not COMMITMENT_CODE.match(payload):
        return False
    if await PlanRepo(turn.session).commitment(payload) is None:
        return False
    await turn.start("plan", "commitment", code=payload)
    return True


async def unfollow_action(turn: Turn, arg: str) -> None:
    """`g:unfollow:c2` from a notification: the argument comes from outside, check it."""
    repo = PlanRepo(turn.session)
    commitment = await repo.commitment(arg) if COMMITMENT_CODE.match(arg) else None
    if commitment is None:
        log.info("unfollow of an unknown commitment", extra={"correlation_id": turn.correlation_id})
        turn.say(turn.t("plan-not-found"))
    else:
        await repo.unfollow(turn.resident.id, commitment.id)
        turn.say(turn.t("plan-unfollowed", number=commitment.number))
    await turn.engine.render_current(turn)


PLAN_FLOW = Flow(
    "plan",
    {
        "start": Screen(render_start, on_button=on_start),
        "commitment": Screen(render_commitment, on_button=on_commitment, back="start"),
        "rate": Screen(render_rate, on_button=on_rate, back="commitment"),
        "goals": Screen(render_goals, back="commitment"),
        "updates": Screen(render_updates, back="commitment"),
        "comment": Screen(
            render_comment,
            on_button=on_comment_button,
            on_text=on_comment_text,
            text_limit=COMMENT_LIMIT,
        ),
        "consent": Screen(render_consent, on_button=on_consent),
        "thanks": Screen(render_thanks, on_button=on_thanks),
        "mine": Screen(render_mine, back="start"),
    },
)


def register(registry: Registry) -> None:
    registry.add_flow(PLAN_FLOW)
    registry.add_menu_entry(MenuEntry("menu-plan", PLAN_FLOW.name, 10))
    registry.add_deep_link("c", open_commitment_link)
    registry.add_global_action("unfollow", unfollow_action)
