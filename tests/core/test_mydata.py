"""/mydata a person can read: sections in the resident's language, the full record as a
UTF-8 JSON file beside them, internal records named (with why) instead of dumped, and every
personal table — including one a feature adds later — in the file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Svoi
from bot.delivery.outbox import Notification, enqueue
from dialogs.plan.content import ensure_default_content
from dialogs.waste import ensure_default_waste
from storage.db import Database
from storage.models import Resident as ResidentRow
from storage.models.delivery import DeliveryMute
from storage.models.plan import Commitment, Feedback, Follow, Poll, PollOption, Vote
from storage.models.services import QUESTION_ANSWERED, ServiceQuestion
from storage.models.waste import WasteSubscription, WasteZone
from storage.repos.personal_data import ABOUT, INTERNAL, personal_tables
from tests.support.conversation import Resident
from tests.support.images import add_photo_screen, phone_jpeg

COMMENT = "Дуже потрібне зобовʼязання, але де звіт за 2025 рік?"
QUESTION = "Коли відремонтують ліфт на вул. Камʼянецькій, 2?"
ANSWER = "Ремонт заплановано на березень; підрядника обрано."


async def _resident_with_everything(svoi: Svoi, db: Database, locale: str) -> Resident:
    """A resident who used every feature: reminders, a follow, feedback with an answer, a
    vote, a question with an answer, a muted category and a message from us."""
    await ensure_default_content(db)
    await ensure_default_waste(db)
    resident = Resident.on(svoi.engine)
    await resident.onboard(locale)
    async with db.transaction() as session:
        me = (
            await session.execute(
                select(ResidentRow).where(ResidentRow.user_id == resident.user_id)
            )
        ).scalar_one()
        zone = (await session.execute(select(WasteZone).limit(1))).scalar_one()
        commitment = (
            await session.execute(select(Commitment).order_by(Commitment.number).limit(1))
        ).scalar_one()
        poll = (await session.execute(select(Poll).limit(1))).scalar_one()
        option = (
            await session.execute(select(PollOption).where(PollOption.poll_id == poll.id).limit(1))
        ).scalar_one()
        session.add_all(
            [
                WasteSubscription(
                    resident_id=me.id,
                    zone_id=zone.id,
                    address="вул. Камʼянецька, 2",
                    types=["mixed", "glass"],
                    remind_offset=-1,
                    remind_hour=19,
                ),
                Follow(resident_id=me.id, commitment_id=commitment.id),
                Feedback(
                    reference="F-0001",
                    resident_id=me.id,
                    commitment_id=commitment.id,
                    rating=4,
                    comment=COMMENT,
                    answer="Звіт оприлюднимо в січні.",
                ),
                Vote(poll_id=poll.id, option_id=option.id, resident_id=me.id),
                ServiceQuestion(
                    resident_id=me.id, text=QUESTION, status=QUESTION_ANSWERED, answer=ANSWER
                ),
                DeliveryMute(resident_id=me.id, category="broadcast"),
            ]
        )
        await enqueue(
            session,
            [Notification(me.id, "test", resident.user_id, "answer", "a1", text="Відповідь")],
        )
    return resident


def _fits_a_phone(text: str) -> bool:
    """At most 700 characters and 15 lines of 37 characters (../shared/UKRAINIAN.md)."""
    lines = sum(max(1, -(-len(line) // 37)) for line in text.split("\n"))
    return len(text) <= 700 and lines <= 15


def _document(resident: Resident) -> dict[str, Any]:
    (reply,) = [r for r in resident.last if r.document is not None]
    assert reply.document is not None and reply.document.filename == "svoi-my-data.json"
    raw = reply.document.content
    assert "\\u04" not in raw.decode("utf-8")  # letters, not escapes
    data: dict[str, Any] = json.loads(raw.decode("utf-8"))
    return data


SCREEN_UK = (
    "Ваші дані у «Своїх»",
    "Профіль",
    "Мова: українська",
    "Нагадування про вивезення відходів: 1",
    "📍 вул. Камʼянецька, 2",
    "Змішані відходи, скло",
    "напередодні о 19:00",
    "Ви вимкнули: розсилки міської ради",
    "Ви стежите за зобовʼязаннями плану дій: 1",
    "Ваші відгуки про план дій: 1",
    COMMENT,
    "Відповідь робочої групи: Звіт оприлюднимо в січні.",
    "Ваші голоси в опитуваннях: 1",
    "Ваші запитання до міської ради: 1",
    QUESTION,
    ANSWER,
    "Службові записи: ",
    "крок розмови, на якому ви зараз",
    "/deleteme",
)
SCREEN_EN = (
    "Your data in Svoi",
    "Profile",
    "Language: English",
    "Waste collection reminders: 1",
    "Mixed waste, glass",
    "the evening before at 19:00",
    "Action plan commitments you follow: 1",
    "Your feedback on the action plan: 1",
    "Your votes in polls: 1",
    "Your questions to the city council: 1",
    QUESTION,
    "Service records: ",
    "the step of the conversation you are on",
)


@pytest.mark.parametrize(("locale", "expected"), [("uk", SCREEN_UK), ("en", SCREEN_EN)])
async def test_mydata_shows_readable_sections_in_the_residents_language(
    svoi: Svoi, db: Database, locale: str, expected: tuple[str, ...]
) -> None:
    resident = await _resident_with_everything(svoi, db, locale)
    await resident.send("/mydata")
    screen = resident.text
    for needle in expected:
        assert needle in screen, needle
    assert resident.last[0].document is not None  # the file comes with the first message
    assert ".." not in screen and "р.." not in screen  # no full stop after a date's «р.»
    for reply in resident.last:
        assert _fits_a_phone(reply.text), reply.text


async def test_mydata_shows_no_table_or_column_names(svoi: Svoi, db: Database) -> None:
    resident = await _resident_with_everything(svoi, db, "uk")
    await resident.send("/mydata")
    screen = "\n".join(r.text for r in resident.last)
    for table in [*personal_tables(), *()]:
        assert table.name not in screen, table.name
    for word in ("resident_id", "dialog_states", "access_flood", "inbound", "token", "None"):
        assert word not in screen, word
    assert "mydata-" not in screen  # no missing translation keys


async def test_mydata_file_is_utf8_json_with_every_personal_table(svoi: Svoi, db: Database) -> None:
    resident = await _resident_with_everything(svoi, db, "uk")
    await resident.send("/mydata")
    data = _document(resident)
    assert {t.name for t in personal_tables()} | {"residents", ABOUT} == set(data)
    assert data["services_questions"][0]["text"] == QUESTION
    assert data["plan_feedback"][0]["comment"] == COMMENT
    assert data["waste_subscriptions"][0]["address"] == "вул. Камʼянецька, 2"
    about = data[ABOUT]
    assert about["language"] == "uk"
    assert about["sections"]["questions"] == ["services_questions"]
    # Internal records are labelled, each with what it is, in the resident's language.
    assert "dialog_states" in about["internal"] and "access_flood" in about["internal"]
    assert about["internal"]["dialog_states"] == "крок розмови, на якому ви зараз"
    assert set(about["internal"]) <= set(INTERNAL)
    assert "inbound_events" in about["not_exported"]
    assert about["other"] == []  # every table today belongs to a section or is internal
    assert "password_hash" not in json.dumps(data)


async def test_a_new_personal_table_is_listed_as_other_records(
    svoi: Svoi, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feature's new table reaches the file and the screen without edits to /mydata."""
    from storage.repos import personal_data

    resident = await _resident_with_everything(svoi, db, "uk")
    questions = next(t for t in personal_tables() if t.name == "services_questions")
    sections = {
        k: tuple(n for n in v if n != questions.name) for k, v in personal_data.SECTIONS.items()
    }
    monkeypatch.setattr(personal_data, "SECTIONS", sections)
    await resident.send("/mydata")
    assert "Інші записи про вас" in resident.text and "services_questions: 1" in resident.text
    assert _document(resident)[ABOUT]["other"] == ["services_questions"]


