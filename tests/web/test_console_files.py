"""Residents' photos on the console: an operator sees a stored picture at
`/admin/files/<key>` (audited); a resident or a stranger never can."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from storage.models.access import AuditEntry
from storage.models.attachments import StoredFile
from tests.support.conversation import Resident
from tests.support.images import add_photo_screen, metadata_of, phone_jpeg
from tests.web.conftest import OPERATOR, WebService


async def _photo_of_a_resident(web: WebService) -> StoredFile:
    add_photo_screen(web.svoi)
    resident = Resident.on(web.svoi.engine)
    await resident.onboard()
    await resident.send("/phototest")
    await resident.send_photo(phone_jpeg())
    async with web.svoi.db.transaction() as session:
        return (await session.execute(select(StoredFile))).scalar_one()


async def test_an_operator_sees_the_photo_without_its_metadata_and_it_is_audited(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    photo = await _photo_of_a_resident(web)

    response = await operator.get(f"/admin/files/{photo.key}")

    assert response.status == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"].startswith("private")
    assert metadata_of(await response.read())["exif"] == {}
    async with web.svoi.db.transaction() as session:
        [entry] = (
            await session.execute(select(AuditEntry).where(AuditEntry.action == "file-view"))
        ).scalars()
    assert (entry.actor, entry.target, entry.outcome) == (OPERATOR, photo.key, "done")


async def test_a_stranger_gets_the_login_page_and_an_unknown_key_nothing(
    web: WebService,
) -> None:
    photo = await _photo_of_a_resident(web)

    response = await web.client.get(f"/admin/files/{photo.key}", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/admin/login")


async def test_an_unknown_or_malformed_key_is_not_found(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    assert (await operator.get("/admin/files/" + "a" * 32)).status == 404
    assert (await operator.get("/admin/files/../../etc/passwd")).status == 404
    assert (await operator.get("/admin/files/" + "A" * 32)).status == 404
