"""A resident's question reaches the working group and the answer comes back: asked on
Telegram or Viber over real HTTP, answered by an operator in the chat or on the service, the
answer delivered by the outbox to the messenger the resident asked from, on both databases.
Run them with `pytest -k "question and answer"`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.app import Svoi
from bot.config import Settings
from bot.core.actions import Actor, Refused
from bot.delivery.service import DeliveryService
from dialogs.questions import service
from storage import clock
from storage.db import Database
from storage.models import Resident as ResidentRow
from storage.models.services import ServiceQuestion
from storage.repos.access import AuditRepo
from tests.channels.parity_messengers import Messenger, telegram_messenger, viber_messenger
from tests.delivery.conftest import eventually, fast_config
from tests.support.conversation import Resident

CONSOLE = Actor("telegram:5550001", "operator", via="web")


@dataclass
class Asker:
    """A resident on a messenger, the Svoi that serves it, and what the platform delivered."""

    svoi: Svoi
    chat: Messenger
    delivered: Callable[[], list[str]]


@pytest.fixture(params=["telegram", "viber"])
async def asker(
    request: pytest.FixtureRequest, settings: Settings, db: Database, db_url: str
) -> AsyncIterator[Asker]:
    opened = telegram_messenger if request.param == "telegram" else viber_messenger
    async with opened(settings, db, db_url) as (svoi, chat, delivered):
        delivery = DeliveryService(svoi, configs={request.param: fast_config()})
        await delivery.start()
        yield Asker(svoi, chat, delivered)
        await delivery.stop()


async def _ask(chat: Messenger, text: str) -> int:
    await chat.send("/start")
    await chat.press("English")
    await chat.send("/myquestions")
    assert "You have not asked any questions yet" in chat.text
    await chat.press("Ask a question")
    assert "Type your question in one message" in chat.text
    await chat.send(text)
    assert "Your question No." in chat.text
    reference = int(chat.text.split("Your question No. ", 1)[1].split(" ", 1)[0])
    return reference


async def _arrived(asker: Asker, needle: str) -> None:
    async def check() -> bool:
        return any(needle in text for text in asker.delivered())

    await eventually(check, within=20)


async def test_a_question_asked_in_a_messenger_gets_an_answer_from_the_chat(
    asker: Asker, db: Database
) -> None:
    reference = await _ask(asker.chat, "When will the bus stop on Proskurivska be repaired?")

    operator = Resident.on(asker.svoi.engine, user_id="operator-1")
    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Questions (1)")
    assert "waiting for an answer: 1" in operator.text
    await operator.press(f"q:{reference}")
    assert "When will the bus stop on Proskurivska be repaired?" in operator.text
    await operator.press("Answer")
    await operator.send("The repair is planned for March; the contractor is chosen.")
    assert "The answer has been sent to the resident." in operator.text

    await _arrived(asker, f"An answer to your question No. {reference}")
    answer = next(t for t in asker.delivered() if "An answer to your question" in t)
    assert 'You asked: "When will the bus stop on Proskurivska be repaired?"' in answer
    assert "Answer: The repair is planned for March; the contractor is chosen." in answer

    await asker.chat.send("/myquestions")
    assert f"No. {reference} of" in asker.chat.text
    assert "✅ Answered" in asker.chat.text
    assert "Answer: The repair is planned for March" in asker.chat.text

    async with db.transaction() as session:
        row = await session.get(ServiceQuestion, reference)
        entries = await AuditRepo(session).latest(20)
    assert row is not None and row.status == "answered"
    assert row.answered_by == "test:operator-1"
    assert any(e.action == "question-answered" and e.target == str(reference) for e in entries)


async def test_a_question_that_is_not_ours_gets_an_answer_saying_where_to_turn(
    asker: Asker, db: Database
) -> None:
    reference = await _ask(asker.chat, "My sick leave certificate was not issued, what to do?")
    async with db.transaction() as session:
        await service.redirect(
            session,
            reference,
            "Your family doctor issues it in the electronic health system.",
            actor=CONSOLE,
            now=clock.now(),
        )
    await _arrived(asker, f"Your question No. {reference} is not within")
    await asker.chat.send("/myquestions")
    assert "↪️ Not a question for the city council" in asker.chat.text
    assert "Answer: Your family doctor issues it" in asker.chat.text


async def test_a_question_gets_one_answer_when_two_operators_answer(
    svoi: Svoi, db: Database, resident: Resident
) -> None:
    await resident.onboard("en")
    async with db.transaction() as session:
        resident_id = (
            await session.execute(
                select(ResidentRow.id).where(ResidentRow.user_id == resident.user_id)
            )
        ).scalar_one()
        asked = await service.ask(
            session, resident_id, "Where do I renew a parking permit?", now=clock.now()
        )
    async with db.transaction() as session:
        await service.answer(session, asked.id, "At the ЦНАП.", actor=CONSOLE, now=clock.now())
    with pytest.raises(Refused) as second:
        async with db.transaction() as session:
            await service.answer(session, asked.id, "Online.", actor=CONSOLE, now=clock.now())
    assert second.value.key == "web-admin-error-already-answered"
    async with db.transaction() as session:
        rows = (await session.execute(select(ServiceQuestion))).scalars().all()
    assert [(r.status, r.answer) for r in rows] == [("answered", "At the ЦНАП.")]


async def test_a_resident_cannot_reach_the_answer_screens_of_questions(
    resident: Resident,
) -> None:
    await resident.onboard("en")
    await resident.send("/questions")
    assert "for the working group only" in resident.text
