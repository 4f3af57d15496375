"""The two other digest categories: the working group's broadcasts («news») and changes of
waste collection days («waste»). A resident who chose a daily news digest gets a broadcast
that is not urgent in the evening's digest (with its link in words), not at once; the
broadcast counts them as people who get it, and an urgent broadcast never waits. A change of
a collection day more than a week away waits for a resident's waste digest; a change within
the week comes at once."""

from __future__ import annotations

from datetime import date, timedelta

from bot.app import Svoi
from bot.core.actions import Actor
from bot.delivery import broadcasts
from bot.delivery.broadcasts import EVERYONE, Audience
from dialogs.broadcast import service as broadcast
from dialogs.waste import schedule
from dialogs.waste.service import change_collection
from storage import clock
from storage.db import Database
from storage.models.delivery import DeliveryBroadcast
from tests.conftest import OPERATOR
from tests.digests.conftest import choose_digest, city, collected, outbox, run_job_at
from tests.plan.conftest import CHANNELS
from tests.support.conversation import Resident
from tests.waste.support import load_content, next_days

WORKING_GROUP = Actor(f"{OPERATOR[0]}:{OPERATOR[1]}", "operator")
ZONE = "pivdenno-zakhidnyi"


async def _broadcast(svoi: Svoi, channel: str, text: str, *, urgent: bool) -> broadcast.Sent:
    async with svoi.db.transaction() as session:
        return await broadcast.send(
            session,
            broadcast.draft(
                text, Audience(EVERYONE), "Деталі | https://khm.gov.ua/news", urgent=urgent
            ),
            actor=WORKING_GROUP,
            channels=[channel],
            when=None,
            now=clock.now(),
        )


async def test_a_broadcast_waits_for_the_news_digest_of_those_who_chose_one(
    svoi: Svoi, db: Database, test_clock: clock.SetClock, on_channel: Resident
) -> None:
    test_clock.set(city(17, 10, 0))
    reader = on_channel  # Telegram's or Viber's capabilities
    await reader.onboard("uk")
    await choose_digest(reader, "Розсилки міської ради", "щодня о 18:00")
    assert "✅ Збережено. Розсилки міської ради: щодня о 18:00." in reader.text
    channel = reader.channel
    bystander = Resident.on(svoi.engine, channel=channel, caps=CHANNELS[channel])
    await bystander.onboard("uk")

    text = "Завтра з 9:00 не буде води на вул. Соборній."
    sent = await _broadcast(svoi, channel, text, urgent=False)
    assert sent.queued == 2  # people: one now, one in the digest
    [now] = await outbox(db, kind="broadcast")
    assert now.user_id == bystander.user_id
    [item] = await collected(db)
    assert item.category == "news" and item.kind == "broadcast"
    assert item.text == (
        "Завтра з 9:00 не буде води на вул. Соборній.\nДеталі: https://khm.gov.ua/news"
    )
    async with db.transaction() as session:
        row = await session.get(DeliveryBroadcast, sent.broadcast.id)
        assert row is not None and (row.recipients, row.digested) == (1, 1)

    await run_job_at(svoi, test_clock, city(17, 18, 0))
    [digest] = await outbox(db, kind="digest")
    assert digest.user_id == reader.user_id and digest.text is not None
    assert digest.text.startswith("📰 Ваш дайджест: 1 нове повідомлення")
    assert "не буде води на вул. Соборній" in digest.text
    assert "https://khm.gov.ua/news" in digest.text
    assert await collected(db) == []

    # An urgent broadcast goes to everyone at once, digest or not.
    urgent = await _broadcast(svoi, channel, "Повітряна тривога: пройдіть в укриття.", urgent=True)
    assert urgent.queued == 2
    at_once = [r.user_id for r in await outbox(db, kind="broadcast") if r.urgent]
    assert sorted(at_once) == sorted([reader.user_id, bystander.user_id])
    assert await collected(db) == []


async def _subscribe(resident: Resident) -> None:
    await resident.press("♻️")
    await resident.send("вул. Трудова, 5")
    await resident.press("Нагадувати мені")
    await resident.press("Далі")
    await resident.press("Напередодні о 19:00")
    assert "Готово!" in resident.text


async def _move(svoi: Svoi, day: date) -> int:
    async with svoi.db.transaction() as session:
        return await change_collection(
            session,
            svoi.i18n,
            zone_code=ZONE,
            waste_type="mixed",
            original=day,
            moved_to=day + timedelta(days=1),
            reason_uk="Ремонт сміттєвоза",
            reason_en="The truck is under repair",
            actor=WORKING_GROUP,
            now=clock.now(),
        )


async def test_a_far_change_of_a_collection_day_waits_for_the_waste_digest_a_near_one_not(
    svoi: Svoi, db: Database, test_clock: clock.SetClock, on_channel: Resident
) -> None:
    await load_content(db)
    test_clock.set(city(17, 10, 0))
    resident = on_channel
    await resident.onboard("uk")
    await _subscribe(resident)
    await choose_digest(resident, "Зміни днів вивезення відходів", "щодня о 18:00")
    today = schedule.local_today(clock.now())

    far = (await next_days(db, ZONE, "mixed", today + timedelta(days=10)))[0]
    assert await _move(svoi, far) == 1
    assert await outbox(db, kind="waste_change") == []
    [item] = await collected(db)
    assert item.category == "waste" and item.template_key == "waste-change-moved"

    near = (await next_days(db, ZONE, "mixed", today + timedelta(days=2)))[0]
    assert (near - today).days <= 7
    assert await _move(svoi, near) == 1
    [at_once] = await outbox(db, kind="waste_change")
    assert at_once.urgent and at_once.user_id == resident.user_id

    await run_job_at(svoi, test_clock, city(17, 18, 0))
    [digest] = await outbox(db, kind="digest")
    assert digest.text is not None and "Ремонт сміттєвоза" in digest.text
    assert "вул. Трудова, 5" in digest.text


async def test_a_cancelled_broadcast_leaves_nothing_in_the_news_digests(
    svoi: Svoi, db: Database, test_clock: clock.SetClock, on_channel: Resident
) -> None:
    test_clock.set(city(17, 10, 0))
    reader = on_channel
    await reader.onboard("uk")
    await choose_digest(reader, "Розсилки міської ради", "щопонеділка о 09:00")
    sent = await _broadcast(svoi, reader.channel, "Концерт на Майдані_100% скасовано", urgent=False)
    assert [i.text for i in await collected(db)] == [
        "Концерт на Майдані_100% скасовано\nДеталі: https://khm.gov.ua/news"
    ]
    async with db.transaction() as session:
        assert await broadcasts.cancel(session, sent.broadcast.id) is True
    assert await collected(db) == []

    await run_job_at(svoi, test_clock, city(22, 9, 0))  # the next Monday's digest
    assert await outbox(db, kind="digest") == []
