"""The web chat over HTTP: the page and its signed cookie, actions as JSON through the real
engine, refusals of cross-site and malformed requests, and proactive messages that reach an
open page at once and a closed one on its next load — acknowledged, never lost."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.channels.web.session import COOKIE, CookieSigner
from bot.core.messages import Document, LinkButton, Reply
from bot.core.ports import DeliveryStatus
from storage.models.web import WebPendingMessage
from tests.web.conftest import SECRET, WebService, button_payload, chat_send, text, web_user


def _labels(answer: Any) -> list[str]:
    return [b["label"] for m in answer["messages"] for row in m["buttons"] for b in row]


async def _events(client: TestClient[Any, Any], count: int, after: int = 0) -> list[Any]:
    """Read `count` messages from the event stream, then close it."""
    response = await client.get("/web/api/events", headers={"Last-Event-ID": str(after)})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    return await _data(response, count)


async def _data(response: ClientResponse, count: int) -> list[Any]:
    found: list[Any] = []
    async with asyncio.timeout(20):
        while len(found) < count:
            line = (await response.content.readline()).decode()
            if line.startswith("data: "):
                found.append(json.loads(line[6:]))
    response.close()
    return found


async def test_the_page_is_accessible_and_gives_a_signed_identity(web: WebService) -> None:
    client = web.client
    response = await client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    page = await text(response)
    assert response.status == 200
    assert '<html lang="en">' in page
    assert '<label for="message">Your message</label>' in page
    assert 'role="log" aria-live="polite"' in page
    assert 'class="skip" href="#message"' in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert web_user(client).startswith("w")

    uk = await text(await client.get("/", headers={"Accept-Language": "uk"}))
    assert '<html lang="uk">' in uk and "Ваше повідомлення" in uk
    widget = await client.get("/web/widget.js")
    assert widget.status == 200 and "iframe" in await widget.text()


async def test_a_resident_goes_through_onboarding_and_the_plan(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    start = await chat_send(client, {"type": "start"})
    assert "Оберіть мову / Choose your language" in start["messages"][0]["text"]
    menu = await chat_send(client, {"type": "button", "payload": button_payload(start, "English")})
    assert any("Main menu" in m["text"] for m in menu["messages"])
    plan = await chat_send(client, {"type": "button", "payload": button_payload(menu, "Plan")})
    commitment = await chat_send(client, {"type": "button", "payload": button_payload(plan, "2. ")})
    assert commitment["messages"][0]["text"].startswith("2. Green City Action Plan")
    followed = await chat_send(
        client, {"type": "button", "payload": button_payload(commitment, "Follow")}
    )
    assert "we'll send you the updates of commitment 2" in followed["messages"][0]["text"]
    typed = await chat_send(client, {"type": "text", "text": "/menu"})
    assert "Main menu" in typed["messages"][-1]["text"]
    stale = await chat_send(client, {"type": "button", "payload": "c:c2"})
    assert "out of date" in stale["messages"][0]["text"]


async def test_a_repeated_action_has_no_effect(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    action = {"id": "same-action-0001", "type": "start"}
    first = await client.post("/web/api/send", json=action)
    again = await client.post("/web/api/send", json=action)
    assert len((await first.json())["messages"]) == 1
    assert (await again.json())["messages"] == []


async def test_bad_and_cross_site_requests_are_refused(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    cross = await client.post(
        "/web/api/send",
        json={"id": "abcdefgh1", "type": "start"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status == 403
    form = await client.post("/web/api/send", data={"id": "abcdefgh2", "type": "start"})
    assert form.status == 415
    for body in (
        [],
        {"type": "start"},
        {"id": "abcdefgh3", "type": "shout"},
        {"id": "abcdefgh4", "type": "button", "payload": "x" * 65},
        {"id": "abcdefgh5", "type": "location", "latitude": 91, "longitude": 0},
        {"id": "abcdefgh6", "type": "location", "latitude": "49", "longitude": 26},
        {"id": "abcdefgh7", "type": "contact", "phone": "call me"},
        {"id": "abcdefgh8", "type": "text", "text": 5},
    ):
        response = await client.post("/web/api/send", json=body)
        assert response.status == 400, body
        assert "error" in await response.json()
    big = await client.post(
        "/web/api/send",
        data=b'{"id": "abcdefgh9", "type": "text", "text": "' + b"x" * 20_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert big.status == 413


async def test_a_forged_cookie_gets_a_new_identity(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    mine = web_user(client)
    forged = CookieSigner("another-secret").sign(mine)
    client.session.cookie_jar.update_cookies({COOKIE: forged}, client.make_url("/"))
    response = await client.get("/web/api/events")
    assert response.status == 401
    await text(await client.get("/"))
    assert web_user(client) != mine


async def test_location_and_contact_reach_the_engine(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    start = await chat_send(client, {"type": "start"})
    await chat_send(client, {"type": "button", "payload": button_payload(start, "English")})
    place = await chat_send(client, {"type": "location", "latitude": 49.42, "longitude": 26.98})
    assert "isn't needed right now" in place["messages"][0]["text"]
    phone = await chat_send(client, {"type": "contact", "phone": "+380 67 123 45 67"})
    assert "contact isn't needed right now" in phone["messages"][0]["text"]


async def test_proactive_messages_reach_open_and_closed_pages(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    user = web_user(client)

    # Closed page: the message waits in the table.
    result = await web.channel.deliver(user, Reply("While you were away"))
    assert result.status is DeliveryStatus.SENT and result.message_id is not None
    (waiting,) = await _events(client, 1)
    assert waiting["text"] == "While you were away" and waiting["id"] == int(result.message_id)

    # Not acknowledged: a new page load gets it again.
    (again,) = await _events(client, 1)
    assert again["id"] == waiting["id"]
    ack = await client.post("/web/api/ack", json={"ids": [waiting["id"]]})
    assert (await ack.json()) == {"acknowledged": 1}

    # Open page: the message is pushed while the stream is open.
    stream = await client.get("/web/api/events", headers={"Last-Event-ID": str(waiting["id"])})
    async with asyncio.timeout(10):
        while (await stream.content.readline()) != b": connected\n":
            pass  # the page is registered before the stream says so
    assert web.channel.open_pages(user) == 1
    await web.channel.deliver(
        user, Reply("Live", buttons=[[LinkButton("Site", "https://khm.gov.ua")]])
    )
    reader = asyncio.create_task(_data(stream, 1))
    (live,) = await reader
    assert live["text"] == "Live"
    assert live["buttons"] == [[{"label": "Site", "url": "https://khm.gov.ua"}]]
    await client.post("/web/api/ack", json={"ids": [live["id"]]})
    async with web.svoi.db.transaction() as session:
        left = await session.execute(select(func.count()).select_from(WebPendingMessage))
        assert left.scalar() == 0


async def test_unsafe_links_and_foreign_acks_are_dropped(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    user = web_user(client)
    other = CookieSigner(SECRET).new_user_id()
    result = await web.channel.deliver(
        other, Reply("Not yours", buttons=[[LinkButton("x", "javascript:alert(1)")]])
    )
    ack = await client.post("/web/api/ack", json={"ids": [int(result.message_id or 0)]})
    assert (await ack.json()) == {"acknowledged": 0}
    bad = await client.post("/web/api/ack", json={"ids": ["1; drop table"]})
    assert bad.status == 400
    async with web.svoi.db.transaction() as session:
        row = (await session.execute(select(WebPendingMessage))).scalar_one()
    assert row.user_id == other and row.message["buttons"] == []
    assert (await web.channel.deliver("not-a-web-user", Reply("x"))).status is DeliveryStatus.GONE
    assert user != other


async def test_documents_become_downloads(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    user = web_user(client)
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    await web.channel.deliver(
        user, Reply("Your calendar", document=Document("svoi.ics", content, "text/calendar"))
    )
    (message,) = await _events(client, 1)
    assert message["document"]["filename"] == "svoi.ics"
    download = await client.get(message["document"]["url"])
    assert download.status == 200 and await download.read() == content
