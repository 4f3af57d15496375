"""A comment is answered once, even when two operators (chat and console) answer together."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.app import Svoi
from storage import clock
from storage.db import Database
from storage.models.plan import Feedback
from storage.repos.plan import PlanRepo
from tests.support.conversation import Resident


async def test_the_first_answer_wins(svoi: Svoi, db: Database, plan: None) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.press("Plan & feedback")
    await resident.press("Green City")
    await resident.press("Rate")
    await resident.press("3")
    await resident.send("Where is the waste education centre?")
    await resident.press("No")
    async with db.transaction() as session:
        (feedback_id,) = (await session.execute(select(Feedback.id))).scalars().all()

    async def answer(text: str, author: str) -> bool:
        async with db.transaction() as session:
            feedback = await session.get(Feedback, feedback_id)
            assert feedback is not None
            return await PlanRepo(session).answer(feedback, text, author, clock.now())

    if db.is_sqlite:  # one writer at a time: the second sees the first's answer
        results = [await answer("At Kropyvnytskoho 6A", "telegram:1")]
        async with db.transaction() as session:
            feedback = await session.get(Feedback, feedback_id)
            assert feedback is not None
            results.append(await PlanRepo(session).answer(feedback, "Other", "web:2", clock.now()))
    else:
        results = list(
            await asyncio.gather(
                answer("At Kropyvnytskoho 6A", "telegram:1"), answer("Other", "web:2")
            )
        )
    assert sorted(results) == [False, True]
    async with db.transaction() as session:
        stored = await session.get(Feedback, feedback_id)
        assert stored is not None
        winner = "At Kropyvnytskoho 6A" if results[0] else "Other"
        assert stored.answer == winner
