"""Digests: a resident chooses in Settings to get the action plan's updates once a day or
once a week; the updates wait for the digest job, which sends ONE message with all of them
at the chosen hour, nothing when there is nothing new, never twice for the same period;
urgent notices never wait."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Svoi
from bot.delivery.outbox import Notification, enqueue
from dialogs.digests.service import split
from storage import clock
from storage.db import Database
from tests.digests.conftest import (
    choose_digest,
    city,
    collected,
    outbox,
    preferences,
    publish,
    run_job_at,
)
from tests.support.conversation import Resident


async def _follow(resident: Resident, code: str) -> None:
    await resident.send(f"/start {code}")
    await resident.press("Follow progress")


async def test_a_resident_chooses_a_daily_digest_in_settings(
    on_channel: Resident, db: Database
) -> None:
    resident = on_channel
    await resident.onboard("en")
    await resident.send("/settings")
    await resident.press("Notification digests")
    assert "How should we send notifications?" in resident.text
    assert "• Action plan updates: as it happens" in resident.text
    assert "• Answers to your comments and questions: as it happens" in resident.text
    await resident.press("Action plan updates")
    assert "Action plan updates: when should we send them?" in resident.text
    assert resident.labels[:6] == [
        "as it happens",
        "daily at 08:00",
        "daily at 12:00",
        "daily at 18:00",
        "daily at 20:00",
        "every Monday at 09:00",
    ]
    await resident.press("daily at 18:00")
    assert "✅ Saved. Action plan updates: daily at 18:00." in resident.text
    assert "• Action plan updates: daily at 18:00" in resident.text  # back on the list
    [chosen] = await preferences(db)
    assert (chosen.category, chosen.mode, chosen.hour) == ("plan", "daily", 18)

    await resident.press("Action plan updates")
    await resident.press("as it happens")
    assert "✅ Saved. Action plan updates: as it happens." in resident.text
    assert await preferences(db) == []


async def test_the_settings_screen_speaks_ukrainian(on_channel: Resident) -> None:
    await on_channel.onboard("uk")
    await on_channel.send("/settings")
    await on_channel.press("Дайджести сповіщень")
    assert "• Оновлення плану дій: одразу" in on_channel.text
    await on_channel.press("Оновлення плану дій")
    await on_channel.press("щопонеділка о 09:00")
    assert "✅ Збережено. Оновлення плану дій: щопонеділка о 09:00." in on_channel.text


async def test_a_daily_digest_brings_every_update_in_one_message_at_the_chosen_hour(
    svoi: Svoi,
    plan: None,
    db: Database,
    operator: Resident,
    test_clock: clock.SetClock,
) -> None:
    follower = Resident.on(svoi.engine)
    await follower.onboard("en")
    await _follow(follower, "c3")
    await choose_digest(follower, "Action plan updates", "daily at 18:00")
    other = Resident.on(svoi.engine)  # follows too, but as it happens
    await other.onboard("en")
    await _follow(other, "c3")

    await operator.onboard("en")
    await publish(operator, "c3", "40", "Перші хаби відкрито в Ружичній.")
    await publish(operator, "c3", "60", "Курси для старших людей почалися.")

    # The bystander gets each update at once; the follower's wait for the digest.
    assert [r.user_id for r in await outbox(db, kind="plan-update")] == [other.user_id] * 2
    assert len(await collected(db)) == 2

    await run_job_at(svoi, test_clock, city(17, 17, 45))  # before the hour: nothing yet
    assert await outbox(db, kind="digest") == []

    await run_job_at(svoi, test_clock, city(17, 18, 0))
    [digest] = await outbox(db, kind="digest")
    assert digest.user_id == follower.user_id and digest.category == "digest"
    assert not digest.urgent
    assert digest.dedup_key == f"digest:{digest.resident_id}:2026-06-17T18:1"
    assert digest.text is not None
    assert digest.text.startswith("📰 Your digest: 2 new messages")
    assert "Перші хаби відкрито в Ружичній." in digest.text
    assert "Курси для старших людей почалися." in digest.text
    assert digest.text.index("Перші хаби") < digest.text.index("Курси")
    assert await collected(db) == []

    # A repeated or late run in the same period sends nothing more.
    await run_job_at(svoi, test_clock, city(17, 18, 15))
    await run_job_at(svoi, test_clock, city(17, 23, 0))
    assert len(await outbox(db, kind="digest")) == 1

    # Nothing new by the next evening: no message.
    await run_job_at(svoi, test_clock, city(18, 18, 0))
    assert len(await outbox(db, kind="digest")) == 1

    # An update after today's digest waits for tomorrow's.
    test_clock.set(city(18, 19, 0))
    await publish(operator, "c3", "70", "Ще два хаби.")
    await run_job_at(svoi, test_clock, city(18, 20, 0))
    assert len(await outbox(db, kind="digest")) == 1
    await run_job_at(svoi, test_clock, city(19, 18, 0))
    digests = await outbox(db, kind="digest")
    assert len(digests) == 2 and digests[1].text is not None
    assert "📰 Your digest: 1 new message" in digests[1].text and "Ще два хаби." in digests[1].text


async def _resident_id(db: Database) -> int:
    """The resident who just chose a digest (the only one with a choice)."""
    [chosen] = await preferences(db)
    return chosen.resident_id


def _notice(resident_id: int, resident: Resident, key: str, **fields: object) -> Notification:
    return Notification(
        resident_id=resident_id,
        channel=resident.channel,
        user_id=resident.user_id,
        kind="plan-answer",
        dedup_key=key,
        text=f"Відповідь {key}",
        category="plan-answers",
        **fields,  # type: ignore[arg-type]
    )


async def test_urgent_notices_bypass_the_digest_and_items_are_collected_once(
    svoi: Svoi, plan: None, db: Database
) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await choose_digest(resident, "Answers to your comments", "daily at 08:00")
    resident_id = await _resident_id(db)

    async with db.transaction() as session:
        assert await enqueue(session, [_notice(resident_id, resident, "a:1")]) == 1
        assert await enqueue(session, [_notice(resident_id, resident, "a:1")]) == 0  # dedup
        urgent = _notice(resident_id, resident, "a:2", urgent=True)
        assert await enqueue(session, [urgent]) == 1
    assert [i.dedup_key for i in await collected(db)] == ["a:1"]
    assert [r.dedup_key for r in await outbox(db, kind="plan-answer")] == ["a:2"]


async def test_a_weekly_digest_comes_on_monday_morning(
    svoi: Svoi, plan: None, db: Database, test_clock: clock.SetClock
) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("uk")
    await choose_digest(resident, "Відповіді на ваші відгуки", "щопонеділка о 09:00")
    resident_id = await _resident_id(db)
    async with db.transaction() as session:
        await enqueue(session, [_notice(resident_id, resident, "w:1")])
    test_clock.set(city(18, 10, 0))
    async with db.transaction() as session:
        await enqueue(session, [_notice(resident_id, resident, "w:2")])

    await run_job_at(svoi, test_clock, city(21, 23, 45))  # Sunday night: not yet
    assert await outbox(db, kind="digest") == []
    await run_job_at(svoi, test_clock, city(22, 9, 15))  # Monday, a late run
    [digest] = await outbox(db, kind="digest")
    assert digest.text is not None
    assert digest.text.startswith("📰 Ваш дайджест: 2 нові повідомлення")
    assert "Відповідь w:1" in digest.text and "Відповідь w:2" in digest.text
    assert digest.dedup_key.endswith(":2026-06-22T09:1")
    await run_job_at(svoi, test_clock, city(24, 9, 0))  # the same week: nothing again
    assert len(await outbox(db, kind="digest")) == 1


async def test_back_to_as_it_happens_sends_what_was_collected_at_once(
    svoi: Svoi, plan: None, db: Database, test_clock: clock.SetClock
) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await choose_digest(resident, "Answers to your comments", "daily at 20:00")
    resident_id = await _resident_id(db)
    async with db.transaction() as session:
        await enqueue(session, [_notice(resident_id, resident, "b:1")])
    test_clock.advance(timedelta(minutes=5))
    await resident.press("Answers to your comments")
    await resident.press("as it happens")
    [digest] = await outbox(db, kind="digest")
    assert digest.text is not None and "Відповідь b:1" in digest.text
    assert await collected(db) == []


def test_a_long_digest_is_split_between_items_within_the_limit() -> None:
    items = [f"{n:03d} " + "слово " * 60 for n in range(40)]
    messages = split("📰 Title", items, 4096)
    assert len(messages) > 1 and all(len(m) <= 4096 for m in messages)
    joined = "\n\n".join(messages)
    assert all(item in joined for item in items)  # never cut in the middle
    assert messages[0].startswith("📰 Title")
    assert split("📰 Title", ["a", "b"], 4096) == ["📰 Title\n\na\n\nb"]
