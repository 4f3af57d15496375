"""The web chat's API under input no page sends and with its database gone: JSON nested too
deeply to parse, text that is not Unicode, headers that are not URLs or numbers — each a 4xx
with a message in the visitor's language; a database that is down — 503 with Retry-After,
never a 500 or a traceback, and an event stream that waits for the database to come back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from bot.app import Svoi
from bot.core.messages import Reply
from storage.db import Database
from tests.channels.raw_http import deeply_nested
from tests.support.outage import DatabaseOutage
from tests.web.conftest import WebService, start_web, stop_web, text, web_settings, web_user

BAD_REQUEST = {
    "uk": "Сторінка надіслала запит, який «Свої» не змогли прочитати",
    "en": "The page sent a request Svoi could not read",
}
UNAVAILABLE = {
    "uk": "«Свої» ненадовго недоступні",
    "en": "Svoi is unavailable for a moment",
}


async def _post_raw(
    client: TestClient[Any, Any], path: str, body: bytes, **headers: str
) -> ClientResponse:
    return await client.post(
        path, data=body, headers={"Content-Type": "application/json", **headers}
    )


async def _error(response: ClientResponse) -> str:
    body = await response.text()
    assert "Traceback" not in body
    error = json.loads(body)["error"]
    assert isinstance(error, str)
    return error


@pytest.mark.parametrize("path", ["/web/api/send", "/web/api/ack"])
@pytest.mark.parametrize("language", ["uk", "en"])
async def test_json_nested_too_deeply_is_a_bad_request_in_the_visitors_language(
    web: WebService, path: str, language: str
) -> None:
    client = web.client
    await text(await client.get("/"))  # ack needs a session; send works either way
    nested = deeply_nested(8_000)  # fits the 16 KB limit
    response = await _post_raw(client, path, nested, **{"Accept-Language": language})
    assert response.status == 400
    assert (await _error(response)).startswith(BAD_REQUEST[language])


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "surrogate01", "type": "text", "text": "\\ud800"}',
        b'{"id": "surrogate02", "type": "button", "payload": "lang:\\udfff"}',
        b'{"id": "surrogate03", "type": "start", "\\ud83d": 1}',
        json.dumps({"id": "utf16body1", "type": "start"}).encode("utf-16"),
        b'{"id": "nulbody001", "type": "start"}\x00',
    ],
    ids=["lone-surrogate-text", "lone-surrogate-payload", "lone-surrogate-key", "utf-16", "nul"],
)
async def test_a_body_that_is_not_utf8_text_is_a_bad_request(web: WebService, body: bytes) -> None:
    client = web.client
    await text(await client.get("/"))
    response = await _post_raw(client, "/web/api/send", body, **{"Accept-Language": "en"})
    assert response.status == 400
    assert (await _error(response)).startswith(BAD_REQUEST["en"])


async def test_a_command_with_a_nul_and_control_characters_still_runs(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))

    async def act(action: dict[str, str]) -> list[dict[str, Any]]:
        response = await client.post("/web/api/send", json=action)
        assert response.status == 200
        messages: list[dict[str, Any]] = (await response.json())["messages"]
        return messages

    [welcome] = await act({"id": "controls01", "type": "start"})
    english = [b["payload"] for row in welcome["buttons"] for b in row if b["label"] == "English"]
    await act({"id": "controls02", "type": "button", "payload": english[0]})
    [settings] = await act({"id": "controls03", "type": "text", "text": "/sett\x00ings\x1b"})
    assert settings["text"].startswith("Settings. Language: English.")


async def test_an_origin_that_is_not_a_url_is_refused_as_cross_site(web: WebService) -> None:
    client = web.client
    await text(await client.get("/"))
    for origin in ("http://[::1", "http://[svoi.example"):
        response = await client.post(
            "/web/api/send", json={"id": "origin0001", "type": "start"}, headers={"Origin": origin}
        )
        assert response.status == 403, origin


@pytest.mark.parametrize("after", ["²", "١٢", "12345678901234567890123", "-1", "0x10"])
async def test_a_last_event_id_that_is_not_a_plain_number_reads_from_the_start(
    web: WebService, after: str
) -> None:
    client = web.client
    await text(await client.get("/"))
    await web.channel.deliver(web_user(client), Reply("Waiting for you"))
    stream = await client.get("/web/api/events", headers={"Last-Event-ID": after})
    assert stream.status == 200
    async with asyncio.timeout(10):
        while not (line := await stream.content.readline()).startswith(b"data: "):
            assert line, "the stream ended"
    assert json.loads(line.removeprefix(b"data: "))["text"] == "Waiting for you"
    stream.close()


# --- the database goes away ------------------------------------------------------------------


@pytest.fixture
async def fragile(
    outage: DatabaseOutage, db: Database
) -> AsyncIterator[tuple[WebService, Database]]:
    """The web chat on a database the test can stop (behind a proxy / a movable file)."""
    database = Database(outage.url)
    service = await start_web(Svoi.create(web_settings(outage.url), database), heartbeat=0.2)
    yield service, database
    await stop_web(service)
    await database.dispose()


def _assert_unavailable(response: ClientResponse, body: str) -> None:
    assert response.status == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Traceback" not in body and "Error" not in body


@pytest.mark.parametrize("language", ["uk", "en"])
async def test_while_the_database_is_down_the_chat_answers_503_and_recovers(
    fragile: tuple[WebService, Database], outage: DatabaseOutage, language: str
) -> None:
    service, database = fragile
    client = service.client
    lang = {"Accept-Language": language}
    await text(await client.get("/"))
    first = await client.post("/web/api/send", json={"id": "before0001", "type": "start"})
    assert first.status == 200

    await outage.stop(database)
    for path, action in (
        ("/web/api/send", {"id": "during0001", "type": "text", "text": "/help"}),
        ("/web/api/ack", {"ids": [1]}),
    ):
        response = await client.post(path, json=action, headers=lang)
        body = await response.text()
        _assert_unavailable(response, body)
        assert json.loads(body)["error"].startswith(UNAVAILABLE[language])
    page = await client.get("/", headers=lang)
    body = await page.text()
    _assert_unavailable(page, body)
    assert UNAVAILABLE[language] in body

    await outage.start(database)
    again = await client.post(
        "/web/api/send", json={"id": "during0001", "type": "text", "text": "/help"}
    )
    assert again.status == 200  # the page retries the same action: it runs now
    assert (await again.json())["messages"]
    assert (await client.get("/")).status == 200


async def test_an_event_stream_opened_during_an_outage_waits_for_the_database(
    fragile: tuple[WebService, Database], outage: DatabaseOutage
) -> None:
    service, database = fragile
    client = service.client
    await text(await client.get("/"))
    user = web_user(client)

    await outage.stop(database)
    stream = await client.get("/web/api/events")
    assert stream.status == 200
    async with asyncio.timeout(10):
        # The stream outlives failed reads of the table: heartbeats keep coming.
        while (line := await stream.content.readline()) != b": keep-alive\n":
            assert line, "the stream ended"

    await outage.start(database)
    await service.channel.deliver(user, Reply("Back again"))
    async with asyncio.timeout(10):
        while not (line := await stream.content.readline()).startswith(b"data: "):
            assert line, "the stream ended"
    assert json.loads(line.removeprefix(b"data: "))["text"] == "Back again"
    stream.close()
