"""The console's conversations page over HTTP: the queue and "all" lists, an empty reply
refused with the reason, a canned answer, a conversation that does not exist, and viewers
and logged-out visitors kept out."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import Svoi
from storage.db import Database
from storage.models.handoff import HandoffMessage
from tests.support.conversation import Resident
from tests.web.conftest import (
    OPERATOR,
    VIEWER,
    WebService,
    add_account,
    login,
    start_web,
    stop_web,
    text,
)
from tests.web.test_console_pages import outbox, post


async def _asked(svoi: Svoi, words: str) -> None:
    resident = Resident.on(svoi.engine, user_id="310000777", language="en")
    await resident.onboard("en")
    await resident.press("Talk to a person")
    await resident.send(words)


async def _console(svoi: Svoi, account: str, role: str) -> tuple[WebService, TestClient[Any, Any]]:
    web = await start_web(svoi)
    await add_account(svoi, account, role)
    assert (await login(web.client, account)).status == 303
    return web, web.client


async def test_an_operator_answers_with_a_ready_answer_and_empty_replies_are_refused(
    svoi: Svoi, db: Database
) -> None:
    await _asked(svoi, "Where do I get a parking permit?")
    web, console = await _console(svoi, OPERATOR, "operator")
    try:
        listing = await text(await console.get("/admin/handoff"))
        assert "На працівника чекає 1 розмова." in listing
        conversation = await text(await console.get("/admin/handoff/1"))
        assert "Where do I get a parking permit?" in conversation
        assert 'option value="cnap"' in conversation

        empty = await post(console, "/admin/handoff/1/reply", {"reply": "   "})
        assert empty.status == 400 and "Текст порожній" in await empty.text()
        unknown = await post(console, "/admin/handoff/1/canned", {"code": "no-such"})
        assert unknown.status == 400 and "Такої готової відповіді немає" in await unknown.text()
        canned = await post(console, "/admin/handoff/1/canned", {"code": "cnap"})
        assert canned.status == 303
        shown = await text(await console.get(canned.headers["Location"]))
        assert "Готову відповідь надіслано." in shown
        assert "Administrative services are provided by the ЦНАП." in shown  # in English

        rows = await outbox(db, kind="handoff-reply")
        assert len(rows) == 1 and rows[0].urgent and rows[0].template_args["role"] == "operator"
        async with db.transaction() as session:
            authors = (await session.execute(select(HandoffMessage.author))).scalars().all()
        assert list(authors) == ["resident", "operator"]

        everything = await text(await console.get("/admin/handoff?show=all"))
        assert "/admin/handoff/1" in everything
        missing = await console.get("/admin/handoff/999")
        assert missing.status == 404
        assert (await post(console, "/admin/handoff/999/close", {})).status == 404
    finally:
        await stop_web(web)


async def test_viewers_and_visitors_cannot_open_the_conversations(svoi: Svoi) -> None:
    await _asked(svoi, "Is anyone there?")
    web = await start_web(svoi)
    try:
        anonymous = await web.client.get("/admin/handoff", allow_redirects=False)
        assert anonymous.status in (302, 303)
        await add_account(svoi, VIEWER, "viewer")
        assert (await login(web.client, VIEWER)).status == 303
        refused = await web.client.get("/admin/handoff/1", allow_redirects=False)
        assert refused.status == 403
        taken = await web.client.post("/admin/handoff/1/take", allow_redirects=False)
        assert taken.status in (403, 400)
    finally:
        await stop_web(web)
