"""Residents' questions on the console: a resident asks in the chat, the operator sees it in
the list (which refreshes itself) with the waiting count in the navigation, answers, and the
answer goes to the resident's channel through the outbox once; a second answer is refused;
"not ours" tells the resident where to turn; viewers and logged-out users are refused.
Times on the console are the city's (Kyiv) with the zone shown, never UTC.
Run the answering ones with `pytest -k "question and answer"`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot.core.capabilities import TELEGRAM
from dialogs.questions import service as questions
from storage import clock
from storage.models.access import AuditEntry
from storage.models.plan import Feedback
from storage.models.services import ServiceQuestion
from tests.support.conversation import Resident
from tests.web.conftest import OPERATOR, VIEWER, WebService, add_account, login, text
from tests.web.test_console_pages import outbox, post, telegram_resident_with_comment

QUESTION = "When will the bus stop on Proskurivska be repaired?"
NBSP = "\u00a0"


async def ask_in_the_chat(web: WebService, user_id: str = "310000901") -> ServiceQuestion:
    resident = Resident.on(
        web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id=user_id, language="en"
    )
    await resident.onboard("en")
    await resident.send("/myquestions")
    await resident.press("Ask a question")
    await resident.send(QUESTION)
    assert "Your question No." in resident.text
    async with web.svoi.db.transaction() as session:
        return (await session.execute(select(ServiceQuestion))).scalar_one()


async def question_row(web: WebService, question_id: int) -> ServiceQuestion:
    async with web.svoi.db.transaction() as session:
        row = await questions.question(session, question_id)
        assert row is not None
        return row


async def test_an_operator_sees_a_question_and_its_answer_reaches_the_resident_once(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    asked = await ask_in_the_chat(web)
    listing = await operator.get("/admin/questions")
    page = await text(listing)
    assert listing.status == 200
    assert f"№{NBSP}{asked.id}" in page and QUESTION in page
    assert "чекає на відповідь" in page
    assert "Запитання мешканців (1)" in page  # the navigation shows the waiting count
    assert '<meta http-equiv="refresh" content="30">' in page  # the list refreshes itself
    assert 'aria-current="page"' in page
    count = await operator.get("/admin/questions/count")
    assert count.status == 200 and (await count.json()) == {"waiting": 1}

    item = await text(await operator.get(f"/admin/questions/{asked.id}"))
    assert QUESTION in item and 'action="/admin/questions/' in item
    assert f"/admin/questions/{asked.id}/redirect" in item

    empty = await post(operator, f"/admin/questions/{asked.id}/answer", {"answer": "  "})
    assert empty.status == 400 and "Текст порожній" in await empty.text()
    done = await post(
        operator, f"/admin/questions/{asked.id}/answer", {"answer": "The stop is repaired in May."}
    )
    assert done.status == 303
    assert done.headers["Location"] == f"/admin/questions/{asked.id}?notice=question-answered"
    shown = await text(await operator.get(done.headers["Location"]))
    assert "Відповідь надіслано" in shown and "The stop is repaired in May." in shown
    assert f'action="/admin/questions/{asked.id}/answer"' not in shown  # no form any more

    again = await post(operator, f"/admin/questions/{asked.id}/answer", {"answer": "Again"})
    again_page = await again.text()
    assert again.status == 400 and "На це запитання вже відповіли" in again_page
    other = await post(operator, f"/admin/questions/{asked.id}/redirect", {"redirect": "ЦНАП"})
    assert other.status == 400

    (note,) = await outbox(web.svoi.db, kind="question-answer")
    assert (note.channel, note.user_id) == ("telegram", "310000901")
    assert note.template_key == "questions-notify-answer"
    assert note.template_args["answer"] == "The stop is repaired in May."
    row = await question_row(web, asked.id)
    assert (row.status, row.answer, row.answered_by) == (
        "answered",
        "The stop is repaired in May.",
        OPERATOR,
    )
    async with web.svoi.db.transaction() as session:
        entries = (await session.execute(select(AuditEntry))).scalars()
        assert (OPERATOR, "question-answered", str(asked.id)) in {
            (e.actor, e.action, e.target) for e in entries
        }
    waiting = await text(await operator.get("/admin/questions"))
    assert "Нових запитань немає" in waiting and "Запитання мешканців (0)" in waiting
    everything = await text(await operator.get("/admin/questions?show=all&lang=en"))
    assert f"№{NBSP}{asked.id}" in everything and "answered" in everything
    assert (await operator.get("/admin/questions/999")).status == 404
    missing = await post(operator, "/admin/questions/999/answer", {"answer": "Hello"})
    assert missing.status == 404


async def test_a_question_not_for_the_council_is_answered_with_where_to_turn(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    asked = await ask_in_the_chat(web, "310000902")
    done = await post(
        operator,
        f"/admin/questions/{asked.id}/redirect",
        {"redirect": "The regional transport department, 0382 000 000."},
    )
    assert done.status == 303 and "notice=question-redirected" in done.headers["Location"]
    page = await text(await operator.get(done.headers["Location"]))
    assert "Мешканцеві надіслано, куди звернутися" in page
    assert "The regional transport department" in page
    (note,) = await outbox(web.svoi.db, kind="question-answer")
    assert note.template_key == "questions-notify-redirected"
    assert note.user_id == "310000902"
    assert (await question_row(web, asked.id)).status == "redirected"
    second = await post(operator, f"/admin/questions/{asked.id}/answer", {"answer": "Also"})
    assert second.status == 400
    assert len(await outbox(web.svoi.db, kind="question-answer")) == 1


async def test_question_pages_and_answers_are_refused_to_viewers_and_the_logged_out(
    web: WebService,
) -> None:
    asked = await ask_in_the_chat(web, "310000903")
    client = web.client
    paths = ["/admin/questions", "/admin/questions/count", f"/admin/questions/{asked.id}"]
    actions = [f"/admin/questions/{asked.id}/answer", f"/admin/questions/{asked.id}/redirect"]
    for path in paths:
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303 and "/admin/login" in response.headers["Location"], path
    for path in actions:
        response = await client.post(path, data={"csrf": "x", "answer": "Hi"})
        assert response.status == 403, path
    await add_account(web.svoi, VIEWER, "viewer")
    assert (await login(client, VIEWER)).status == 303
    for path in paths:
        assert (await client.get(path, allow_redirects=False)).status == 403, path
    for path in actions:
        response = await client.post(path, data={"csrf": "x", "answer": "Hi", "redirect": "Hi"})
        assert response.status == 403, path
    assert (await question_row(web, asked.id)).status == "new"
    assert await outbox(web.svoi.db, kind="question-answer") == []


async def test_console_times_are_kyiv_time_with_the_zone_shown(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    instant = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)  # 12:30 in Kyiv (UTC+2 in winter)
    summer = datetime(2026, 7, 1, 21, 5, tzinfo=UTC)  # 00:05 the next day (UTC+3)
    asked = await ask_in_the_chat(web, "310000904")
    await telegram_resident_with_comment(web)
    async with web.svoi.db.transaction() as session:
        await session.execute(
            update(ServiceQuestion).where(ServiceQuestion.id == asked.id).values(created_at=instant)
        )
        await session.execute(update(Feedback).values(created_at=summer))
        feedback_id = (await session.execute(select(Feedback.id))).scalar_one()
    kyiv = "04.12.2026 12:30 (Київ)"
    for path in ("/admin/questions", f"/admin/questions/{asked.id}"):
        page = await text(await operator.get(path))
        assert kyiv in page, path
        assert "10:30" not in page and "UTC" not in page, path
    english = await text(await operator.get(f"/admin/questions/{asked.id}?lang=en"))
    assert "04.12.2026 12:30 (Kyiv)" in english
    for path in ("/admin/feedback", f"/admin/feedback/{feedback_id}"):
        page = await text(await operator.get(path))
        assert "02.07.2026 00:05 (Kyiv)" in page, path
        assert "UTC" not in page, path
    assert clock.CITY_ZONE.key == "Europe/Kyiv"
