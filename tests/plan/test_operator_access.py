"""Only the working group reaches its screens: the command, forged button payloads, a
forged dialog state and every single handler refuse a non-operator politely, log it and
change nothing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.app import Svoi
from bot.core.dialog import Turn
from bot.core.messages import Address, Incoming
from dialogs.plan.operator import OPERATOR_FLOW
from storage import clock
from storage.db import Database
from storage.models.access import AuditEntry
from storage.models.plan import Feedback, Poll, ProgressUpdate
from storage.repos.residents import ResidentRepo
from tests.support.conversation import Resident

REFUSED_EN = "This section is for the working group only."
OPERATOR_PAYLOADS = (
    "inbox",
    "publish",
    "polls",
    "f:c1",
    "f:all",
    "fb:1",
    "answer",
    "reviewed",
    "pc:c2",
    "ps:complete",
    "ps:keep",
    "pp:keep",
    "confirm",
    "cancel",
    "op:1",
    "open",
    "close",
    "new",
    "noend",
)


async def _counts(db: Database) -> tuple[int, int, int, int]:
    async with db.transaction() as session:

        async def count(query: object) -> int:
            return int((await session.execute(query)).scalar_one())  # type: ignore[call-overload]

        return (
            await count(select(func.count()).select_from(ProgressUpdate)),
            await count(select(func.count()).select_from(Poll)),
            await count(select(func.count()).where(Feedback.answer.is_not(None))),
            await count(select(func.count()).where(Feedback.reviewed.is_(True))),
        )


async def _a_comment(svoi: Svoi) -> None:
    author = Resident.on(svoi.engine)
    await author.onboard("en")
    await author.send("/start c2")
    await author.press("Rate")
    await author.press("1")
    await author.send("Please answer me")
    await author.press("Yes")


async def test_operator_command_is_refused_and_logged(
    svoi: Svoi, plan: None, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    intruder = Resident.on(svoi.engine)
    await intruder.onboard("en")
    with caplog.at_level(logging.WARNING):
        for command in ("/operator", "/operator inbox", "/OPERATOR", "/operator@svoi_bot"):
            await intruder.send(command)
            assert intruder.text.startswith(REFUSED_EN), command
            assert "Main menu" in intruder.text
    refusals = [
        r for r in caplog.records if r.levelno == logging.WARNING and "refused" in r.message
    ]
    assert len(refusals) == 4
    async with db.transaction() as session:
        entries = list((await session.execute(select(AuditEntry))).scalars())
    assert [(e.actor, e.action, e.target, e.outcome) for e in entries] == [
        (f"test:{intruder.user_id}", "plan-operator", "/operator", "refused")
    ] * 4


async def test_forged_payloads_reach_no_operator_screen(
    svoi: Svoi, plan: None, db: Database
) -> None:
    await _a_comment(svoi)
    before = await _counts(db)
    intruder = Resident.on(svoi.engine)
    await intruder.onboard("en")
    for payload in OPERATOR_PAYLOADS:
        await intruder.press_payload(payload)
        assert "That menu is out of date" in intruder.text, payload
        assert "Working group" not in intruder.text
    for payload in ("g:operator", "g:plan_operator:publish", "g:answer:1"):
        await intruder.press_payload(payload)
        assert "That menu is out of date" in intruder.text
    assert await _counts(db) == before


async def test_a_forged_dialog_state_is_refused(
    svoi: Svoi, plan: None, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """As if the state row said "publish_confirm" with every button offered (a demoted
    operator, or a tampered database): the engine refuses before any handler runs."""
    intruder = Resident.on(svoi.engine)
    await intruder.onboard("en")
    async with db.transaction() as session:
        row, _ = await ResidentRepo(session).upsert_for_turn("test", intruder.user_id, locale="en")
        state = await ResidentRepo(session).state(row)
        state.flow, state.step = "plan_operator", "publish_confirm"
        state.data = {"code": "c2", "text": "forged update", "status": "complete"}
        state.offered = list(OPERATOR_PAYLOADS)
    before = await _counts(db)
    with caplog.at_level(logging.WARNING):
        await intruder.press_payload("confirm")
    assert intruder.text.startswith(REFUSED_EN)
    assert any("refused" in r.message for r in caplog.records if r.levelno == logging.WARNING)
    assert await _counts(db) == before


async def test_every_operator_handler_checks_the_role_itself(
    svoi: Svoi, plan: None, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await _a_comment(svoi)
    async with db.transaction() as session:
        feedback_id = (await session.execute(select(Feedback.id))).scalar_one()
        poll_id = (await session.execute(select(Poll.id))).scalar_one()
    data = {
        "code": "c2",
        "status": "complete",
        "progress": 100,
        "text": "forged update",
        "feedback_id": feedback_id,
        "poll_id": poll_id,
        "question": "forged?",
        "options": ["a", "b"],
        "filter": "c2",
    }
    before = await _counts(db)
    calls = 0
    for name, screen in OPERATOR_FLOW.screens.items():
        handlers: list[tuple[str, object]] = [("render", None)]
        handlers += [("button", p) for p in OPERATOR_PAYLOADS] if screen.on_button else []
        handlers += (
            [("text", t) for t in ("50", "31.12.2030", "a\nb", "answer")]
            if (screen.on_text)
            else []
        )
        for kind, arg in handlers:
            caplog.clear()
            async with db.transaction() as session:
                row, _ = await ResidentRepo(session).upsert_for_turn(
                    "test", "intruder", locale="en"
                )
                state = await ResidentRepo(session).state(row)
                state.flow, state.step, state.data = "plan_operator", name, dict(data)
                incoming = Incoming.text_message(Address("test", "intruder"), str(arg or ""))
                turn = Turn(svoi.engine, incoming, row, state, session, clock.now(), "forged")
                assert turn.role is None and not turn.is_operator
                with caplog.at_level(logging.WARNING):
                    if kind == "render":
                        await screen.render(turn)
                    elif kind == "button":
                        assert screen.on_button is not None
                        await screen.on_button(turn, str(arg))
                    else:
                        assert screen.on_text is not None
                        await screen.on_text(turn, str(arg))
                assert turn.replies[0].text == REFUSED_EN, (name, kind, arg)
                assert state.flow == "menu", (name, kind, arg)
                assert any(r.levelno == logging.WARNING for r in caplog.records), (name, kind)
                calls += 1
    assert calls > 50
    assert await _counts(db) == before


async def test_an_operator_reaches_every_section(
    svoi: Svoi, plan: None, operator: Resident
) -> None:
    await operator.onboard("en")
    await operator.send("/operator")
    assert operator.text.startswith("Action plan working group")
    for section, expected in (
        ("Feedback", "Feedback (filter: -)"),
        ("Publish an update", "Which commitment is the update about?"),
        ("Polls", "Polls (all, drafts included):"),
    ):
        await operator.press(section)
        assert expected in operator.text
        await operator.press("Back")
    await operator.press("Publish an update")
    await operator.press("pc:c1")
    await operator.press("Keep")
    await operator.press("Keep")
    await operator.send("draft text")
    await operator.press("Cancel")
    assert "Publishing cancelled." in operator.text
