"""Residents' questions to the council, the only implementation of their actions: a resident
asks (from the services section, when the catalogue had no answer); the working group sees
the waiting ones, answers, or says the question is not the council's and where to turn; the
answer reaches the resident's channel through the outbox; "my questions" shows each with its
status and answer.

Every function runs in the caller's transaction. An answer is given once: two operators
answering at the same moment (chat and console) cannot both win, and the resident is
notified once (one de-duplication key per question). Operators' actions are audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Actor, Refused, checked_text
from bot.delivery.outbox import OutboxButton, notify_resident
from storage.models.services import (
    QUESTION_ANSWERED,
    QUESTION_NEW,
    QUESTION_REDIRECTED,
    ServiceQuestion,
)

__all__ = [
    "ANSWER_LIMIT",
    "MINE_ACTION",
    "QUESTION_LIMIT",
    "QUESTION_MIN",
    "Refused",
    "answer",
    "ask",
    "excerpt",
    "inbox",
    "mine",
    "question",
    "redirect",
    "waiting",
]

QUESTION_LIMIT = 1000
QUESTION_MIN = 5
ANSWER_LIMIT = 2000
MINE_ACTION = "myquestions"  # `g:myquestions`: the button under an answer


def excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def ask(
    session: AsyncSession,
    resident_id: int,
    text: str,
    *,
    search_query: str = "",
    service_code: str | None = None,
    now: datetime,
) -> ServiceQuestion:
    """Store a resident's question; its id is the reference the resident is given."""
    text = text.strip()
    if len(text) < QUESTION_MIN:
        raise Refused("services-ask-too-short")
    if len(text) > QUESTION_LIMIT:
        raise Refused("input-too-long", length=len(text), limit=QUESTION_LIMIT)
    row = ServiceQuestion(
        resident_id=resident_id,
        text=text,
        search_query=search_query[:300],
        service_code=service_code,
        status=QUESTION_NEW,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def question(session: AsyncSession, question_id: int) -> ServiceQuestion | None:
    return await session.get(ServiceQuestion, question_id)


async def inbox(
    session: AsyncSession, *, waiting_only: bool = True, limit: int = 50
) -> list[ServiceQuestion]:
    """The working group's list: the waiting questions, oldest first (they waited longest);
    with `waiting_only` off, every question, newest first."""
    query = select(ServiceQuestion)
    if waiting_only:
        query = query.where(ServiceQuestion.status == QUESTION_NEW).order_by(ServiceQuestion.id)
    else:
        query = query.order_by(ServiceQuestion.id.desc())
    return list((await session.execute(query.limit(limit))).scalars())


async def waiting(session: AsyncSession) -> int:
    count = await session.execute(
        select(func.count()).where(ServiceQuestion.status == QUESTION_NEW)
    )
    return int(count.scalar() or 0)


async def mine(session: AsyncSession, resident_id: int, limit: int = 5) -> list[ServiceQuestion]:
    """A resident's own questions, newest first."""
    rows = await session.execute(
        select(ServiceQuestion)
        .where(ServiceQuestion.resident_id == resident_id)
        .order_by(ServiceQuestion.id.desc())
        .limit(limit)
    )
    return list(rows.scalars())


async def _settle(
    session: AsyncSession,
    question_id: int,
    text: str,
    status: str,
    *,
    actor: Actor,
    now: datetime,
) -> ServiceQuestion:
    text = checked_text(text, ANSWER_LIMIT)
    row = await question(session, question_id)
    if row is None:
        raise Refused("web-admin-error-not-found")
    # One answer per question: the first operator wins, whichever front end they use.
    won = await session.execute(
        update(ServiceQuestion)
        .where(ServiceQuestion.id == question_id, ServiceQuestion.status == QUESTION_NEW)
        .values(status=status, answer=text, answered_at=now, answered_by=actor.name)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        raise Refused("web-admin-error-already-answered")
    await session.refresh(row)
    await notify_resident(
        session,
        row.resident_id,
        kind="question-answer",
        dedup_key=f"question-answer:{row.id}",
        template_key=(
            "questions-notify-answer"
            if status == QUESTION_ANSWERED
            else "questions-notify-redirected"
        ),
        template_args={"reference": str(row.id), "question": excerpt(row.text), "answer": text},
        buttons=((OutboxButton("questions-btn-mine", f"g:{MINE_ACTION}"),),),
        category="question-answers",
    )
    actor.audit(session, f"question-{status}", str(row.id))
    return row


async def answer(
    session: AsyncSession, question_id: int, text: str, *, actor: Actor, now: datetime
) -> ServiceQuestion:
    """Answer a waiting question; the resident gets the answer in their channel."""
    return await _settle(session, question_id, text, QUESTION_ANSWERED, actor=actor, now=now)


async def redirect(
    session: AsyncSession, question_id: int, pointer: str, *, actor: Actor, now: datetime
) -> ServiceQuestion:
    """ "Not ours": the question is for another institution; `pointer` tells the resident
    where to turn (who, how to reach them)."""
    return await _settle(session, question_id, pointer, QUESTION_REDIRECTED, actor=actor, now=now)
