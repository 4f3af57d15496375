"""The reminder tick on real databases: repeated, concurrent and late ticks, an outage,
the DST days, paused subscriptions and inactive residents, exceptions moving reminders."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.app import Svoi
from bot.core.i18n import I18n
from dialogs.waste.config import WasteSettings
from dialogs.waste.reminders import run_tick, tick
from dialogs.waste.service import add_exception
from storage import clock
from storage.db import Database
from storage.models.waste import WasteSubscription
from storage.repos.waste import WasteRepo
from tests.waste.support import kyiv, load_content, outbox, subscribe

# Centre: mixed waste on Mondays and Thursdays 07:00–12:00 (example data in the content).
MONDAY = date(2026, 12, 7)


async def test_a_repeated_tick_sends_one_reminder(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    sub = await subscribe(db, "center")
    due = kyiv(MONDAY - timedelta(days=1), 19)
    assert await tick(db, svoi.i18n, due - timedelta(seconds=1)) == 0
    assert await tick(db, svoi.i18n, due) == 1
    assert await tick(db, svoi.i18n, due) == 0
    assert await tick(db, svoi.i18n, due + timedelta(minutes=1)) == 0
    [reminder] = await outbox(db, svoi.i18n)
    zone = await zone_of(db, sub)
    assert reminder.row.dedup_key == (
        f"waste:rem:{reminder.row.resident_id}:{zone}:{MONDAY.isoformat()}:mixed"
    )
    assert reminder.row.urgent is True  # the resident chose the hour: not held by quiet hours
    assert reminder.text.startswith("🔔 Завтра, 7 грудня 2026\u202fр., вивезення")
    assert "• Змішані відходи, 07:00–12:00" in reminder.text
    assert "приклад графіка" in reminder.text
    assert reminder.buttons == [
        ("🔕 Не нагадувати", f"g:wstop:{sub}"),
        ("⚙️ Змінити", f"g:wedit:{sub}"),
    ]


async def test_a_tick_running_again_from_an_old_watermark_sends_nothing_twice(
    svoi: Svoi, db: Database
) -> None:
    """Even if the watermark were lost, the outbox key (subscription, day) holds."""
    await load_content(db)
    await subscribe(db, "center")
    due = kyiv(MONDAY - timedelta(days=1), 19)
    assert await tick(db, svoi.i18n, due) == 1
    async with db.transaction() as session:
        mark = await WasteRepo(session).lock_watermark(due)
        mark.reached_at = due - timedelta(hours=1)
    assert await tick(db, svoi.i18n, due + timedelta(minutes=5)) == 0
    assert len(await outbox(db, svoi.i18n)) == 1


async def test_two_concurrent_ticks_send_one_reminder(
    svoi: Svoi, db: Database, db_url: str
) -> None:
    await load_content(db)
    for n in range(20):
        await subscribe(db, "center", user=f"r{n}")
    due = kyiv(MONDAY - timedelta(days=1), 19)
    await tick(db, svoi.i18n, due - timedelta(minutes=30))
    # Separate engines, like two bot instances sharing the database.
    first, second = Database(db_url), Database(db_url)
    try:
        results = await asyncio.gather(
            tick(first, svoi.i18n, due), tick(second, svoi.i18n, due + timedelta(seconds=1))
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert sorted(results) == [0, 20]
    sent = await outbox(db, svoi.i18n)
    assert len(sent) == len({s.row.dedup_key for s in sent}) == 20


async def test_after_a_three_hour_outage_due_reminders_go_once_and_stale_ones_are_skipped(
    svoi: Svoi, db: Database
) -> None:
    await load_content(db)
    for hour in (18, 19, 20, 21):
        await subscribe(db, "center", hour=hour, user=f"h{hour}")
    sunday = MONDAY - timedelta(days=1)
    assert await tick(db, svoi.i18n, kyiv(sunday, 17, 30)) == 0
    # The service is down from 17:30 to 20:30: 18:00 is 2.5 h late (over the 2 h default),
    # 19:00 and 20:00 are still useful, 21:00 is not due yet.
    result = await run_tick(db, svoi.i18n, kyiv(sunday, 20, 30), WasteSettings())
    assert (result.enqueued, result.stale) == (2, 1)
    assert await tick(db, svoi.i18n, kyiv(sunday, 20, 31)) == 0
    assert await tick(db, svoi.i18n, kyiv(sunday, 21)) == 1
    sent = await outbox(db, svoi.i18n)
    assert sorted(s.row.user_id for s in sent) == ["h19", "h20", "h21"]
    assert all(s.row.dedup_key.endswith(f":{MONDAY.isoformat()}:mixed") for s in sent)
    # A stricter setting skips more; a day already over is never reminded.
    strict = WasteSettings(reminder_max_lateness_minutes=30)
    await subscribe(db, "center", hour=7, offset=0, user="morning")
    late = await run_tick(db, svoi.i18n, kyiv(MONDAY, 7, 45), strict)
    assert (late.enqueued, late.stale) == (0, 1)


async def test_first_tick_ever_looks_back_only_over_the_allowed_lateness(
    svoi: Svoi, db: Database
) -> None:
    await load_content(db)
    await subscribe(db, "center", hour=18, user="early")
    await subscribe(db, "center", hour=19, user="late")
    assert await tick(db, svoi.i18n, kyiv(MONDAY - timedelta(days=1), 20, 30)) == 1


async def test_reminders_on_dst_change_days_are_at_local_time(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    await subscribe(db, "center", hour=19)
    await subscribe(db, "center", hour=6, offset=0, user="morning")
    # Spring: Sunday 29 March 2026 19:00 EEST is 16:00 UTC (the day before was 17:00 UTC).
    spring = datetime(2026, 3, 29, 16, tzinfo=UTC)
    assert await tick(db, svoi.i18n, spring - timedelta(seconds=1)) == 0
    assert await tick(db, svoi.i18n, spring) == 1
    # Monday 30 March 06:00 EEST is 03:00 UTC.
    assert await tick(db, svoi.i18n, datetime(2026, 3, 30, 2, 59, tzinfo=UTC)) == 0
    assert await tick(db, svoi.i18n, datetime(2026, 3, 30, 3, 0, tzinfo=UTC)) == 1
    # Autumn: Sunday 25 October 2026 19:00 EET is 17:00 UTC; Monday 06:00 EET is 04:00 UTC.
    autumn = datetime(2026, 10, 25, 17, tzinfo=UTC)
    assert await tick(db, svoi.i18n, autumn - timedelta(minutes=90)) == 0
    assert await tick(db, svoi.i18n, autumn - timedelta(seconds=1)) == 0
    assert await tick(db, svoi.i18n, autumn) == 1
    assert await tick(db, svoi.i18n, datetime(2026, 10, 26, 3, 59, tzinfo=UTC)) == 0
    assert await tick(db, svoi.i18n, datetime(2026, 10, 26, 4, 0, tzinfo=UTC)) == 1
    keys = [s.row.dedup_key.split(":")[4] for s in await outbox(db, svoi.i18n)]  # the day
    assert keys == ["2026-03-30", "2026-03-30", "2026-10-26", "2026-10-26"]


async def test_paused_inactive_and_other_types_get_nothing(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    await subscribe(db, "center", paused=True, user="paused")
    await subscribe(db, "center", active=False, user="gone")
    await subscribe(db, "center", types=("glass",), user="glass-only")
    await subscribe(db, "hrechany", user="other-zone")  # mixed on Tue/Fri there
    assert await tick(db, svoi.i18n, kyiv(MONDAY - timedelta(days=1), 19)) == 0


async def test_english_resident_gets_english_reminder(db: Database) -> None:
    await load_content(db)
    i18n = I18n()
    await subscribe(db, "center", locale="en", types=("mixed", "branches"))
    # Wednesday 2 December 2026 is the first Wednesday: branches in the centre.
    assert await tick(db, i18n, kyiv(date(2026, 12, 1), 19)) == 1
    [reminder] = await outbox(db, i18n)
    assert reminder.text.startswith("🔔 Tomorrow, 2 December 2026, collection at address of r1:")
    assert "• Branches (garden waste)" in reminder.text
    assert reminder.buttons[0] == ("🔕 Stop reminders", reminder.row.buttons[0][0]["payload"])


async def test_a_moved_day_moves_the_reminder_and_notifies(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    await subscribe(db, "center")
    now = kyiv(MONDAY - timedelta(days=3), 12)
    async with db.transaction() as session:
        zone = await WasteRepo(session).zone_by_code("center")
        assert zone is not None
        _exc, notices = await add_exception(
            session,
            svoi.i18n,
            zone=zone,
            waste_type="mixed",
            original=MONDAY,
            moved_to=MONDAY + timedelta(days=1),
            reason_uk="Свято",
            now=now,
        )
    assert notices == 1
    assert await tick(db, svoi.i18n, kyiv(MONDAY - timedelta(days=1), 19)) == 0
    assert await tick(db, svoi.i18n, kyiv(MONDAY, 19)) == 1
    sent = await outbox(db, svoi.i18n)
    assert [s.row.kind for s in sent] == ["waste_change", "waste_reminder"]
    assert sent[0].text.startswith("⚠️ Зміна графіка: address of r1")
    assert "Вивезення перенесено: Змішані відходи" in sent[0].text
    assert "Причина: Свято" in sent[0].text
    assert sent[1].row.dedup_key.endswith(f":{(MONDAY + timedelta(days=1)).isoformat()}:mixed")
    # The same change again notifies nobody twice; a cancellation is a new notice.
    async with db.transaction() as session:
        zone = await WasteRepo(session).zone_by_code("center")
        assert zone is not None
        _exc, again = await add_exception(
            session,
            svoi.i18n,
            zone=zone,
            waste_type="mixed",
            original=MONDAY,
            moved_to=MONDAY + timedelta(days=1),
            reason_uk="Свято",
            now=now,
        )
        _exc, cancel = await add_exception(
            session,
            svoi.i18n,
            zone=zone,
            waste_type="mixed",
            original=MONDAY,
            moved_to=None,
            reason_uk="Свято",
            now=now,
        )
    assert (again, cancel) == (0, 1)


async def test_a_resident_who_muted_waste_gets_no_reminder(svoi: Svoi, db: Database) -> None:
    from storage.models.delivery import DeliveryMute
    from storage.models.waste import WasteSubscription

    await load_content(db)
    await subscribe(db, "center", user="muted")
    await subscribe(db, "center", user="listening")
    async with db.transaction() as session:
        sub = await session.get(WasteSubscription, 1)
        assert sub is not None
        session.add(
            DeliveryMute(resident_id=sub.resident_id, category="waste", created_at=clock.now())
        )
    assert await tick(db, svoi.i18n, kyiv(MONDAY - timedelta(days=1), 19)) == 1
    [sent] = await outbox(db, svoi.i18n)
    assert sent.row.user_id == "listening"


async def zone_of(db: Database, subscription_id: int) -> int:
    async with db.transaction() as session:
        sub = await session.get(WasteSubscription, subscription_id)
        assert sub is not None
        return sub.zone_id
