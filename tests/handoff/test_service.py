"""The handoff service's rules, once: one open conversation per resident, the first of two
operators wins, a closed conversation takes no reply, canned answers in the resident's
language, working hours by the city's clock, every event audited, and /mydata and /deleteme
covering the transcript (without the operators' accounts)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import Svoi
from bot.core.actions import Actor, Refused
from dialogs.handoff import content, service
from storage import clock
from storage.clock import CITY_ZONE
from storage.db import Database
from storage.models import Resident as ResidentRow
from storage.models.access import AuditEntry
from storage.models.handoff import HandoffMessage
from storage.models.outbox import OutboxMessage
from storage.repos import personal_data
from tests.support.conversation import Resident

FIRST = Actor("telegram:5550001", "operator", via="web")
SECOND = Actor("test:operator-1", "operator", author=("test", "operator-1"))


async def _resident_id(db: Database, resident: Resident) -> int:
    async with db.transaction() as session:
        found = await session.execute(
            select(ResidentRow.id).where(ResidentRow.user_id == resident.user_id)
        )
        return int(found.scalar_one())


async def _opened(db: Database, resident: Resident, text: str) -> int:
    resident_id = await _resident_id(db, resident)
    async with db.transaction() as session:
        opened = await service.open_conversation(session, resident_id, now=clock.now())
        await service.resident_says(session, resident_id, text, now=clock.now())
        return opened.conversation.id


async def test_a_resident_has_one_open_conversation(
    svoi: Svoi, db: Database, resident: Resident
) -> None:
    await resident.onboard("en")
    resident_id = await _resident_id(db, resident)
    async with db.transaction() as session:
        first = await service.open_conversation(session, resident_id, now=clock.now())
        again = await service.open_conversation(session, resident_id, now=clock.now())
    assert first.created and not again.created
    assert first.conversation.id == again.conversation.id
    assert first.ahead == 0 and first.in_hours  # Wednesday 11:00 in Kyiv


async def test_the_first_of_two_operators_takes_it_and_a_closed_one_takes_no_reply(
    svoi: Svoi, db: Database, resident: Resident
) -> None:
    await resident.onboard("en")
    conversation_id = await _opened(db, resident, "The bench in Central Park is broken")
    async with db.transaction() as session:
        await service.take(session, conversation_id, actor=FIRST, now=clock.now())
        await service.take(session, conversation_id, actor=FIRST, now=clock.now())  # again: no-op
    with pytest.raises(Refused) as taken:
        async with db.transaction() as session:
            await service.reply(session, conversation_id, "Mine", actor=SECOND, now=clock.now())
    assert taken.value.key == "handoff-error-taken"
    async with db.transaction() as session:
        await service.reply_canned(
            session, conversation_id, "greeting", actor=FIRST, now=clock.now()
        )
        await service.close(session, conversation_id, actor=SECOND, now=clock.now())
    for act in (service.close, service.take):
        with pytest.raises(Refused) as closed:
            async with db.transaction() as session:
                await act(session, conversation_id, actor=FIRST, now=clock.now())
        assert closed.value.key == "handoff-error-closed"
    with pytest.raises(Refused) as empty:
        async with db.transaction() as session:
            await service.reply(session, conversation_id, "  ", actor=FIRST, now=clock.now())
    assert empty.value.key == "web-admin-error-empty"

    async with db.transaction() as session:
        kinds = (await session.execute(select(OutboxMessage.kind))).scalars().all()
        canned = (
            await session.execute(
                select(HandoffMessage.text).where(HandoffMessage.author == "operator")
            )
        ).scalar_one()
        audit = (await session.execute(select(AuditEntry.action, AuditEntry.actor))).all()
    # Told once each: taken, the canned answer (in the resident's English), closed.
    assert sorted(kinds) == ["handoff-closed", "handoff-reply", "handoff-taken"]
    assert canned.startswith("Good day! We are the city council's working group.")
    assert ("handoff-opened", "resident") in audit
    assert ("handoff-resident-message", "resident") in audit
    assert ("handoff-taken", FIRST.name) in audit
    assert ("handoff-canned", FIRST.name) in audit
    assert ("handoff-closed", SECOND.name) in audit
    assert ("handoff-taken", SECOND.name) not in audit


def test_working_hours_follow_the_city_clock() -> None:
    hours = content.load().hours
    assert hours.is_open(datetime(2026, 6, 17, 9, 0, tzinfo=CITY_ZONE))  # Wednesday
    assert not hours.is_open(datetime(2026, 6, 17, 18, 0, tzinfo=CITY_ZONE))
    assert not hours.is_open(datetime(2026, 6, 20, 11, 0, tzinfo=CITY_ZONE))  # Saturday
    assert hours.described("uk") == "з понеділка по пʼятницю, 09:00–18:00"
    assert {a.code for a in content.load().canned} >= {"greeting", "closing"}


def test_a_broken_content_file_names_itself(tmp_path: Path) -> None:
    broken = tmp_path / "handoff.yaml"
    broken.write_text("hours: {days: [8], start: '09:00', end: '18:00', text: {uk: x}}\n")
    with pytest.raises(content.ContentError, match=r"handoff\.yaml"):
        content.read(broken)


async def test_mydata_exports_the_transcript_and_deleteme_erases_it(
    svoi: Svoi, db: Database, resident: Resident
) -> None:
    await resident.onboard("en")
    conversation_id = await _opened(db, resident, "My street light is off, Kamianetska 20")
    async with db.transaction() as session:
        await service.reply(
            session, conversation_id, "We have told the utility.", actor=FIRST, now=clock.now()
        )
    resident_id = await _resident_id(db, resident)
    async with db.transaction() as session:
        row = await session.get(ResidentRow, resident_id)
        assert row is not None
        exported = await personal_data.export(session, row)
    conversations = exported["handoff_conversations"]
    messages = exported["handoff_messages"]
    assert [c["status"] for c in conversations] == ["taken"]
    assert "taken_by" not in conversations[0]  # the resident sees a role, not an account
    assert [m["text"] for m in messages] == [
        "My street light is off, Kamianetska 20",
        "We have told the utility.",
    ]
    assert all("operator" not in m for m in messages)
    # The readable summary has the conversation too, as the resident wrote and read it.
    await resident.send("/mydata")
    assert "Your conversations with the working group: 1" in resident.text
    assert "ongoing, messages: 2" in resident.text
    assert "You: My street light is off, Kamianetska 20" in resident.text
    assert "Working group: We have told the utility." in resident.text

    async with db.transaction() as session:
        row = await session.get(ResidentRow, resident_id)
        assert row is not None
        await personal_data.erase(session, row)
    async with db.transaction() as session:
        left = await session.execute(select(func.count()).select_from(HandoffMessage))
        assert left.scalar_one() == 0
        audit = (await session.execute(select(AuditEntry.actor))).scalars().all()
    assert resident.user_id not in " ".join(audit)  # the audit log never named the resident
