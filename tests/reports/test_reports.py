"""Residents report a problem — a missed collection with a photo and a shared location, a
broken bench at a typed address — and the working group sets its status in the chat; the
reporter is told through the outbox and reads it in «Мої звернення». Through the real engine
and database, on Telegram's and Viber's capabilities (the channels' own photo paths are in
tests/channels/*/test_photos.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import Svoi
from bot.core.actions import Actor, Refused
from bot.core.capabilities import TELEGRAM, VIBER, ChannelCapabilities
from dialogs.reports import service
from storage import clock
from storage.models.attachments import StoredFile
from storage.models.outbox import OutboxMessage
from storage.models.reports import Report
from storage.repos.attachments import AttachmentRepo
from tests.support.conversation import Resident
from tests.support.images import PDF, metadata_of, phone_jpeg
from tests.waste.support import load_content

CHANNELS = [
    pytest.param(("telegram", TELEGRAM), id="telegram"),
    pytest.param(("viber", VIBER), id="viber"),
]


@pytest.fixture(params=CHANNELS)
def person(request: pytest.FixtureRequest, svoi: Svoi) -> Resident:
    channel, caps = request.param
    assert isinstance(caps, ChannelCapabilities)
    return Resident.on(svoi.engine, channel=channel, caps=caps)


async def _reports(svoi: Svoi) -> list[Report]:
    async with svoi.db.transaction() as session:
        return list((await session.execute(select(Report).order_by(Report.id))).scalars())


async def test_a_missed_collection_with_a_photo_and_a_location_is_resolved_and_told(
    svoi: Svoi, person: Resident, operator: Resident
) -> None:
    await person.onboard("uk")
    await person.press("Повідомити про проблему")
    assert "Про яку проблему повідомити?" in person.text
    await person.press("Не вивезли сміття")
    assert "Надішліть геолокацію або напишіть адресу" in person.text
    await person.share_location(49.4216, 26.9965)
    assert "Додайте фото проблеми" in person.text

    await person.send_photo(phone_jpeg())  # with the phone's EXIF and GPS position
    assert "Фото додано: 1 з 3" in person.text
    await person.press("Готово")
    await person.send("Контейнери на розі не вивозили з понеділка")
    assert "Проблема: Не вивезли сміття" in person.text
    assert "Місце: геолокація" in person.text and "Фото: 1" in person.text
    await person.press("Надіслати")
    assert "Звернення №\u00a026-00001 надіслано робочій групі" in person.text

    [report] = await _reports(svoi)
    assert (report.category, report.status, report.reference) == (
        "missed-collection",
        "received",
        "26-00001",
    )
    assert (report.latitude, report.longitude) == (49.4216, 26.9965)
    async with svoi.db.transaction() as session:
        [photo] = (await AttachmentRepo(session).for_owners("report", [report.id]))[report.id]
        stored = await AttachmentRepo(session).get(photo.key, with_data=True)
    assert stored is not None and metadata_of(stored.data)["exif"] == {}

    # The working group sees it in the chat and resolves it with a comment.
    await operator.onboard("uk")
    await operator.send("/reports")
    assert "Не вивезли: зона невідома" in operator.text  # grouped by zone and day
    await operator.press("26-00001")
    assert "Фото: 1" in operator.text and "Контейнери на розі" in operator.text
    await operator.press("Вирішено")
    await operator.send("Вивезли сьогодні о 15:00")
    assert "Статус звернення №\u00a026-00001 змінено: вирішено" in operator.text

    async with svoi.db.transaction() as session:
        [notice] = (
            await session.execute(
                select(OutboxMessage).where(OutboxMessage.kind == "report-status")
            )
        ).scalars()
    assert (notice.user_id, notice.template_key) == (person.user_id, "reports-notify-status")
    assert notice.template_args["comment"] == "Вивезли сьогодні о 15:00"

    await person.send("/myreports")
    assert "№\u00a026-00001" in person.text and "вирішено" in person.text
    assert "Коментар робочої групи: Вивезли сьогодні о 15:00" in person.text


async def test_a_typed_address_three_photos_at_most_and_no_pdf(
    svoi: Svoi, person: Resident
) -> None:
    await person.onboard("uk")
    await person.press("Повідомити про проблему")
    await person.press("Зламана лавка чи урна")
    await person.send("сквер біля вул. Проскурівської, 1")
    await person.send_photo(PDF, kind="document", mime="application/pdf")
    assert "Це не схоже на фото" in person.text
    for _ in range(3):
        await person.send_photo(phone_jpeg())
    assert "Коротко опишіть проблему" in person.text  # the third photo moves on
    await person.send_photo(phone_jpeg())
    assert "Більше фото додати не можна" in person.text
    await person.press("Пропустити")
    assert "Фото: 3" in person.text and "Опис: без опису" in person.text
    await person.press("Надіслати")

    [report] = await _reports(svoi)
    assert report.category == "damaged-furniture" and "Проскурівськ" in report.address
    async with svoi.db.transaction() as session:
        photos = (await session.execute(select(StoredFile))).scalars().all()
    assert sorted(p.owner_id for p in photos) == [report.id] * 3


async def test_the_working_groups_screens_are_refused_to_a_resident(
    svoi: Svoi, person: Resident
) -> None:
    await person.onboard("uk")
    await person.send("/reports")
    assert "Цей розділ доступний лише робочій групі." in person.text
    await person.press_payload("ro:1")  # forged: never offered
    assert "Це меню вже застаріло." in person.text


async def test_a_status_change_is_refused_to_a_resident_by_the_service(svoi: Svoi) -> None:
    async with svoi.db.transaction() as session:
        with pytest.raises(Refused):
            await service.set_status(
                session, Actor("test:someone", None), 1, service.Status.RESOLVED, "", clock.now()
            )


async def test_waste_not_collected_under_a_schedule_takes_its_address_and_zone(
    svoi: Svoi, person: Resident
) -> None:
    await load_content(svoi.db)
    await person.onboard("uk")
    await person.press("♻️")
    await person.send("вул. Трудова, 5")
    assert "📍 вул. Трудова, 5" in person.text
    await person.press("Не вивезли відходи")
    # the schedule's address is the place: no question about it
    assert "Звернення про невивезені відходи за адресою вул. Трудова, 5." in person.text
    assert "Додайте фото проблеми" in person.text
    await person.send_photo(phone_jpeg())
    await person.press("Готово")
    await person.press("Пропустити")
    assert "Проблема: Не вивезли сміття" in person.text
    await person.press("Надіслати")

    [report] = await _reports(svoi)
    assert report.category == service.MISSED
    assert report.address.startswith("вул. Трудова, 5") and report.zone_id is not None
    async with svoi.db.transaction() as session:
        [group] = await service.missed_collection_groups(
            session, since=clock.now().astimezone(clock.city_zone()).date()
        )
    assert group.zone_id == report.zone_id and group.references == ("26-00001",)
    assert group.zone_name  # the zone's name, for the operator

    # The same button on an old message, after the resident has moved on, asks for the place.
    await person.send("/menu")
    await person.press_payload("g:report-missed")
    assert "Надішліть геолокацію або напишіть адресу" in person.text
