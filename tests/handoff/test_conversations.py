"""A resident talks to a person: asks on Viber, Telegram or the web chat, writes to the
working group while the bot stays silent, an operator takes the conversation, replies (on
the console or in the chat, typed or a ready answer) through the outbox to the resident's
messenger, and the conversation ends (the operator closes it, or the resident sends /cancel
or presses the menu). Over real HTTP against the fake platforms, on both databases.
Run the issue's scenario with `pytest -k "viber and console"`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import Svoi, build_web_app
from bot.channels.viber import ViberChannel
from bot.channels.viber.api import Timeouts
from bot.channels.web import WebChannel
from bot.config import Settings
from bot.core.actions import Actor
from bot.delivery.service import DeliveryService
from dialogs.handoff import service
from storage import clock
from storage.db import Database
from storage.models.access import AuditEntry
from storage.models.handoff import HandoffConversation
from storage.models.web import WebPendingMessage
from tests.channels.parity_messengers import telegram_messenger
from tests.channels.viber.client import ViberResident, ViberService
from tests.channels.viber.conftest import viber_settings
from tests.delivery.conftest import eventually, fast_config
from tests.fakes.viber_api import FakeViberApi
from tests.support.conversation import Resident
from tests.web.conftest import (
    OPERATOR,
    add_account,
    button_payload,
    chat_send,
    login,
    start_web,
    stop_web,
    text,
)
from tests.web.test_chat import _events
from tests.web.test_console_pages import post

PROBLEM = "The container on Zarichanska 10 has not been emptied for a week"
ANSWER = "We have sent a crew; the container will be emptied today by 18:00."


@dataclass
class ViberAndConsole:
    svoi: Svoi
    resident: ViberResident
    console: TestClient[Any, Any]
    delivered: Callable[[], list[str]]


@asynccontextmanager
async def viber_and_console(settings: Settings, db: Database) -> AsyncIterator[ViberAndConsole]:
    """One Svoi serving Viber and the console, as in production, with its outbox running."""
    fake = await FakeViberApi().start()
    svoi = Svoi.create(viber_settings(settings, fake), db)
    app = build_web_app(svoi)
    viber = ViberChannel(svoi, app, timeouts=Timeouts(connect=2, read=5, total=10))
    svoi.add_channel(viber)
    web = WebChannel(svoi, app, heartbeat=0.5)
    svoi.add_channel(web)
    server = TestServer(app, host="127.0.0.1")
    console: TestClient[Any, Any] = TestClient(server)
    await console.start_server()
    http = aiohttp.ClientSession()
    resident = ViberResident.on(ViberService(svoi, viber, server, http, fake), "vb-1==")
    delivery = DeliveryService(svoi, configs={"viber": fast_config()})
    await delivery.start()

    def delivered() -> list[str]:
        return [str(call.payload.get("text", "")) for call in fake.sent_to(resident.user_id)]

    try:
        yield ViberAndConsole(svoi, resident, console, delivered)
    finally:
        await delivery.stop()
        await http.close()
        await viber.stop()
        await web.stop()
        await console.close()
        await fake.close()


async def _arrived(delivered: Callable[[], list[str]], needle: str) -> str:
    async def check() -> bool:
        return any(needle in found for found in delivered())

    await eventually(check, within=20)
    return next(found for found in delivered() if needle in found)


def _texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


async def _conversation(db: Database) -> HandoffConversation:
    async with db.transaction() as session:
        return (await session.execute(select(HandoffConversation))).scalar_one()


async def test_a_viber_resident_asks_for_a_person_and_the_console_answers_and_closes(
    settings: Settings, db: Database
) -> None:
    async with viber_and_console(settings, db) as chat:
        resident = chat.resident
        await resident.onboard("en")
        shown = _texts(await resident.press("Talk to a person"))
        assert "You are writing to the city council's working group" in shown
        assert "You are first in the queue" in shown  # Wednesday 11:00: working hours
        assert "The working group answers: Monday to Friday, 09:00–18:00" in shown
        assert any("End the conversation" in label for label in resident.labels)
        assert "Received" in _texts(await resident.send(PROBLEM))
        assert await resident.send("Near the playground, the green one.") == []  # silence
        assert await resident.send("2") == []  # a number is a message, not a button

        await add_account(chat.svoi, OPERATOR, "operator")
        assert (await login(chat.console, OPERATOR)).status == 303
        queue = await text(await chat.console.get("/admin/handoff"))
        talk = await _conversation(db)
        assert f"/admin/handoff/{talk.id}" in queue and "Waiting for" not in queue
        assert "Чекає на працівника" in queue and '<meta http-equiv="refresh"' in queue
        count = await chat.console.get("/admin/handoff/count")
        assert (await count.json()) == {"waiting": 1}
        page = await text(await chat.console.get(f"/admin/handoff/{talk.id}"))
        assert PROBLEM in page and "Near the playground" in page
        assert "/web/static/handoff.js" in page

        taken = await post(chat.console, f"/admin/handoff/{talk.id}/take", {})
        assert taken.status == 303
        await _arrived(chat.delivered, "You are talking to a member of the city council")
        replied = await post(chat.console, f"/admin/handoff/{talk.id}/reply", {"reply": ANSWER})
        assert replied.headers["Location"] == f"/admin/handoff/{talk.id}?done=reply"
        answer = await _arrived(chat.delivered, ANSWER)
        assert answer.startswith("💬 Working group:")
        assert "telegram:5550001" not in "\n".join(chat.delivered())  # a role, not a person

        assert await resident.send("Thank you, I will check this evening.") == []
        news = await chat.console.get(f"/admin/handoff/{talk.id}/messages?after=0")
        said = [m["text"] for m in (await news.json())["messages"]]
        assert said[-2:] == [ANSWER, "Thank you, I will check this evening."]

        closed = await post(chat.console, f"/admin/handoff/{talk.id}/close", {})
        assert closed.status == 303
        await _arrived(chat.delivered, "The working group has ended the conversation")
        shown = await text(await chat.console.get(f"/admin/handoff/{talk.id}?done=close"))
        assert "Розмову завершено" in shown and f"/admin/handoff/{talk.id}/reply" not in shown
        again = await post(chat.console, f"/admin/handoff/{talk.id}/reply", {"reply": "More"})
        assert again.status == 400 and "Цю розмову вже завершено" in await again.text()

        # The bot is itself again: the next message is not passed on.
        assert "Here is the main menu" in _texts(await resident.send("Hello?"))

    async with db.transaction() as session:
        audit = (
            await session.execute(
                select(AuditEntry.action).where(AuditEntry.target == str(talk.id))
            )
        ).scalars()
        actions = list(audit)
    for action in ("handoff-opened", "handoff-taken", "handoff-replied", "handoff-closed"):
        assert action in actions
    assert actions.count("handoff-resident-message") == 4


async def test_a_telegram_resident_talks_to_the_working_group_in_the_chat_and_cancels(
    settings: Settings, db: Database, db_url: str
) -> None:
    async with telegram_messenger(settings, db, db_url) as (svoi, chat, delivered):
        delivery = DeliveryService(svoi, configs={"telegram": fast_config()})
        await delivery.start()
        try:
            await chat.send("/start")
            await chat.press("English")
            await chat.send("/settings")
            await chat.send("/help")  # "Talk to a person" under the screen it was asked from
            await chat.press("Talk to a person")
            assert "You are writing to the city council's working group" in chat.text
            await chat.send(PROBLEM)
            assert "Received" in chat.text

            operator = Resident.on(svoi.engine, user_id="operator-1")
            await operator.onboard("en")
            await operator.send("/operator")
            await operator.press("Conversations (1)")
            assert "Waiting for a member of the group: 1" in operator.text
            talk = await _conversation(db)
            await operator.press(f"ho:{talk.id}")
            assert f"Resident: {PROBLEM}" in operator.text
            await operator.press("Take the conversation")
            assert "You have taken the conversation" in operator.text
            await _arrived(delivered, "You are talking to a member of the city council")
            await operator.press("Ready answer")
            await operator.press("Greeting")
            assert "The ready answer has been sent" in operator.text
            await _arrived(delivered, "Good day! We are the city council's working group.")

            await chat.send("/cancel")
            assert "Your conversation with the working group has ended." in chat.text
            assert "Main menu" in chat.text
            await operator.press("Refresh")
            assert "✔️ Ended" in operator.text
            assert "Take the conversation" not in str(operator.last)
        finally:
            await delivery.stop()
    row = await _conversation(db)
    assert row.status == "closed" and row.closed_by == "resident"


async def test_a_web_resident_gets_the_reply_on_the_page_and_leaves_by_the_menu(
    svoi: Svoi, db: Database
) -> None:
    web = await start_web(svoi)
    delivery = DeliveryService(svoi, configs={"web": fast_config()})
    await delivery.start()
    try:
        client = web.client
        await text(await client.get("/"))
        start = await chat_send(client, {"type": "start"})
        english = button_payload(start, "English")
        menu = await chat_send(client, {"type": "button", "payload": english})
        opened = await chat_send(
            client, {"type": "button", "payload": button_payload(menu, "Talk to a person")}
        )
        assert "You are writing to the city council" in opened["messages"][0]["text"]
        said = await chat_send(client, {"type": "text", "text": PROBLEM})
        assert "Received" in said["messages"][0]["text"]

        talk = await _conversation(db)
        async with db.transaction() as session:
            await service.reply(
                session,
                talk.id,
                ANSWER,
                actor=Actor("telegram:5550001", "operator", via="web"),
                now=clock.now(),
            )

        async def pending() -> bool:
            async with db.transaction() as session:
                found = await session.execute(select(WebPendingMessage.id))
                return len(found.all()) >= 1

        await eventually(pending, within=20)
        (reply,) = await _events(client, 1)  # replying took it: the heading names the role
        assert reply["text"] == f"💬 Working group:\n\n{ANSWER}"
        assert [b["payload"] for row in reply["buttons"] for b in row] == ["g:handoff-end"]
        ended = await chat_send(client, {"type": "button", "payload": "g:menu"})
        texts = [m["text"] for m in ended["messages"]]
        assert texts[0] == "Your conversation with the working group has ended."
        assert "Main menu" in texts[-1]
    finally:
        await delivery.stop()
        await stop_web(web)
    assert (await _conversation(db)).status == "closed"


async def test_outside_working_hours_the_resident_is_told_honestly(
    resident: Resident, test_clock: clock.SetClock
) -> None:
    from datetime import datetime

    test_clock.set(datetime(2026, 6, 20, 11, 0, tzinfo=clock.CITY_ZONE))  # a Saturday
    await resident.onboard("uk")
    await resident.press("Поговорити з людиною")
    assert "Зараз неробочий час, тож відповідь прийде не одразу" in resident.text
    assert "з понеділка по пʼятницю, 09:00–18:00" in resident.text
    await resident.send("/menu")
    assert "Розмову з робочою групою завершено." in resident.text


async def test_a_resident_cannot_reach_the_working_groups_queue(resident: Resident) -> None:
    await resident.onboard("en")
    await resident.send("/handoffs")
    assert "for the working group only" in resident.text


@pytest.mark.parametrize("command", ["/settings"])
async def test_a_resident_who_left_the_screen_returns_to_the_same_conversation(
    resident: Resident, db: Database, command: str
) -> None:
    await resident.onboard("en")
    await resident.press("Talk to a person")
    await resident.send(PROBLEM)
    await resident.send(command)
    await resident.send("/menu")
    await resident.press("Talk to a person")
    assert "Your conversation with the working group goes on" in resident.text
    async with db.transaction() as session:
        rows = (await session.execute(select(HandoffConversation))).scalars().all()
    assert [r.status for r in rows] == ["waiting"]
