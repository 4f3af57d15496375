"""Polls: the plan's public opinion poll and later ones.

Steps:
  polls.start — open and closed polls (drafts stay with the working group)
  → polls.poll — the question; while it is open and the resident has not voted, one button
    per option; a vote is final (Diia-style) and then the results show, with counts and
    percentages; a closed poll shows its results to everyone.

Deep link `/start p<id>` opens a poll.
"""

from __future__ import annotations

import logging
import re

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button
from dialogs.plan.payloads import OpenPoll, PollsState, Vote
from dialogs.plan.views import localized, poll_period, results_text
from storage.models.plan import POLL_DRAFT, Poll
from storage.repos import linking
from storage.repos.plan import PlanRepo

log = logging.getLogger(__name__)
POLL_LINK = re.compile(r"^p([0-9]{1,9})$")


async def _poll(turn: Turn) -> Poll | None:
    poll_id = turn.load(PollsState).poll_id
    if poll_id is None:
        return None
    poll = await PlanRepo(turn.session).poll(poll_id)
    return None if poll is None or poll.state == POLL_DRAFT else poll


async def render_start(turn: Turn) -> None:
    polls = await PlanRepo(turn.session).polls()
    if not polls:
        turn.say(turn.t("plan-poll-none"), [turn.nav_row(back=False)])
        return
    rows: list[list[AnyButton]] = []
    for poll in polls:
        mark = "🔒" if poll.is_closed(turn.now) else "🗳"
        rows.append(
            [Button(f"{mark} {localized(poll.question, turn.locale)}", OpenPoll(poll.id).pack())]
        )
    rows.append(turn.nav_row(back=False))
    turn.say(turn.t("plan-poll-list"), rows)


async def on_start(turn: Turn, payload: str) -> None:
    if (opened := OpenPoll.unpack(payload)) is not None:
        turn.keep(PollsState(poll_id=opened.id))
        await turn.goto("poll")


async def render_poll(turn: Turn) -> None:
    poll = await _poll(turn)
    if poll is None:
        turn.say(turn.t("plan-poll-not-found"))
        await turn.goto("start")
        return
    repo = PlanRepo(turn.session)
    lines = [localized(poll.question, turn.locale)]
    if poll.example:
        lines.append(turn.t("plan-poll-example"))
    when = poll_period(turn, poll)
    if when:
        lines.append(when)
    voted = await repo.vote_of(poll.id, turn.resident.id)
    rows: list[list[AnyButton]] = []
    if voted is not None or poll.is_closed(turn.now):
        results = await repo.results(poll.id)
        if voted is not None:
            chosen = next((r.option for r in results if r.option.id == voted), None)
            if chosen is not None:
                lines.append(
                    turn.t("plan-poll-your-vote", option=localized(chosen.text, turn.locale))
                )
        if poll.is_closed(turn.now):
            lines.append(turn.t("plan-poll-closed"))
        lines.append("")
        lines.append(results_text(turn, results))
    elif poll.accepts_votes(turn.now):
        lines.append(turn.t("plan-poll-choose"))
        rows = [
            [Button(localized(o.text, turn.locale), Vote(o.id).pack())]
            for o in await repo.options(poll.id)
        ]
    else:
        lines.append(turn.t("plan-poll-not-open"))
    rows.append(turn.nav_row())
    turn.say("\n".join(lines), rows)


async def on_poll(turn: Turn, payload: str) -> None:
    poll = await _poll(turn)
    vote = Vote.unpack(payload)
    if poll is None or vote is None:
        await turn.goto("start")
        return
    option_id = vote.option_id
    repo = PlanRepo(turn.session)
    # Checked again now: the poll may have closed since its buttons were shown.
    if not poll.accepts_votes(turn.now):
        turn.say(turn.t("plan-poll-vote-late"))
        await turn.goto("poll")
        return
    if option_id not in {o.id for o in await repo.options(poll.id)}:
        log.info("vote for a foreign option", extra={"correlation_id": turn.correlation_id})
        await turn.goto("poll")
        return
    # One vote per person: linked messengers share the profile's vote (docs/linking.md).
    if await repo.vote(poll.id, option_id, turn.resident.id, turn.now):
        turn.say(turn.t("plan-poll-vote-counted"))
    elif len(await linking.members(turn.session, turn.resident.id)) > 1:
        turn.say(turn.t("linking-vote-twice"))
    else:
        turn.say(turn.t("plan-poll-vote-twice"))
    await turn.goto("poll")


async def open_poll_link(turn: Turn, payload: str) -> bool:
    match = POLL_LINK.match(payload)
    if match is None:
        return False
    poll = await PlanRepo(turn.session).poll(int(match.group(1)))
    if poll is None or poll.state == POLL_DRAFT:
        return False
    await turn.start("polls", "poll", poll_id=poll.id)
    return True


POLLS_FLOW = Flow(
    "polls",
    {
        "start": Screen(render_start, on_button=on_start),
        "poll": Screen(render_poll, on_button=on_poll, back="start"),
    },
)


def register(registry: Registry) -> None:
    registry.add_flow(POLLS_FLOW)
    registry.add_deep_link("p", open_poll_link)
