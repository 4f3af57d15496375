"""Shared pieces of the plan screens (plan, news, polls, working group): texts in the
resident's language, the text progress bar, status names, timeline and poll results."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot.core.dialog import Turn
from storage.models.plan import Commitment, Poll, ProgressUpdate
from storage.repos.plan import OptionResult, percentages

COMMITMENT_CODE = re.compile(r"^c[0-9]{1,3}$")
BAR_CELLS = 10
RATINGS = range(1, 6)
COMMENT_LIMIT = 1000
QUESTION_LIMIT = 300  # a poll's question
OPTION_LIMIT = 100  # one poll option


def localized(texts: dict[str, Any] | None, locale: str) -> str:
    """The text in the resident's language, else Ukrainian, else whatever there is."""
    if not texts:
        return ""
    for candidate in (locale, "uk", "en"):
        value = texts.get(candidate)
        if value:
            return str(value)
    return str(next(iter(texts.values())))


def progress_bar(percent: int) -> str:
    percent = max(0, min(100, percent))
    filled = round(percent * BAR_CELLS / 100)
    return "▰" * filled + "▱" * (BAR_CELLS - filled) + f" {percent}%"


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def status_name(turn: Turn, status: str) -> str:
    return turn.t("plan-status", status=status)


def commitment_title(turn: Turn, commitment: Commitment) -> str:
    return f"{commitment.number}. {localized(commitment.title, turn.locale)}"


def period(turn: Turn, start: date | None, end: date | None) -> str:
    if start and end:
        return f"{turn.t.date(start)} – {turn.t.date(end)}"
    if end:
        return turn.t.date(end)
    return turn.t.date(start) if start else ""


def update_line(turn: Turn, update: ProgressUpdate, commitment: Commitment | None = None) -> str:
    """One step of a timeline: date, (commitment), new state, text, example label."""
    head = f"📅 {turn.t.date(update.published_on)}"
    if commitment is not None:
        head += " · " + turn.t("plan-commitment-short", number=commitment.number)
    state = []
    if update.status:
        state.append(status_name(turn, update.status))
    if update.progress is not None:
        state.append(f"{update.progress}%")
    if state:
        head += " · " + ", ".join(state)
    line = f"{head}\n{localized(update.text, turn.locale)}"
    if update.example:
        line += " " + turn.t("plan-example-mark")
    return line


def results_text(turn: Turn, results: list[OptionResult]) -> str:
    shares = percentages([r.votes for r in results])
    lines = [
        turn.t(
            "plan-poll-result-line",
            option=localized(r.option.text, turn.locale),
            votes=r.votes,
            percent=share,
        )
        for r, share in zip(results, shares, strict=True)
    ]
    total = sum(r.votes for r in results)
    lines.append(turn.t("plan-poll-total", votes=total))
    return "\n".join(lines)


def poll_period(turn: Turn, poll: Poll) -> str:
    zone = turn.engine.i18n.zone
    start = poll.opens_at.astimezone(zone).date() if poll.opens_at else None
    # closes_at is the first moment voting is over: the last day shown is the one before it.
    end = (
        (poll.closes_at - timedelta(microseconds=1)).astimezone(zone).date()
        if poll.closes_at
        else None
    )
    if start and end:
        return turn.t("plan-poll-period", start=turn.t.date(start), end=turn.t.date(end))
    if start:
        return turn.t("plan-poll-since", start=turn.t.date(start))
    if end:
        return turn.t("plan-poll-until", end=turn.t.date(end))
    return ""
