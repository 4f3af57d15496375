"""Photos in the web chat: the page's 📷 button posts the picture itself to
`/web/api/photo`; the turn is the same as a messenger's photo (checked, cleaned, stored only
where a screen takes photos). Too large: 413 before the engine; no chat yet or another site:
refused."""

from __future__ import annotations

import itertools
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from storage.models.attachments import StoredFile
from storage.repos.attachments import AttachmentRepo
from tests.support.images import add_photo_screen, metadata_of, phone_jpeg
from tests.web.conftest import WebService

_ids = itertools.count(1)


def _id() -> str:
    return f"photo_action_{next(_ids):04d}"


async def _send(client: TestClient[Any, Any], action: dict[str, Any]) -> Any:
    response = await client.post("/web/api/send", json={"id": _id(), **action})
    assert response.status == 200, await response.text()
    return await response.json()


async def _photo(client: TestClient[Any, Any], data: bytes, **headers: str) -> tuple[int, Any]:
    response = await client.post(
        f"/web/api/photo?id={_id()}",
        data=data,
        headers={"Content-Type": "image/jpeg", **headers},
    )
    return response.status, await response.json()


def _texts(answer: Any) -> str:
    return "\n".join(message["text"] for message in answer["messages"])


async def _stored(web: WebService) -> list[StoredFile]:
    async with web.svoi.db.transaction() as session:
        return list((await session.execute(select(StoredFile))).scalars())


async def test_a_visitor_sends_a_photo_from_the_page_and_it_is_stored_clean(
    web: WebService,
) -> None:
    add_photo_screen(web.svoi)
    client = web.client
    page = await client.get("/")
    assert 'id="photo"' in await page.text()  # the page offers the picker
    await _send(client, {"type": "start"})
    await _send(client, {"type": "button", "payload": "lang:uk"})
    await _send(client, {"type": "text", "text": "/phototest"})

    status, answer = await _photo(client, phone_jpeg())

    assert status == 200
    assert "Збережено 640×480." in _texts(answer)
    [row] = await _stored(web)
    assert row.channel == "web"
    async with web.svoi.db.transaction() as session:
        stored = await AttachmentRepo(session).get(row.key, with_data=True)
    assert stored is not None and metadata_of(stored.data)["exif"] == {}


async def test_a_photo_where_none_is_asked_for_is_answered_in_the_chat(web: WebService) -> None:
    client = web.client
    await _send(client, {"type": "start"})
    await _send(client, {"type": "button", "payload": "lang:en"})

    status, answer = await _photo(client, phone_jpeg())

    assert status == 200
    assert "Thank you for the photo, but it isn't needed right now" in _texts(answer)
    assert await _stored(web) == []


async def test_too_large_foreign_and_first_photos_are_refused_before_the_engine(
    web: WebService,
) -> None:
    client = web.client
    status, answer = await _photo(client, phone_jpeg())
    assert status == 400  # no chat yet: the page starts one first
    await _send(client, {"type": "start"})

    status, answer = await _photo(client, b"\xff" * (10 * 1024 * 1024 + 1))
    assert status == 413
    assert answer["error"] == "Фото завелике. Надішліть, будь ласка, менше."
    status, answer = await _photo(client, phone_jpeg(), Origin="https://evil.example")
    assert status == 403
    assert await _stored(web) == []
