"""Polls: one final vote per resident, results after voting and after closing, correct
Ukrainian plurals, and the working group creating, opening and closing a poll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.app import Svoi
from bot.core.i18n import I18n
from storage import clock
from storage.db import Database
from storage.models import Resident as ResidentRow
from storage.models.plan import Poll, Vote
from storage.repos.plan import PlanRepo, percentages
from tests.plan.conftest import plain
from tests.support.conversation import Resident


async def _votes(db: Database) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())


async def _poll_id(db: Database, code: str = "public-opinion") -> int:
    async with db.transaction() as session:
        return (await session.execute(select(Poll.id).where(Poll.code == code))).scalar_one()


async def test_two_vote_one_twice_one_after_close(
    svoi: Svoi, plan: None, db: Database, operator: Resident
) -> None:
    poll_id = await _poll_id(db)
    first, second, late = (Resident.on(svoi.engine) for _ in range(3))
    for resident in (first, second, late):
        await resident.onboard("uk")
        await resident.send(f"/start p{poll_id}")
    assert "Яке зобов'язання плану для вас найважливіше?" in first.text
    assert "(приклад опитування" in first.text
    assert "Голосування: з 10 вересня 2021 р." in plain(first.text)
    assert "голос" not in first.text  # no results before voting while the poll is open

    stale_vote = first.find_payload("Цифрові послуги")
    await first.press("Цифрові послуги")
    assert "Дякуємо, ваш голос зараховано!" in first.text
    assert "Ваш голос: Цифрові послуги й відкриті дані" in first.text
    assert "Цифрові послуги й відкриті дані — 1 голос (100%)" in first.text
    assert "Усього: 1 голос" in first.text

    await second.press("Зелене місто")
    assert "Цифрові послуги й відкриті дані — 1 голос (50%)" in second.text
    assert "«Зелене місто» і поводження з відходами — 1 голос (50%)" in second.text
    assert "Цифрові навички мешканців — 0 голосів (0%)" in second.text
    assert "Усього: 2 голоси" in second.text

    await first.press_payload(stale_vote)  # the buttons are gone: voting again is refused
    assert "Це меню вже застаріло" in first.text
    async with db.transaction() as session:  # and the database itself keeps one vote
        row = (
            await session.execute(select(ResidentRow).where(ResidentRow.user_id == first.user_id))
        ).scalar_one()
        options = await PlanRepo(session).options(poll_id)
        assert await PlanRepo(session).vote(poll_id, options[3].id, row.id, clock.now()) is False
    assert await _votes(db) == 2

    # `late` still has the options on screen when the working group closes the poll.
    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Polls")
    await operator.press(f"op:{poll_id}")
    assert "State: open" in operator.text and "Total: 2 votes" in operator.text
    await operator.press("Close")
    assert "The poll is closed; residents see the results." in operator.text

    await late.press("Усі однаково")
    assert "опитування вже завершилося, голос не зараховано" in late.text
    assert "Опитування завершено." in late.text
    assert "Усього: 2 голоси" in late.text
    assert await _votes(db) == 2

    await late.send("/menu")
    await late.press("План і відгуки")
    await late.press("Опитування")
    assert late.labels[0].startswith("🔒 ")


async def test_operator_creates_opens_and_closes_a_poll(
    svoi: Svoi, plan: None, db: Database, operator: Resident
) -> None:
    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Polls")
    await operator.press("New poll")
    await operator.send("Де поставити нові урни?")
    await operator.send("Лише один варіант")
    assert "Options received: 1. 2 to 10 are needed" in operator.text
    await operator.send("\n".join(f"Варіант {n}" for n in range(11)))
    assert "Options received: 11." in operator.text
    await operator.send("Центр\nЗаріччя\n\nДубове\n")
    assert "Until what date does the poll run?" in operator.text
    await operator.send("31.02.2030")
    assert "Couldn't read the date" in operator.text
    await operator.send("01.01.2020")  # in the past
    assert "Couldn't read the date" in operator.text
    await operator.send("31.12.2030")
    assert "The draft poll is created." in operator.text
    assert "State: draft" in operator.text
    assert "Voting: until 31 December 2030" in plain(operator.text)
    poll_id = await _newest_poll(db)

    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send(f"/start p{poll_id}")  # a draft is not shown to residents
    assert "Welcome back" in resident.text

    await operator.press("Open")
    assert f"Link for residents: /start p{poll_id}" in operator.text
    await resident.send(f"/start p{poll_id}")
    assert resident.labels[:3] == ["Центр", "Заріччя", "Дубове"]
    await resident.press("Заріччя")
    assert "Заріччя — 1 vote (100%)" in resident.text and "Total: 1 vote" in resident.text
    await operator.press("Close")
    async with db.transaction() as session:
        poll = await session.get(Poll, poll_id)
        assert poll is not None and poll.state == "closed" and poll.created_by == operator_id()


def operator_id() -> str:
    return "test:operator-1"


async def _newest_poll(db: Database) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.max(Poll.id)))).scalar_one())


async def test_a_poll_not_open_yet_shows_no_options(svoi: Svoi, plan: None, db: Database) -> None:
    poll_id = await _poll_id(db)
    async with db.transaction() as session:
        await session.execute(
            update(Poll).where(Poll.id == poll_id).values(opens_at=clock.now() + timedelta(days=3))
        )
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send(f"/start p{poll_id}")
    assert "Voting has not started yet." in resident.text
    assert not any(b.payload.startswith("v:") for b in resident.buttons)


@pytest.mark.parametrize(
    ("votes", "uk", "en"),
    [
        (0, "0 голосів", "0 votes"),
        (1, "1 голос", "1 vote"),
        (2, "2 голоси", "2 votes"),
        (4, "4 голоси", "4 votes"),
        (5, "5 голосів", "5 votes"),
        (11, "11 голосів", "11 votes"),
        (21, "21 голос", "21 votes"),
        (22, "22 голоси", "22 votes"),
        (25, "25 голосів", "25 votes"),
        (101, "101 голос", "101 votes"),
    ],
)
def test_vote_plurals(votes: int, uk: str, en: str) -> None:
    i18n = I18n()
    assert i18n.t("uk", "plan-poll-total", {"votes": votes}) == f"Усього: {uk}"
    assert i18n.t("en", "plan-poll-total", {"votes": votes}) == f"Total: {en}"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([0, 0], [0, 0]),
        ([1, 2], [33, 67]),
        ([1, 1, 1], [34, 33, 33]),
        ([1, 0, 0, 0], [100, 0, 0, 0]),
        ([2, 2, 1], [40, 40, 20]),
    ],
)
def test_percentages_add_up_to_100(counts: list[int], expected: list[int]) -> None:
    assert percentages(counts) == expected
