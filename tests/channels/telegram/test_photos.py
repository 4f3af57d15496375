"""Photos in Telegram: an update with a photo (or a picture sent "as a file") becomes a photo
the core fetches with `getFile` and the file URL, only where a screen takes photos."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.attachments import AttachmentProblem
from bot.core.messages import Attachment
from storage.models.attachments import StoredFile
from storage.repos.attachments import AttachmentRepo
from tests.channels.telegram.conftest import Chat, Service
from tests.support.images import PDF, add_photo_screen, metadata_of, phone_jpeg


async def _stored(service: Service) -> list[StoredFile]:
    async with service.svoi.db.transaction() as session:
        return list((await session.execute(select(StoredFile))).scalars())


async def test_a_photo_on_a_screen_that_takes_it_is_fetched_cleaned_and_stored(
    service: Service, chat: Chat
) -> None:
    add_photo_screen(service.svoi)
    await chat.onboard()
    await chat.send("/phototest")
    service.api.add_file("AgACphoto1", phone_jpeg())

    await chat.act(chat.user.photo("AgACphoto1", width=640, height=480))

    assert "Збережено 640×480." in chat.text
    assert [c.params["file_id"] for c in service.api.calls_to("getFile")] == ["AgACphoto1"]
    [row] = await _stored(service)
    assert row.channel == "telegram"
    async with service.svoi.db.transaction() as session:
        stored = await AttachmentRepo(session).get(row.key, with_data=True)
    assert stored is not None and metadata_of(stored.data)["exif"] == {}


async def test_a_picture_sent_as_a_file_keeps_no_gps_either(service: Service, chat: Chat) -> None:
    add_photo_screen(service.svoi)
    await chat.onboard()
    await chat.send("/phototest")
    service.api.add_file("BQACdoc1", phone_jpeg(), file_path="documents/IMG_0042.JPG")

    await chat.act(chat.user.document("BQACdoc1", file_name="IMG_0042.JPG", mime_type="image/jpeg"))

    assert "Збережено" in chat.text
    [row] = await _stored(service)
    async with service.svoi.db.transaction() as session:
        stored = await AttachmentRepo(session).get(row.key, with_data=True)
    assert stored is not None and metadata_of(stored.data)["exif"] == {}


async def test_a_photo_nobody_asked_for_is_answered_without_downloading_it(
    service: Service, chat: Chat
) -> None:
    await chat.onboard()
    service.api.add_file("AgACphoto2", phone_jpeg())

    await chat.act(chat.user.photo("AgACphoto2"))

    assert "isn't needed right now" in chat.text
    assert service.api.calls_to("getFile") == []
    assert await _stored(service) == []


async def test_a_declared_oversized_photo_and_a_pdf_are_refused_unfetched(
    service: Service, chat: Chat
) -> None:
    add_photo_screen(service.svoi)
    await chat.onboard()
    await chat.send("/phototest")

    await chat.act(chat.user.photo("AgACbig", size=15 * 1024 * 1024))
    assert "too large: 10 MB at most" in chat.text
    await chat.act(
        chat.user.document("BQACpdf", file_name="довідка.pdf", mime_type="application/pdf")
    )
    assert "does not look like a photo" in chat.text

    assert service.api.calls_to("getFile") == []
    assert service.api.downloads == []


async def test_the_adapter_reads_no_more_than_the_limit(service: Service) -> None:
    service.api.add_file("AgACreal", phone_jpeg())
    service.api.add_file("AgAChuge", PDF * 1000)

    assert await service.channel.fetch(Attachment("photo", "AgACreal"), 10**7) == phone_jpeg()
    with pytest.raises(AttachmentProblem) as too_large:
        await service.channel.fetch(Attachment("photo", "AgAChuge"), 10_000)
    assert too_large.value.reason == "too-large"
    with pytest.raises(AttachmentProblem) as gone:
        await service.channel.fetch(Attachment("photo", "AgACunknown"), 10**7)
    assert gone.value.reason == "unavailable"
