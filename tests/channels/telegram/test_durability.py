"""The webhook's promises: only Telegram gets in, every update has exactly one effect, and
none is lost when the database or a turn fails."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import Svoi
from storage.db import Database
from storage.models import InboundEvent
from tests.channels.telegram.conftest import Chat, Service, start_service, stop_service
from tests.fakes.telegram_api import FakeTelegramAPI, TelegramUser
from tests.support.outage import DatabaseOutage
from tests.support.telegram import telegram_settings


async def inbox(db: Database) -> list[InboundEvent]:
    async with db.transaction() as session:
        return list((await session.execute(select(InboundEvent))).scalars())


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", "test-secret_012345678"])
async def test_a_wrong_or_missing_secret_is_refused_with_no_effect(
    service: Service, db: Database, secret: str | None
) -> None:
    user = TelegramUser(42)
    status = await service.post(user.text("/start"), secret=secret)
    await service.channel.drain()
    assert status == 401
    assert await inbox(db) == []
    assert service.api.sent() == []


@pytest.mark.parametrize("body", ["not json", "[]", '{"message": {}}', '{"update_id": "7"}'])
async def test_a_body_that_is_not_an_update_is_a_bad_request(
    service: Service, db: Database, body: str
) -> None:
    assert await service.post(body) == 400
    assert await inbox(db) == []


async def test_the_same_update_twice_has_one_effect(chat: Chat, db: Database) -> None:
    update = chat.user.text("/start")
    assert await chat.service.deliver(update) == 200
    assert await chat.service.deliver(update) == 200
    assert len(chat.api.sent(chat.id)) == 1
    events = await inbox(db)
    assert [(e.event_id, e.status) for e in events] == [(str(update["update_id"]), "done")]


async def test_the_same_update_concurrently_has_one_effect(chat: Chat) -> None:
    await chat.onboard()
    update = chat.user.text("/settings")
    statuses = await asyncio.gather(*(chat.service.post(update) for _ in range(5)))
    await chat.service.channel.drain()
    assert statuses == [200] * 5
    settings_screens = [c for c in chat.api.sent(chat.id) if "Settings. Language" in c.text]
    assert len(settings_screens) == 1


async def test_an_unreadable_update_is_acknowledged_and_closed(
    service: Service, db: Database
) -> None:
    body = json.dumps({"update_id": 77, "message": {"text": "no chat, no date"}})
    assert await service.post(body) == 200
    await service.channel.drain()
    [event] = await inbox(db)
    assert (event.status, event.error) == ("failed", "unreadable update")


async def test_group_messages_are_acknowledged_and_ignored(service: Service, db: Database) -> None:
    update = TelegramUser(5).text("/start")
    update["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Хмельницький"}
    assert await service.post(update) == 200
    await service.channel.drain()
    assert service.api.sent() == []
    assert [e.status for e in await inbox(db)] == ["done"]


@pytest.fixture
async def fragile(
    outage: DatabaseOutage, db: Database, telegram_api: FakeTelegramAPI
) -> AsyncIterator[tuple[Service, Database]]:
    """A service whose database the test can stop (behind a proxy / a movable file)."""
    database = Database(outage.url)
    svoi = Svoi.create(telegram_settings(outage.url, telegram_api.url), database)
    running = await start_service(svoi, telegram_api)
    yield running, database
    await stop_service(running)
    await database.dispose()


async def test_database_down_answers_503_and_the_redelivery_runs_once(
    fragile: tuple[Service, Database], outage: DatabaseOutage
) -> None:
    service, database = fragile
    chat = Chat(service)
    await chat.onboard()
    update = chat.user.text("/settings")

    await outage.stop(database)
    assert await service.post(update) == 503
    await service.channel.drain()
    assert chat.api.sent(chat.id)[-1].text.startswith("Main menu")  # nothing happened

    await outage.start(database)
    assert await service.deliver(update) == 200  # Telegram redelivers
    assert await service.deliver(update) == 200  # ...and once more, for good measure
    screens = [c for c in chat.api.sent(chat.id) if "Settings. Language" in c.text]
    assert len(screens) == 1


async def test_after_an_unseen_database_restart_the_next_update_is_answered_at_once(
    outage: DatabaseOutage, telegram_api: FakeTelegramAPI
) -> None:
    """The database went away and came back while no update arrived: the pool's
    connections are dead, and the first update after finds out — it is still answered the
    first time (a connection that sat idle is checked before use; here any idle counts)."""
    database = Database(outage.url, idle_ping_seconds=0)
    svoi = Svoi.create(telegram_settings(outage.url, telegram_api.url), database)
    service = await start_service(svoi, telegram_api)
    try:
        chat = Chat(service)
        await chat.onboard()
        await outage.stop(database)
        await outage.start(database)

        assert await service.deliver(chat.user.text("/settings")) == 200
        assert chat.api.sent(chat.id)[-1].text == "Settings. Language: English."
    finally:
        await stop_service(service)
        await database.dispose()


async def test_the_sweeper_runs_an_update_recorded_before_a_crash(chat: Chat, db: Database) -> None:
    await chat.onboard()
    update = chat.user.text("/settings")
    # The process died right after recording the update (and answering 200).
    svoi = chat.service.svoi
    assert await svoi.engine.record_event("telegram", str(update["update_id"]), json.dumps(update))
    before = len(chat.api.sent(chat.id))

    assert await chat.service.channel.sweep(older_than=timedelta(0)) == 1
    shown = chat.api.sent(chat.id)[before:]
    assert [c.text for c in shown] == ["Settings. Language: English."]
    assert await chat.service.channel.sweep(older_than=timedelta(0)) == 0
    assert await chat.service.deliver(update) == 200  # a late redelivery: no effect
    assert len(chat.api.sent(chat.id)) == before + 1


async def test_an_update_that_failed_mid_turn_is_retried_from_the_inbox(
    fragile: tuple[Service, Database], outage: DatabaseOutage
) -> None:
    service, database = fragile
    chat = Chat(service)
    await chat.onboard()
    gate = chat.api.pause("answerCallbackQuery")
    message = chat.api.last_message(chat.id)
    press = chat.user.press(message.data_for("Settings"), chat.api.message_id_of(message))

    assert await service.post(press) == 200  # recorded
    await gate.reached.wait()
    await outage.stop(database)  # the database goes away before the turn
    gate.release()
    await service.channel.drain()
    # The resident cannot be read, so the apology is in their app's language (uk).
    assert "Вибачте, сталася помилка" in chat.api.sent(chat.id)[-1].text

    await outage.start(database)
    events = await inbox(database)
    assert [e.status for e in events if e.event_id == str(press["update_id"])] == ["received"]
    assert await service.channel.sweep(older_than=timedelta(0)) == 1
    assert "Settings. Language: English." in chat.api.sent(chat.id)[-1].text
    assert await service.channel.sweep(older_than=timedelta(0)) == 0
    async with database.transaction() as session:
        done = await session.scalar(
            select(func.count()).select_from(InboundEvent).where(InboundEvent.status == "done")
        )
    assert done == len(await inbox(database))
