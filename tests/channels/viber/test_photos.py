"""Photos in Viber: a `picture` (or `file`) callback carries a media URL on Viber's CDN; the
core fetches it only where a screen takes photos, without the bot's token."""

from __future__ import annotations

from sqlalchemy import select

from storage.models.attachments import StoredFile
from storage.repos.attachments import AttachmentRepo
from tests.channels.viber.client import ViberResident, ViberService
from tests.support.images import PDF, add_photo_screen, metadata_of, phone_jpeg


async def _stored(viber: ViberService) -> list[StoredFile]:
    async with viber.svoi.db.transaction() as session:
        return list((await session.execute(select(StoredFile))).scalars())


async def test_a_picture_is_fetched_from_its_media_url_and_stored_clean(
    viber: ViberService,
) -> None:
    add_photo_screen(viber.svoi)
    resident = ViberResident.on(viber, "photo==")
    await resident.onboard("uk")
    await resident.send("/phototest")
    photo = phone_jpeg()
    url = viber.fake.add_media("IMG_0042.jpg", photo)

    await resident.post(resident.user.picture(url, size=len(photo)))

    assert "Збережено 640×480." in resident.text
    [request] = viber.fake.media_requests
    assert "X-Viber-Auth-Token" not in request  # the token stays with the API
    [row] = await _stored(viber)
    assert row.channel == "viber"
    async with viber.svoi.db.transaction() as session:
        stored = await AttachmentRepo(session).get(row.key, with_data=True)
    assert stored is not None and metadata_of(stored.data)["exif"] == {}


async def test_a_file_that_is_no_picture_and_a_vanished_one_are_explained(
    viber: ViberService,
) -> None:
    add_photo_screen(viber.svoi)
    resident = ViberResident.on(viber, "photo-pdf==")
    await resident.onboard("uk")
    await resident.send("/phototest")
    url = viber.fake.add_media("doc.pdf", PDF)

    await resident.post(resident.user.file(url, size=len(PDF), file_name="довідка.pdf"))
    assert "Це не схоже на фото" in resident.text
    await resident.post(resident.user.picture(url.replace("doc.pdf", "gone.jpg"), size=1000))
    assert "Не вдалося отримати фото" in resident.text
    await resident.post(resident.user.picture(url, size=50 * 1024 * 1024))
    assert "Файл завеликий" in resident.text

    assert await _stored(viber) == []
    assert len(viber.fake.media_requests) == 2  # the oversized one was never requested
