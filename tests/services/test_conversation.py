"""Residents use the services catalogue through the real engine and database, on Telegram's
and Viber's capabilities: browse categories page by page, search in both languages, open a
card, get the office on the map, find nothing and ask the council."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import Svoi
from bot.core.actions import Actor
from bot.core.capabilities import TELEGRAM, VIBER, ChannelCapabilities
from bot.core.messages import LinkButton
from bot.delivery import alerts
from dialogs.services.catalogue import import_catalogue
from storage import clock
from storage.db import Database
from storage.models.handoff import HandoffConversation
from storage.models.services import ServiceQuestion
from tests.support.conversation import Resident

CHANNELS = [
    pytest.param(("telegram", TELEGRAM), id="telegram"),
    pytest.param(("viber", VIBER), id="viber"),
]


@pytest.fixture(params=CHANNELS)
def person(request: pytest.FixtureRequest, city: Svoi) -> Resident:
    channel, caps = request.param
    assert isinstance(caps, ChannelCapabilities)
    return Resident.on(city.engine, channel=channel, caps=caps)


async def _all_pages(resident: Resident) -> str:
    """The documents and details, every page of them (each page fits a phone screen)."""
    pages = [resident.text]
    while any(b.payload.startswith("page:") and "▶️" in b.label for b in resident.buttons):
        await resident.press("▶️")
        pages.append(resident.text)
    return "\n\n".join(pages)


def _links(resident: Resident) -> list[LinkButton]:
    return [b for r in resident.last for row in r.buttons for b in row if isinstance(b, LinkButton)]


async def test_search_from_the_main_menu_opens_a_card_and_the_office_map(person: Resident) -> None:
    await person.onboard("uk")
    await person.send("довідка про склад сімʼї")
    assert "Знайдено за запитом «довідка про склад сімʼї»" in person.text
    assert person.labels[0].startswith("Довідка про склад сім'ї")

    await person.press("Довідка про склад сім'ї")
    card = person.text
    assert "🏛 Довідка про склад сім'ї або зареєстрованих у житловому приміщенні осіб" in card
    assert "⚠️ Приклад" in card  # the catalogue is not confirmed by the city yet
    assert "💰 Вартість: безоплатно" in card
    assert "вул. Соборна, 16" in card
    assert "30 хвилин після відбою" not in card  # the common notice is behind a button
    await person.press("Прийом у воєнний час")
    assert "30 хвилин після відбою" in person.text  # the wartime air-alert rule
    await person.press("Документи і деталі")
    details = await _all_pages(person)
    assert "+380 382 76-58-61" in details  # phones are text, never tel: buttons
    await person.press("Назад")
    assert all(link.url.startswith(("http://", "https://")) for link in _links(person))
    assert "https://cnap.khm.gov.ua" in [link.url for link in _links(person)]

    await person.press("Показати на мапі")
    point = person.last[-1].location
    assert point is not None
    assert (point.latitude, point.longitude) == (49.4224, 26.9853)
    assert point.title == "ЦНАП Хмельницької міської ради"
    assert "приблизна (приклад)" in person.text

    await person.press("Назад")
    assert "Знайдено за запитом" in person.text


async def test_english_resident_searches_in_english_and_reads_an_english_card(
    person: Resident,
) -> None:
    await person.onboard("en")
    await person.press("City services")
    assert "Choose a category" in person.text
    await person.send("residense registraton")  # two typos
    assert person.labels[0] == "Registration of place of residence"
    await person.press_payload(person.buttons[0].payload)
    await person.press("Documents and details")
    assert "💻 Apply online" in [link.label for link in _links(person)]
    details = await _all_pages(person)
    assert "📄 Documents:" in details
    assert "💻 Online: Yes, in the Diia app" in details
    await person.send("паспорт")  # any screen of the section searches, any language
    assert 'Found for "паспорт"' in person.text


async def test_browse_a_category(person: Resident) -> None:
    await person.onboard("uk")
    await person.press("Міські послуги")
    assert "Паспорти та ID-картки" in person.labels
    await person.press("Паспорти та ID-картки")
    assert "📂 Паспорти та ID-картки" in person.text
    assert "1. Оформлення паспорта громадянина України (ID-картки)" in person.text
    assert "Сторінка" not in person.text  # three services: one page
    await person.press("для виїзду за кордон")
    assert "Оформлення паспорта для виїзду за кордон" in person.text
    await person.press("Назад")
    assert "📂 Паспорти та ID-картки" in person.text
    await person.press("Назад")
    assert "Оберіть категорію" in person.text


async def test_paging_through_a_long_category(
    person: Resident, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "many.yaml"
    services = "\n".join(
        f"  - {{code: s{n:02d}, category: many, "
        f"name: {{uk: Послуга {n:02d}, en: Service {n:02d}}}}}"
        for n in range(1, 15)
    )
    path.write_text(
        "categories:\n  - {code: many, title: {uk: Багато послуг, en: Many services}}\n"
        f"services:\n{services}\n",
        encoding="utf-8",
    )
    await import_catalogue(db, path)
    await person.onboard("uk")
    await person.press("Міські послуги")
    await person.press("Багато послуг")
    assert "Сторінка 1 з 3" in person.text
    assert person.labels[:6] == [f"Послуга {n:02d}" for n in range(1, 7)]
    await person.press("Далі")
    assert "Сторінка 2 з 3" in person.text
    assert "7. Послуга 07" in person.text
    await person.press("Далі")
    assert "Сторінка 3 з 3" in person.text
    assert person.labels[:2] == ["Послуга 13", "Послуга 14"]
    assert not any("Далі" in label for label in person.labels)
    await person.press("Попередні")
    assert "Сторінка 2 з 3" in person.text
    await person.press("Послуга 08")
    assert "🏛 Послуга 08" in person.text
    assert "Показати на мапі" not in " ".join(person.labels)  # no office, no map
    await person.press("Назад")
    assert "Сторінка 2 з 3" in person.text


async def test_nothing_found_offers_categories_and_asking_the_council(
    person: Resident, db: Database
) -> None:
    await person.onboard("uk")
    await person.press("Міські послуги")
    await person.send("космодром")
    assert "За запитом «космодром» нічого не знайшлося" in person.text
    assert "Паспорти та ID-картки" in person.labels
    await person.press("Запитати міську раду")
    assert "Напишіть ваше запитання" in person.text
    await person.send("ок")
    assert "закоротке" in person.text
    await person.send("Де в Хмельницькому зареєструвати космодром?")
    assert "Ваше запитання №" in person.text
    assert "Оберіть категорію" in person.text
    async with db.transaction() as session:
        question = (await session.execute(select(ServiceQuestion))).scalar_one()
    assert question.text == "Де в Хмельницькому зареєструвати космодром?"
    assert question.search_query == "космодром"


async def test_nothing_found_offers_a_person_to_talk_to(person: Resident, db: Database) -> None:
    await person.onboard("uk")
    await person.press("Міські послуги")
    await person.send("космодром")
    assert "нічого не знайшлося" in person.text
    await person.press("Поговорити з людиною")
    assert "Ви пишете робочій групі міської ради." in person.text
    async with db.transaction() as session:
        talk = (await session.execute(select(HandoffConversation))).scalar_one()
    assert (talk.status, talk.source) == ("waiting", "services")


async def test_a_question_about_a_service_keeps_its_code(person: Resident, db: Database) -> None:
    await person.onboard("en")
    await person.send("subsidy")
    await person.press("Housing subsidy")
    await person.press("Ask a question")
    await person.press("Cancel")
    assert "🏛 Housing subsidy" in person.text
    await person.press("Ask a question")
    await person.send("Can I apply for my mother?")
    assert "Your question No." in person.text
    async with db.transaction() as session:
        question = (await session.execute(select(ServiceQuestion))).scalar_one()
    assert question.service_code == "housing-subsidy"


async def test_unrelated_text_at_the_menu_gets_the_usual_answer(city: Svoi, db: Database) -> None:
    resident = Resident.on(city.engine)
    await resident.onboard("en")
    await resident.send("hello there")
    assert "We didn't quite get that" in resident.text
    assert "Main menu" in resident.text
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ServiceQuestion)) == 0


async def test_a_long_card_is_split_for_the_channel(
    city: Svoi, db: Database, tmp_path: Path
) -> None:
    # Each field is within the file's limits; together they exceed Telegram's 4,096.
    description = "\n\n".join(f"Абзац {n}: " + "текст " * 80 for n in range(5))
    documents = "".join(f"        - Документ {n} — " + "опис " * 25 + "\n" for n in range(20))
    path = tmp_path / "long.yaml"
    path.write_text(
        "categories:\n  - {code: c, title: {uk: Категорія, en: Category}}\n"
        "services:\n  - code: long\n    category: c\n"
        "    name: {uk: Довга послуга, en: Long service}\n"
        "    description:\n      uk: |\n"
        + "".join(f"        {line}\n" for line in description.splitlines())
        + "    documents:\n      uk:\n"
        + documents,
        encoding="utf-8",
    )
    await import_catalogue(db, path)
    resident = Resident.on(city.engine, channel="telegram", caps=TELEGRAM)
    await resident.onboard("uk")
    await resident.send("довга послуга")
    await resident.press("Довга послуга")
    await resident.press("Документи і деталі")
    pages = 1
    while "Далі ▶️" in resident.labels:  # the details come a phone screen at a time
        assert len(resident.last) == 1 and len(resident.text) <= 700
        await resident.press("Далі ▶️")
        pages += 1
    assert pages >= 6 and "Документ 19" in resident.text
    assert all(len(reply.text) <= TELEGRAM.max_text_length for reply in resident.last)
    assert "Назад" in " ".join(resident.labels)


async def test_a_service_removed_by_an_import_is_answered_politely(
    person: Resident, db: Database, tmp_path: Path
) -> None:
    await person.onboard("uk")
    await person.send("прописка")
    payload = person.find_payload("Реєстрація місця проживання")
    path = tmp_path / "small.yaml"
    path.write_text(
        "categories:\n  - {code: c, title: {uk: Категорія, en: Category}}\n"
        "services:\n  - {code: other, category: c, name: {uk: Інша, en: Other}}\n",
        encoding="utf-8",
    )
    await import_catalogue(db, path)
    await person.press_payload(payload)
    assert "Цієї послуги або категорії вже немає" in person.text
    assert person.labels[0] == "Категорія"


async def test_a_need_of_another_institution_is_pointed_there(person: Resident) -> None:
    await person.onboard("uk")
    await person.send("больничный лист")  # at the main menu, in Russian
    assert "«больничный лист» — це не послуга ЦНАП" in person.text
    assert "Лікарняний оформлює ваш лікар" in person.text
    assert "Пенсійного фонду України" in person.text
    assert "Паспорти та ID-картки" in person.labels  # the categories are still offered
    assert "https://www.pfu.gov.ua" in [link.url for link in _links(person)]

    await person.send("загубився собака")  # the directory marks unconfirmed facts
    assert "«Надія»" in person.text
    assert "не перевірені містом" in person.text


async def test_russian_and_whole_sentences_find_their_service(person: Resident) -> None:
    await person.onboard("en")
    await person.send("как получить справку о составе семьи")
    assert person.labels[0].startswith("Family composition certificate")
    await person.send("мені потрібна довідка про склад сім'ї для субсидії")
    assert person.labels[0].startswith("Family composition certificate")


async def test_during_an_alert_the_card_says_the_centre_is_closed_and_when_it_reopens(
    person: Resident, city: Svoi, test_clock: clock.SetClock
) -> None:
    operator = Actor("test:operator-1", "operator")
    region = city.settings.alerts_region
    await person.onboard("uk")
    async with city.db.transaction() as session:
        await alerts.switch(session, region, True, operator, clock.now())

    await person.send("довідка про склад сімʼї")
    await person.press("Довідка про склад сім'ї")
    assert "🚨 Зараз повітряна тривога: ЦНАП не приймає відвідувачів" in person.text

    test_clock.set(datetime(2026, 6, 17, 14, 5, tzinfo=clock.city_zone()))
    async with city.db.transaction() as session:
        await alerts.switch(session, region, False, operator, clock.now())
    test_clock.advance(timedelta(minutes=3))
    await person.press("Назад")
    await person.press("Довідка про склад сім'ї")
    assert "✅ Відбій о 14:05: ЦНАП відновлює прийом о 14:15 (о 14:35" in person.text

    test_clock.advance(timedelta(minutes=30))  # half an hour after the all-clear: as usual
    await person.press("Назад")
    await person.press("Довідка про склад сім'ї")
    assert "тривога" not in person.text.split("\n\n")[0] and "Відбій" not in person.text
