"""Photos residents send: checked by their content, cleaned of every metadata, stored with an
expiry, refused with a sentence the resident understands (bot/core/attachments.py).

The screen that takes photos here is a small one the test adds to the real engine (the
reports feature is the product's; tests/reports has its conversations): it stores what it
is given and says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import Svoi
from bot.core.attachments import MAX_PIXELS, AttachmentProblem, clean_image
from bot.core.messages import Attachment
from bot.maintenance import run_retention
from storage import clock
from storage.models.access import AuditEntry
from storage.models.attachments import StoredFile
from storage.repos.attachments import AttachmentRepo
from tests.support.conversation import Resident, sent_files
from tests.support.images import (
    GPS_IFD,
    HTML_AS_JPEG,
    PDF,
    PURPOSE,
    add_photo_screen,
    bomb_png,
    metadata_of,
    phone_jpeg,
    screenshot_png,
)


# --- the pictures themselves -------------------------------------------------------------
def test_a_phone_photo_loses_its_camera_time_and_gps_position() -> None:
    original = phone_jpeg()
    assert GPS_IFD in metadata_of(original)["exif"]  # the phone wrote where it was

    cleaned = clean_image(original)

    assert cleaned.mime == "image/jpeg"
    assert metadata_of(cleaned.data)["exif"] == {}
    assert metadata_of(cleaned.data)["info"] == []  # no comment, XMP or ICC profile either
    assert b"Samsung" not in cleaned.data and b"taken by resident" not in cleaned.data


def test_a_sideways_photo_is_stored_upright() -> None:
    cleaned = clean_image(phone_jpeg(640, 480, rotated=True))
    assert (cleaned.width, cleaned.height) == (480, 640)


def test_a_screenshot_with_transparency_and_a_text_chunk_becomes_a_plain_jpeg() -> None:
    cleaned = clean_image(screenshot_png())
    assert metadata_of(cleaned.data)["format"] == "JPEG"
    assert b"Ivan Petrenko" not in cleaned.data


def test_a_large_photo_is_scaled_down_to_the_stored_size() -> None:
    cleaned = clean_image(phone_jpeg(4000, 3000))
    assert max(cleaned.width, cleaned.height) == 2560


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (PDF, "not-an-image"),
        (HTML_AS_JPEG, "not-an-image"),
        (phone_jpeg()[:4000], "not-an-image"),  # cut off mid-upload
        (b"", "not-an-image"),
        (bomb_png(), "too-large"),  # 100 megapixels in 12 KB
    ],
    ids=["pdf", "html-named-jpeg", "truncated", "empty", "decompression-bomb"],
)
def test_what_only_pretends_to_be_a_picture_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(AttachmentProblem) as refused:
        clean_image(data)
    assert refused.value.reason == reason


def test_a_file_over_the_byte_limit_is_refused_unread() -> None:
    with pytest.raises(AttachmentProblem) as refused:
        clean_image(phone_jpeg(), limit=1000)
    assert refused.value.reason == "too-large"
    assert MAX_PIXELS >= 4000 * 3000 * 3  # a 36-megapixel phone camera is still taken


# --- a screen that takes photos ------------------------------------------------------------
async def _stored(svoi: Svoi) -> list[StoredFile]:
    async with svoi.db.transaction() as session:
        rows = await session.execute(select(StoredFile).order_by(StoredFile.id))
        return list(rows.scalars())


async def test_a_photo_is_stored_clean_for_the_resident_and_audited(
    svoi: Svoi, resident: Resident
) -> None:
    add_photo_screen(svoi)
    await resident.onboard()
    await resident.send("/phototest")

    await resident.send_photo(phone_jpeg())

    assert "Збережено 640×480." in resident.text
    [row] = await _stored(svoi)
    assert row.purpose == PURPOSE and row.owner_id is None and row.channel == "test"
    assert row.expires_at - row.created_at == timedelta(days=365)
    async with svoi.db.transaction() as session:
        stored = await AttachmentRepo(session).get(row.key, with_data=True)
        assert stored is not None
        assert metadata_of(stored.data)["exif"] == {}
        audited = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "attachment")
        )
    assert audited == 1
    assert len(row.key) == 32


@pytest.mark.parametrize(
    ("send", "sentence"),
    [
        ({"data": PDF, "kind": "document", "mime": "application/pdf"}, "не схоже на фото"),
        ({"data": HTML_AS_JPEG, "kind": "document", "mime": "image/jpeg"}, "не схоже на фото"),
        ({"data": b"x" * (11 * 1024 * 1024)}, "Файл завеликий: щонайбільше 10 МБ"),
    ],
    ids=["pdf-document", "html-named-jpeg", "eleven-megabytes"],
)
async def test_a_refused_file_gets_a_sentence_and_nothing_is_stored(
    svoi: Svoi, resident: Resident, send: dict[str, object], sentence: str
) -> None:
    add_photo_screen(svoi)
    await resident.onboard()
    await resident.send("/phototest")

    await resident.send_photo(**send)  # type: ignore[arg-type]

    assert sentence in resident.text
    assert await _stored(svoi) == []


async def test_a_pdf_declared_as_such_is_refused_without_fetching_it(
    svoi: Svoi, resident: Resident
) -> None:
    add_photo_screen(svoi)
    await resident.onboard()
    await resident.send("/phototest")

    await resident.send_photo(PDF, kind="document", mime="application/pdf", name="довідка.pdf")

    assert sent_files(svoi.engine).fetched == []


async def test_a_photo_where_none_is_asked_for_is_answered_and_never_fetched(
    svoi: Svoi, resident: Resident
) -> None:
    await resident.onboard()

    await resident.send_photo(phone_jpeg())

    assert "зараз воно не потрібне" in resident.text
    assert sent_files(svoi.engine).fetched == []
    assert await _stored(svoi) == []


async def test_a_photo_the_platform_no_longer_has_is_asked_for_again(
    svoi: Svoi, resident: Resident
) -> None:
    add_photo_screen(svoi)
    await resident.onboard()
    await resident.send("/phototest")
    sent_files(svoi.engine)  # the platform, which no longer has this one

    await resident.send_attachment(Attachment("photo", "file-expired"))

    assert "Не вдалося отримати фото" in resident.text
    assert await _stored(svoi) == []


# --- retention ------------------------------------------------------------------------------
async def test_photos_expire_and_those_no_report_took_go_after_a_day(
    svoi: Svoi, resident: Resident, test_clock: clock.SetClock
) -> None:
    add_photo_screen(svoi)
    await resident.onboard()
    await resident.send("/phototest")
    await resident.send_photo(phone_jpeg())  # will belong to something
    await resident.send_photo(phone_jpeg())  # never taken by anything
    kept, abandoned = await _stored(svoi)
    async with svoi.db.transaction() as session:
        await AttachmentRepo(session).assign(kept.resident_id, PURPOSE, [kept.id], owner_id=7)

    report = await run_retention(svoi.db, svoi.settings, clock.now() + timedelta(days=2))
    assert report.files_deleted == 1
    assert [row.id for row in await _stored(svoi)] == [kept.id]

    report = await run_retention(svoi.db, svoi.settings, clock.now() + timedelta(days=366))
    assert report.files_deleted == 1
    assert await _stored(svoi) == []
    assert abandoned.id != kept.id