async def test_mydata_of_a_new_resident_says_what_is_empty(svoi: Svoi, db: Database) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send("/mydata")
    assert (
        "Nothing stored in: reminders, follows, feedback, votes, questions, "
        "conversations with the working group, reports, photos."
    ) in resident.text
    assert "All notifications are on." in resident.text
    data = _document(resident)
    assert data["waste_subscriptions"] == [] and data["residents"][0]["locale"] == "en"
    assert data["attachments"] == []


async def test_mydata_lists_photos_without_their_bytes(svoi: Svoi, db: Database) -> None:
    add_photo_screen(svoi)
    resident = Resident.on(svoi.engine)
    await resident.onboard("uk")
    await resident.send("/phototest")
    await resident.send_photo(phone_jpeg())
    await resident.send("/mydata")
    assert "Ваші фото: 1" in resident.text
    kept = "Фото від 17 червня 2026\u202fр., зберігається до 17 червня 2027\u202fр."
    assert kept in resident.text
    [photo] = _document(resident)["attachments"]
    assert "data" not in photo and photo["size"] > 0  # the file lists it, without the bytes


async def test_mydata_with_many_long_records_fits_phone_screens(svoi: Svoi, db: Database) -> None:
    """Eight long comments with long answers and eight long questions: each message fits a
    phone screen, a long text is cut on the screen (whole in the file), and what is not
    shown is counted."""
    resident = await _resident_with_everything(svoi, db, "uk")
    long_text = "Прошу пояснити, " + "чому ремонт двору на вул. Камʼянецькій затягується, " * 8
    async with db.transaction() as session:
        me = (
            await session.execute(
                select(ResidentRow).where(ResidentRow.user_id == resident.user_id)
            )
        ).scalar_one()
        commitment = (await session.execute(select(Commitment).limit(1))).scalar_one()
        for n in range(8):
            session.add(
                Feedback(
                    reference=f"F-1{n:03d}",
                    resident_id=me.id,
                    commitment_id=commitment.id,
                    rating=5,
                    current=False,
                    comment=long_text,
                    answer=long_text,
                )
            )
            session.add(ServiceQuestion(resident_id=me.id, text=long_text, answer=long_text))
    await resident.send("/mydata")
    for reply in resident.last:
        assert _fits_a_phone(reply.text), reply.text
    screen = resident.text
    assert "…і ще 6 — у файлі." in screen  # 9 feedback and 9 questions, 3 of each shown
    assert long_text not in screen
    data = _document(resident)
    assert len(data["plan_feedback"]) == 9 and data["services_questions"][-1]["text"] == long_text
