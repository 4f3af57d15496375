"""Conversations on Telegram-like and Viber-like channels: a resident finds the schedule by
address, subscribes, gets a reminder through the outbox, stops it from the reminder's
button, gets a change notice, and exports a calendar."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import aiohttp
import pytest
from aiohttp import web
from icalendar import Calendar
from sqlalchemy import select

from bot.app import Svoi
from bot.core.capabilities import TELEGRAM, VIBER, ChannelCapabilities
from bot.core.messages import LinkButton
from dialogs.waste import add_routes, schedule
from dialogs.waste.reminders import tick
from dialogs.waste.service import ZoneSchedules
from storage import clock
from storage.db import Database
from storage.models.waste import WasteSubscription
from storage.repos.waste import WasteRepo
from tests.conftest import OPERATOR
from tests.support.conversation import Resident
from tests.waste.support import kyiv, load_content, next_days, outbox, zone_id_of

CHANNELS = [("telegram", TELEGRAM), ("viber", VIBER)]


@pytest.fixture(params=CHANNELS, ids=[c[0] for c in CHANNELS])
def channel(request: pytest.FixtureRequest) -> tuple[str, ChannelCapabilities]:
    return request.param  # type: ignore[no-any-return]


async def _open_waste(person: Resident, locale: str = "uk") -> None:
    await person.onboard(locale)
    await person.press("♻️")


async def test_find_schedule_subscribe_remind_stop_and_change_notice(
    svoi: Svoi, db: Database, channel: tuple[str, ChannelCapabilities]
) -> None:
    await load_content(db)
    name, caps = channel
    person = Resident.on(svoi.engine, channel=name, caps=caps)
    await _open_waste(person)
    assert "Напишіть вулицю й номер будинку" in person.text

    await person.send("вул. Трудова, 5")
    assert "📍 вул. Трудова, 5 — Південно-Західний, вул. Трудова\n" in person.text  # a real street
    assert re.search(
        r"• Гілля — (сьогодні|завтра|через \d+ д\w+), \d+ \w+ \d{4}\s?р\.", person.text
    )
    assert "Змішані відходи" in person.text and "(приклад)" in person.text
    assert "ще не справжній графік" in person.text

    await person.press("Нагадувати мені")
    assert "✅ Змішані відходи" in person.labels and "✅ Гілля" in person.labels
    await person.press("Гілля")  # untick branches and glass
    await person.press("Скло")
    assert "⬜ Гілля" in person.labels and "⬜ Скло" in person.labels
    await person.press("Далі")
    await person.press("Напередодні о 19:00")
    assert "Готово! Ми нагадуватимемо про вивезення:\nНапередодні о 19:00." in person.text

    async with db.transaction() as session:
        sub = (await session.execute(select(WasteSubscription))).scalar_one()
        assert sub.types == ["mixed"] and (sub.remind_offset, sub.remind_hour) == (-1, 19)

    # The evening before the next mixed-waste day, the tick puts a reminder in the outbox.
    today = schedule.local_today(clock.now())
    first = (await next_days(db, "pivdenno-zakhidnyi", "mixed", today + timedelta(days=2)))[0]
    evening = kyiv(first - timedelta(days=1), 19)
    assert await tick(db, svoi.i18n, evening - timedelta(minutes=1)) == 0
    assert await tick(db, svoi.i18n, evening) == 1
    [reminder] = await outbox(db, svoi.i18n, "waste_reminder")
    assert reminder.row.channel == name and reminder.row.user_id == person.user_id
    assert reminder.text.startswith(f"🔔 Завтра, {svoi.i18n.date('uk', first)}")
    assert "вул. Трудова, 5" in reminder.text and "• Змішані відходи, 07:00–12:00" in reminder.text
    assert [label for label, _ in reminder.buttons] == ["🔕 Не нагадувати", "⚙️ Змінити"]

    # "Stop" on the reminder pauses the subscription; no reminder next time.
    stop_payload = reminder.buttons[0][1]
    await person.press_payload(stop_payload)
    assert "Нагадування для цієї адреси вимкнено" in person.text
    assert "▶️ Відновити" in person.labels
    second = (await next_days(db, "pivdenno-zakhidnyi", "mixed", first + timedelta(days=1)))[0]
    assert await tick(db, svoi.i18n, kyiv(second - timedelta(days=1), 19, 30)) == 0
    await person.press("Відновити")
    assert "знову увімкнено" in person.text

    # A forged stop payload for someone else's subscription does nothing.
    intruder = Resident.on(svoi.engine, channel=name, caps=caps)
    await intruder.onboard()
    await intruder.press_payload(stop_payload)
    assert "Цього нагадування вже немає" in intruder.text
    async with db.transaction() as session:
        assert (await session.execute(select(WasteSubscription))).scalar_one().paused is False

    # An operator moves the next-but-one collection in the chat: the resident gets a notice.
    operator = Resident.on(svoi.engine, user_id=OPERATOR[1])
    await _open_waste(operator)
    await operator.press("Змінити графік")
    await operator.press("Південно-Західний")
    await operator.press("Змішані відходи")
    later = (await next_days(db, "pivdenno-zakhidnyi", "mixed", second + timedelta(days=1)))[0]
    await operator.send(later.strftime("%d.%m.%Y"))
    await operator.press("Перенести")
    await operator.send((later + timedelta(days=1)).strftime("%d.%m.%Y"))
    await operator.send("Ремонт сміттєвоза")
    assert "Причина: Ремонт сміттєвоза" in operator.text
    await operator.press("Підтвердити")
    assert "Надіслано 1 сповіщення" in operator.text
    [notice] = await outbox(db, svoi.i18n, "waste_change")
    assert notice.row.user_id == person.user_id
    assert notice.text == (
        "⚠️ Зміна графіка: вул. Трудова, 5\n"
        f"Вивезення перенесено: Змішані відходи, не {svoi.i18n.date('uk', later)}, "
        f"а {svoi.i18n.date('uk', later + timedelta(days=1))}\n"
        "Причина: Ремонт сміттєвоза"
    )
    # Reminders follow the new date: none the evening before the old day, one before the new.
    before_old = kyiv(later - timedelta(days=1), 19)
    assert await tick(db, svoi.i18n, before_old) == 0
    assert await tick(db, svoi.i18n, kyiv(later, 19)) == 1
    reminders = await outbox(db, svoi.i18n, "waste_reminder")
    assert f":{(later + timedelta(days=1)).isoformat()}:" in reminders[-1].row.dedup_key
    assert "(перенесено з" in reminders[-1].text


async def test_calendar_document_or_link_shows_the_bot_dates(
    svoi: Svoi, db: Database, channel: tuple[str, ChannelCapabilities]
) -> None:
    await load_content(db)
    name, caps = channel
    person = Resident.on(svoi.engine, channel=name, caps=caps, language="en")
    await _open_waste(person, "en")
    await person.send("Symona Petliury 8")
    assert "Dubove (even side of Symona Petliury St)" in person.text
    await person.press("Remind me")
    await person.press("Next")
    await person.press("On the day at 07:00")
    await person.press("Calendar")
    if caps.documents:
        document = next(r.document for r in person.last if r.document is not None)
        assert document.filename.endswith(".ics") and document.mime_type == "text/calendar"
        body = document.content
    else:
        link = next(
            b for r in person.last for row in r.buttons for b in row if isinstance(b, LinkButton)
        )
        app = web.Application()
        add_routes(app, svoi)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        path = link.url.split("://", 1)[1].split("/", 1)[1]
        try:
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/{path}") as response:
                    assert response.status == 200
                    assert response.content_type == "text/calendar"
                    body = await response.read()
                forged = "/waste/calendar/" + "A" * 43 + ".ics"
                async with http.get(f"http://127.0.0.1:{port}{forged}") as response:
                    assert response.status == 404
        finally:
            await runner.cleanup()
    cal = Calendar.from_ical(body)
    events = list(cal.walk("VEVENT"))
    today = schedule.local_today(clock.now())
    zone_id = await zone_id_of(db, "dubove-even")
    async with db.transaction() as session:
        schedules = await ZoneSchedules.load(WasteRepo(session), zone_id)
    expected = schedules.collections(zone_id, today, today + timedelta(days=31 * 12))
    got = sorted((_day(e.decoded("dtstart")), str(e["summary"]).split(": ", 1)[1]) for e in events)
    assert len(events) == len(expected) > 60
    names = {"mixed": "Mixed waste (example)", "branches": "Branches (garden waste)"}
    assert got == sorted((c.day, names[c.waste_type]) for c in expected)
    # The alarm is at 07:00 local on the day, whatever the DST offset.
    for event in events:
        start = event.decoded("dtstart")
        [alarm] = list(event.walk("VALARM"))
        if isinstance(start, datetime):
            due = (start + alarm.decoded("trigger")).astimezone(clock.CITY_ZONE)
        else:  # an all-day event starts at local midnight
            due = datetime.combine(start, datetime.min.time()) + alarm.decoded("trigger")
        assert (due.date(), due.hour, due.minute) == (_day(start), 7, 0)
    # The bot's schedule screen shows the first of those dates.
    first = min(c.day for c in expected if c.waste_type == "mixed")
    await person.send("/waste")
    await person.send("Symona Petliury 8")
    assert svoi.i18n.date("en", first) in person.text


def _day(value: date | datetime) -> date:
    return value.astimezone(clock.CITY_ZONE).date() if isinstance(value, datetime) else value


async def test_ambiguous_street_house_needed_location_and_dropoff(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    await person.send("Зарічан 5")
    assert "кілька схожих вулиць" in person.text
    assert sorted(person.labels)[:2] == ["вул. Зарічанська", "пров. Зарічанський"]
    await person.press("пров. Зарічанський")
    assert "📍 пров. Зарічанський, 5 — Заріччя" in person.text

    await person.press("Інша адреса")
    await person.send("Петлюри")
    assert "Вулиця: вул. Симона Петлюри. Напишіть номер будинку" in person.text
    await person.send("дванадцять")
    assert "не схоже на номер будинку" in person.text
    await person.send("13")
    assert "Дубове (непарний бік вул. С. Петлюри)" in person.text

    await person.press("Інша адреса")
    await person.send("Хрещатик 22")
    assert "Не знайшли такої адреси" in person.text
    await person.send("Кам'янецька 400")
    assert "Будинку 400 немає" in person.text

    await person.press("Меню")
    await person.press("♻️")
    await person.share_location(49.4400, 26.9951)
    assert "📍 Ваша геолокація — Заріччя" in person.text
    await person.press("Інша адреса")
    await person.share_location(49.4110, 27.0300)  # both Dubove zones share a centre
    assert "на межі зон вивезення" in person.text
    await person.press("Дубове (парний")
    assert "Дубове (парний бік" in person.text
    await person.share_location(50.45, 30.52)  # Kyiv
    assert "далеко від Хмельницького" in person.text

    await person.press("Куди здати інші відходи")
    assert "просп. Миру, 7" in person.text and "щодня 08:00–19:00" in person.text
    assert "вул. Князя Святослава Хороброго, 1, тел. 067-314-06-07" in person.text
    assert "меблі" in person.text and "змішані відходи" in person.text


async def test_subscriptions_list_change_pause_remove(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    for address in ("Трудова 5", "Соборна 16"):
        await person.send(address)
        await person.press("Нагадувати мені")
        await person.press("Далі")
        await person.press("Напередодні о 20:00")
        await person.send("/waste")
    await person.press("Мої нагадування (2)")
    assert "Ваші нагадування (2 адреси)" in person.text
    assert "1. вул. Трудова, 5" in person.text and "2. вул. Соборна, 16" in person.text
    await person.press("вул. Соборна")
    await person.press("Змінити час")
    await person.press("У день вивезення о 06:00")
    assert "Збережено." in person.text and "У день вивезення о 06:00" in person.text
    await person.press("Змінити види")
    await person.press("Скло")
    await person.press("Далі")
    assert "Скло" not in person.text.split("\n\n")[1].split("\n")[0]
    await person.press("Призупинити")
    assert "⏸ призупинено" in person.text
    await person.press("Видалити")
    await person.press("Так")
    assert "Нагадування видалено." in person.text
    assert "Ваші нагадування (1 адреса)" in person.text


async def test_operator_screens_are_for_operators_only(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    assert not any("Змінити графік" in label for label in person.labels)
    await person.press_payload("ops")  # not offered to a resident: refused by the engine
    assert "Це меню вже застаріло" in person.text


async def test_old_name_unscheduled_street_and_sentence_with_a_flat(
    svoi: Svoi, db: Database
) -> None:
    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    # An old name: the schedule of the current street, and the answer names it.
    await person.send("вул. Гагаріна, 3")
    assert "«вул. Гагаріна» — стара назва. Тепер це вул. Героїв Маріуполя." in person.text
    assert "📍 вул. Героїв Маріуполя, 3 — Центр" in person.text

    # A real street whose schedule is not loaded: known, with the city contact.
    await person.press("Інша адреса")
    await person.send("Інститутська 11")
    assert "📍 вул. Інститутська, 11: ця вулиця є в переліку вулиць міста" in person.text
    assert "вул. Князя Святослава Хороброго, 1, тел. 067-314-06-07" in person.text
    assert "Не знайшли" not in person.text
    # An old name of such a street says both.
    await person.send("Маршала Гречка 15")
    assert "«вул. Маршала Гречка» — стара назва. Тепер це вул. Миколи Міхновського." in person.text
    assert "графік вивезення ще не оприлюднено" in person.text

    # A whole sentence with a flat number, in Russian.
    await person.send("я живу на улице Трудовой 5, кв. 12")
    assert "📍 вул. Трудова, 5 — Південно-Західний, вул. Трудова" in person.text

    # And in English: the old name and the street in the resident's language.
    other = Resident.on(svoi.engine)
    await _open_waste(other, "en")
    await other.send("my address is Kuprina 21, apt 4")
    assert "“Kuprina Street” is the old name. It is now Symona Petliury Street." in other.text
    assert "Symona Petliury Street, 21" in other.text

    # A street of the same name in another town is not ours.
    await person.send("Вишнева 9, Київ")
    assert "Схоже, це адреса в іншому населеному пункті" in person.text
    await person.send("г. Винница, ул. Пушкина 2")
    assert "лише для Хмельницького" in person.text


async def test_street_index_is_built_once_and_rebuilt_after_an_import(
    svoi: Svoi, db: Database
) -> None:
    from dialogs.waste import content, flow

    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    await person.send("Трудова 5")
    async with db.transaction() as session:
        first = await flow.street_index(session)
        assert await flow.street_index(session) is first
    trudova = "{name_uk: Трудова, name_en: Trudova Street}"
    added = "\n      - {name_uk: Нова Садиба, name_en: Nova Sadyba Street}"
    text = content.DEFAULT_CONTENT.read_text(encoding="utf-8")
    doc = content.parse_yaml(text.replace(trudova, trudova + added), "waste.yaml")
    async with db.transaction() as session:
        await content.apply(session, doc)
    async with db.transaction() as session:
        assert await flow.street_index(session) is not first
    await person.press("Інша адреса")
    await person.send("Нова Садиба 3")
    assert "📍 вул. Нова Садиба, 3 — Південно-Західний" in person.text


async def test_subscribing_to_the_same_house_again_opens_the_subscription(
    svoi: Svoi, db: Database
) -> None:
    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    await person.send("Трудова 5")
    await person.press("Нагадувати мені")
    await person.press("Далі")
    await person.press("Напередодні о 20:00")
    await person.send("/waste")
    await person.send("вулиця трудова, буд. 5")  # the same house, other words
    await person.press("Нагадувати мені")
    assert "Адреса «вул. Трудова, 5» вже є у ваших підписках" in person.text
    assert "Змінити час" in person.labels  # the existing subscription, ready to edit
    async with db.transaction() as session:
        rows = (await session.execute(select(WasteSubscription))).scalars().all()
    assert [(r.address, r.remind_hour) for r in rows] == [("вул. Трудова, 5", 20)]


async def test_two_rows_for_one_house_still_remind_once(svoi: Svoi, db: Database) -> None:
    """Even with two subscriptions that say the same (rows from before the constraint, two
    houses of one zone), the resident gets one reminder per collection day."""
    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    for address in ("Трудова 5", "Трудова 7"):
        await person.send(address)
        await person.press("Нагадувати мені")
        await person.press("Далі")
        await person.press("Напередодні о 19:00")
        await person.send("/waste")
    today = schedule.local_today(clock.now())
    first = (await next_days(db, "pivdenno-zakhidnyi", "mixed", today + timedelta(days=2)))[0]
    due = kyiv(first - timedelta(days=1), 19)
    assert await tick(db, svoi.i18n, due - timedelta(minutes=1)) == 0
    assert await tick(db, svoi.i18n, due) == 1
    reminders = await outbox(db, svoi.i18n)
    assert len(reminders) == 1 and reminders[0].row.user_id == person.user_id


async def test_an_example_street_to_district_assignment_is_labelled(
    svoi: Svoi, db: Database
) -> None:
    await load_content(db)
    person = Resident.on(svoi.engine)
    await _open_waste(person)
    await person.send("Соборна 16")  # its district is example data in the shipped content
    header = person.text.split("\n", 1)[0]
    assert header.startswith("📍 вул. Соборна, 16 — ") and header.endswith("(приклад)")
