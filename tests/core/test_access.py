"""Roles, the audit log, residents' data rights and flood control, as conversations."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.app import Svoi, build_web_app
from bot.config import Settings
from bot.core.capabilities import VIBER
from bot.core.dialog import Flow, Screen, Turn
from bot.core.messages import Button, LinkButton
from bot.delivery.outbox import Notification, enqueue
from bot.logs import JsonFormatter
from storage.db import Database
from storage.models import Base
from storage.models import Resident as ResidentRow
from storage.models.access import AuditEntry
from storage.repos.personal_data import personal_tables
from tests.support.conversation import Resident


async def _operator_flow(turn: Turn) -> None:
    turn.say("operator desk", [[Button("Publish", "publish")]])


async def _publish(turn: Turn, payload: str) -> None:
    turn.say("published")


DESK = Flow("desk", {"start": Screen(_operator_flow, on_button=_publish)}, operator_only=True)


async def _audit(db: Database) -> list[tuple[str, str, str]]:
    async with db.transaction() as session:
        rows = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        return [(row.actor, row.action, row.outcome) for row in rows]


@pytest.fixture
def admin_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"admins": "test:admin-1"})


async def test_admin_grants_and_revokes_and_everything_is_audited(
    admin_settings: Settings, db: Database
) -> None:
    svoi = Svoi.create(admin_settings, db)
    admin = Resident.on(svoi.engine, user_id="admin-1")
    someone = Resident.on(svoi.engine, user_id="someone")
    await admin.onboard("en")
    await someone.onboard("en")

    await someone.send("/grant test:someone admin")
    assert "for the working group only" in someone.text
    await admin.send("/grant test:someone operator")
    assert someone.address.user_id in admin.text and "granted" in admin.text
    await admin.send("/grant nonsense")
    assert "Usage: /grant" in admin.text
    await admin.send("/roles")
    assert "test:someone — working-group member" in admin.text  # the role by its name
    await admin.send("/revoke test:someone")
    assert "was revoked" in admin.text
    await admin.send("/audit")
    assert "role granted" in admin.text and "roles-grant" not in admin.text
    assert await _audit(db) == [
        ("test:someone", "roles-grant", "refused"),
        ("test:admin-1", "roles-grant", "done"),
        ("test:admin-1", "roles-revoke", "done"),
    ]


async def test_demoted_operator_is_refused_mid_flow(admin_settings: Settings, db: Database) -> None:
    svoi = Svoi.create(admin_settings, db)
    svoi.engine.registry.add_flow(DESK)
    admin = Resident.on(svoi.engine, user_id="admin-1")
    operator = Resident.on(svoi.engine, user_id="op-2")
    await admin.onboard("en")
    await admin.send("/grant test:op-2 operator")
    await operator.onboard("en")
    await operator.press_payload("g:menu")
    # The operator opens the desk (here through a deep link the test registers).
    svoi.engine.registry.add_deep_link("desk", lambda turn, _p: _open_desk(turn))
    await operator.send("/start desk")
    assert operator.text == "operator desk"
    await admin.send("/revoke test:op-2")
    await operator.press("Publish")
    assert "for the working group only" in operator.text and "published" not in operator.text
    assert ("test:op-2", "operator-flow", "refused") in await _audit(db)


async def _open_desk(turn: Turn) -> bool:
    await turn.start("desk")
    return True


async def test_non_operator_cannot_enter_an_operator_flow(svoi: Svoi, db: Database) -> None:
    svoi.engine.registry.add_flow(DESK)
    svoi.engine.registry.add_deep_link("desk", lambda turn, _p: _open_desk(turn))
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send("/start desk")
    assert "for the working group only" in resident.text
    await resident.press_payload("publish")
    assert "published" not in resident.text
    assert (f"test:{resident.user_id}", "open-flow", "refused") in await _audit(db)


async def test_mydata_returns_every_stored_field(svoi: Svoi, resident: Resident) -> None:
    await resident.onboard("en")
    await resident.send("/mydata")
    document = resident.last[0].document
    assert document is not None and document.filename == "svoi-my-data.json"
    data = json.loads(document.content)
    (row,) = data["residents"]
    assert row["user_id"] == resident.user_id and row["locale"] == "en"
    assert set(row) == {c.name for c in Base.metadata.tables["residents"].columns}
    assert data["dialog_states"][0]["flow"] == "menu"


async def test_mydata_on_a_channel_without_files_is_a_download_link(svoi: Svoi) -> None:
    viber_like = Resident.on(svoi.engine, channel="viber", caps=VIBER)
    await viber_like.onboard("en")
    await viber_like.send("/mydata")
    links = [
        b for r in viber_like.last for row in r.buttons for b in row if isinstance(b, LinkButton)
    ]
    assert len(links) == 1 and links[0].label == "⬇️ Download svoi-my-data.json"
    path = links[0].url.split("8080", 1)[1]
    async with TestClient(TestServer(build_web_app(svoi))) as client:
        response = await client.get(path)
        assert response.status == 200
        assert json.loads(await response.read())["residents"][0]["user_id"] == viber_like.user_id
        assert (await client.get("/files/" + "x" * 43)).status == 404


async def test_deleteme_erases_personal_data_and_later_broadcasts_skip(
    svoi: Svoi, db: Database
) -> None:
    resident = Resident.on(svoi.engine)
    other = Resident.on(svoi.engine)
    for person in (resident, other):
        await person.onboard("en")
    async with db.transaction() as session:
        ids = {r.user_id: r.id for r in (await session.execute(select(ResidentRow))).scalars()}
        await enqueue(
            session,
            [
                Notification(
                    ids[p.user_id], "test", p.user_id, "broadcast", f"b1:{p.user_id}", text="hello"
                )
                for p in (resident, other)
            ],
        )
    await resident.send("/deleteme")
    await resident.press("No")
    assert "nothing is deleted" in resident.text
    await resident.send("/deleteme")
    assert "This cannot be undone" in resident.text
    await resident.press("Yes")
    assert "Your data has been deleted" in resident.text

    async with db.transaction() as session:
        for table in [Base.metadata.tables["residents"], *personal_tables()]:
            if table.info.get("erasure") == "keep":
                continue
            columns = [c for c in table.columns if c.name in ("user_id", "resident_id")]
            for column in columns:
                value = ids[resident.user_id] if column.name == "resident_id" else resident.user_id
                count = (
                    await session.execute(
                        select(func.count()).select_from(table).where(column == value)
                    )
                ).scalar()
                assert count == 0, f"{table.name}.{column.name} still holds the resident"
        outbox = Base.metadata.tables["outbox"]
        remaining = (await session.execute(select(outbox.c.user_id))).scalars().all()
        assert remaining == [other.user_id]
    await resident.send("/start")  # coming back starts afresh
    assert "Choose your language" in resident.text


async def test_flood_gets_one_warning_and_does_not_slow_others(svoi: Svoi) -> None:
    flooder = Resident.on(svoi.engine)
    calm = Resident.on(svoi.engine)
    await flooder.onboard("en")
    await calm.onboard("en")
    answers = []
    for _ in range(30):
        answers.append(await flooder.send("/help"))
    limit = svoi.settings.flood_max_messages
    answered = [a for a in answers if a]
    warnings = [a for a in answers if a and "too fast" in a[0].text]
    assert len(warnings) == 1
    assert len(answered) == limit - 2 + 1  # onboarding used two of the window's messages
    await calm.send("/help")
    assert "Svoi is the chatbot" in calm.text


async def test_logs_of_a_conversation_hold_no_personal_data(
    svoi: Svoi, caplog: pytest.LogCaptureFixture
) -> None:
    secret_text = "Моя адреса Трудова 5, кв. 17"
    phone = "+380671234567"
    resident = Resident.on(svoi.engine)
    with caplog.at_level(logging.DEBUG):
        await resident.onboard("en")
        await resident.send(secret_text)
        await resident.share_contact(phone)
        await resident.share_location(49.4219, 26.9871)
        await resident.press_payload("forged:payload")
        await asyncio.sleep(0)
    formatter = JsonFormatter()
    lines = "\n".join(formatter.format(record) for record in caplog.records)
    for needle in (secret_text, "Трудова", phone, "49.4219", "forged:payload"):
        assert needle not in lines


async def test_deleteme_keeps_ratings_and_votes_anonymously(svoi: Svoi, db: Database) -> None:
    from dialogs.plan.content import ensure_default_content
    from storage.models.plan import Feedback

    await ensure_default_content(db)
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.press("Plan & feedback")
    await resident.press("Green City")
    await resident.press("Rate")
    await resident.press("4")
    await resident.send("Моя адреса Трудова 5, please call me")
    await resident.press("Yes")
    async with db.transaction() as session:
        (before,) = (await session.execute(select(Feedback))).scalars().all()
        assert before.comment and before.consent and before.resident_id is not None
    await resident.send("/deleteme")
    await resident.press("Yes")
    async with db.transaction() as session:
        (after,) = (await session.execute(select(Feedback))).scalars().all()
    assert (after.rating, after.resident_id, after.comment, after.consent) == (4, None, None, False)


async def test_database_errors_do_not_carry_statement_values(db: Database) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    secret = "+380671234567 Трудова 5"
    with pytest.raises(DBAPIError) as error:
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO no_such_table VALUES (:v)"), {"v": secret})
    assert secret not in str(error.value)
