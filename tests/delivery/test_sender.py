"""The sender against a fake platform over HTTP: languages, buttons, and every answer a
platform gives (429, 403, a timeout after sending, 5xx, a rejected token), quiet hours,
mutes, stopping, and the rate limits measured on the server's arrival times."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest

from bot.app import Svoi
from bot.delivery.outbox import OutboxButton
from bot.delivery.sender import HALTED
from bot.delivery.service import DeliveryService
from storage import clock
from storage.repos.residents import ResidentRepo
from tests.delivery.conftest import add_residents, eventually, note, put, rows, settled
from tests.delivery.fake_platform import FakePlatform, max_in_window, min_gap_per_chat

Start = Callable[..., Awaitable[DeliveryService]]


async def test_each_resident_gets_the_message_in_their_language_with_localized_buttons(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    [uk] = await add_residents(wired, 1, locale="uk", prefix="uk")
    [en] = await add_residents(wired, 1, locale="en", prefix="en")
    menu = ((OutboxButton("btn-menu", "g:menu"),),)
    await put(
        wired,
        [
            note(r, "hello", template_key="welcome-back", buttons=menu, category="waste")
            for r in (uk, en)
        ],
    )
    await start_delivery()
    await eventually(lambda: settled(wired))

    [to_uk] = platform.delivered_to("uk0")
    [to_en] = platform.delivered_to("en0")
    assert to_en.text == "Welcome back to Svoi!"
    assert to_uk.text != to_en.text and "Свої" in to_uk.text
    assert to_en.buttons == [
        [{"text": "🏠 Menu", "callback_data": "g:menu"}],
        [{"text": "🔕 Stop these messages", "callback_data": "g:mute:waste"}],
    ]
    assert to_uk.buttons[1][0]["callback_data"] == "g:mute:waste"
    outbox = await rows(wired)
    assert [r.status for r in outbox] == ["sent", "sent"]
    assert {r.platform_message_id for r in outbox} == {"1", "2"}
    assert all(r.attempts == 1 and r.sent_at is not None for r in outbox)


async def test_429_pauses_the_token_for_retry_after_and_loses_nothing(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    platform.retry_after = 1.0
    platform.script["r0"] = ["429"]
    residents = await add_residents(wired, 5)
    await put(wired, [note(r, "news") for r in residents])
    await start_delivery(concurrency=1)
    await eventually(lambda: settled(wired))

    assert sorted(platform.counts().items()) == [(f"r{i}", 1) for i in range(5)]
    first, *later = platform.requests
    assert first[1:] == ("r0", 429)
    assert later[0][0] - first[0] >= 1.0  # nothing at all went out during the pause
    outbox = await rows(wired)
    assert [r.status for r in outbox] == ["sent"] * 5
    assert outbox[0].attempts == 1  # the 429 did not count as an attempt


async def test_403_marks_the_resident_inactive_after_one_attempt(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    [gone, stays] = await add_residents(wired, 2)
    platform.blocked.add(gone.user_id)
    await put(wired, [note(gone, "first"), note(stays, "first")])
    await start_delivery()
    await eventually(lambda: settled(wired))

    assert len(platform.requests_to(gone.user_id)) == 1
    [skipped, sent] = await rows(wired)
    assert (skipped.status, skipped.attempts) == ("skipped", 1)
    assert skipped.error is not None and skipped.error.startswith("gone")
    assert sent.status == "sent"
    async with wired.db.transaction() as session:
        resident = await ResidentRepo(session).get("fake", gone.user_id)
        assert resident is not None and not resident.is_active

    # The next message to a resident who is gone is skipped without asking the platform.
    await put(wired, [note(gone, "second")])
    await eventually(lambda: settled(wired))
    assert len(platform.requests_to(gone.user_id)) == 1
    assert (await rows(wired))[-1].error == "inactive"


async def test_a_timeout_after_sending_is_recorded_unknown_and_never_repeated(
    wired: Svoi, platform: FakePlatform, adapter: object, start_delivery: Start
) -> None:
    platform.hang = 2.0
    platform.script["r0"] = ["timeout"]
    residents = await add_residents(wired, 3)
    await put(wired, [note(r, "update") for r in residents])
    await start_delivery()
    await eventually(lambda: settled(wired))
    await asyncio.sleep(platform.hang)  # let the hanging answer end; nothing may follow it
    await put(wired, [note(residents[1], "later")])
    await eventually(lambda: settled(wired))

    outbox = await rows(wired)
    assert outbox[0].status == "unknown" and outbox[0].attempts == 1
    assert [r.status for r in outbox[1:]] == ["sent", "sent", "sent"]
    assert len(platform.requests_to("r0")) == 1
    assert len(platform.delivered_to("r0")) == 1  # it did arrive: resending would duplicate


async def test_server_errors_back_off_then_fail_after_the_bounded_attempts(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    platform.script["r0"] = ["500", "500", "500", "500"]
    platform.script["r1"] = ["500"]
    residents = await add_residents(wired, 2)
    await put(wired, [note(r, "reminder") for r in residents])
    await start_delivery(max_attempts=3, backoff_base=0.2)
    await eventually(lambda: settled(wired))

    failing, recovered = await rows(wired)
    assert (failing.status, failing.attempts) == ("failed", 3)
    assert (recovered.status, recovered.attempts) == ("sent", 2)
    times = [t for t, _, _ in platform.requests_to("r0")]
    assert len(times) == 3
    # Equal jitter: at least half of 0.2 s, then half of 0.4 s, between the attempts.
    assert times[1] - times[0] >= 0.1
    assert times[2] - times[1] >= 0.2


async def test_a_rejected_token_stops_sending_on_it_and_keeps_the_rows(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    platform.script["r0"] = ["401"]
    residents = await add_residents(wired, 4)
    await put(wired, [note(r, "notice") for r in residents])
    service = await start_delivery(concurrency=1)
    sender = service.senders["fake"]
    await eventually(lambda: _is(sender.state, HALTED))
    await put(wired, [note(residents[2], "another")])
    await asyncio.sleep(0.5)  # several claim cycles of a live sender

    assert len(platform.requests) == 1
    outbox = await rows(wired)
    assert {r.status for r in outbox} == {"pending"}
    assert outbox[0].attempts == 0


async def _is(value: object, expected: object) -> bool:
    return value == expected


async def test_quiet_hours_hold_non_urgent_rows_and_let_urgent_ones_through(
    svoi: Svoi,
    platform: FakePlatform,
    adapter: object,
    start_delivery: Start,
    test_clock: clock.SetClock,
) -> None:
    # 03:30 in Kyiv, inside the default quiet hours (22:00–08:00).
    test_clock.set(datetime(2026, 6, 18, 3, 30, tzinfo=svoi.settings.zone))
    svoi.add_channel(adapter)  # type: ignore[arg-type]
    [resident, other] = await add_residents(svoi, 2)
    await put(svoi, [note(resident, "reminder"), note(other, "alert", urgent=True)])
    await start_delivery(concurrency=1)
    await eventually(lambda: _status_of(svoi, 1, "sent"))

    assert platform.delivered_to("r0") == []
    assert [r.status for r in await rows(svoi)] == ["pending", "sent"]


async def _status_of(svoi: Svoi, index: int, status: str) -> bool:
    return (await rows(svoi))[index].status == status


async def test_muted_residents_are_skipped_when_enqueuing_and_when_sending(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    from tests.support.conversation import Resident as Chat

    chat = Chat.on(wired.engine, channel="fake", user_id="m1")
    await chat.onboard()
    async with wired.db.transaction() as session:
        resident = await ResidentRepo(session).get("fake", "m1")
    assert resident is not None
    await put(wired, [note(resident, "before", category="waste")])

    await chat.press_payload("g:mute:waste")
    assert "вивезення відходів" in chat.text
    assert await put(wired, [note(resident, "after", category="waste")]) == 0
    assert await put(wired, [note(resident, "other", category="plan:c1")]) == 1
    await start_delivery()
    await eventually(lambda: settled(wired))

    before, other = await rows(wired)
    assert (before.status, before.error) == ("skipped", "muted")
    assert other.status == "sent"
    assert [a.text for a in platform.delivered_to("m1")] == ["other for m1"]

    await chat.press("Повернути")
    assert await put(wired, [note(resident, "again", category="waste")]) == 1


async def test_stop_gives_back_waiting_rows_and_finishes_in_flight_sends(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    residents = await add_residents(wired, 20)
    await put(wired, [note(r, "digest") for r in residents])
    service = await start_delivery(rate_per_second=4.0, concurrency=10)
    await eventually(lambda: _count_at_least(platform, 2))
    await asyncio.wait_for(service.stop(), timeout=10)

    outbox = await rows(wired)
    sent = [r for r in outbox if r.status == "sent"]
    assert {r.status for r in outbox} == {"sent", "pending"}
    assert len(sent) == len(platform.arrivals) < 20
    assert all(r.lease_until is None for r in outbox)


async def _count_at_least(platform: FakePlatform, n: int) -> bool:
    return len(platform.arrivals) >= n


@pytest.mark.usefixtures("still_heap")
async def test_rate_limits_hold_on_the_servers_clock(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    # The platform allows 50/s and 1/s per chat; the sender is set to 40/s and 1.1 s.
    platform.rate_limit = 50
    platform.chat_limit = True
    residents = await add_residents(wired, 60)
    await put(
        wired,
        [note(r, f"part{n}") for n in range(4) for r in residents],
    )
    await start_delivery(rate_per_second=40.0, chat_interval=1.1, concurrency=16)
    await eventually(lambda: settled(wired), within=60)

    assert len(platform.arrivals) == 240
    assert platform.answers.get("429", 0) == 0
    assert max_in_window([a.at for a in platform.arrivals]) <= 50
    assert min_gap_per_chat(platform.arrivals) >= 1.0
