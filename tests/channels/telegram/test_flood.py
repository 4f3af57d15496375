"""One resident flooding the webhook does not hold up another resident's replies (read on the
fake Bot API's own receive times), and the flooder gets one "slow down" and then silence."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import Svoi
from storage import clock
from storage.db import Database
from tests.channels.telegram.conftest import Chat, start_service, stop_service
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.telegram import telegram_settings


async def _flood_and_ask(
    db_url: str, db: Database, api: FakeTelegramAPI, limit: int
) -> tuple[list[float], float]:
    settings = telegram_settings(db_url, api.url).model_copy(
        update={"flood_max_messages": limit, "flood_window_seconds": 5.0}
    )
    service = await start_service(Svoi.create(settings, db), api)
    try:
        flooder, calm = Chat(service), Chat(service)
        await flooder.onboard()
        await calm.onboard()
        before = len(api.sent(flooder.id))
        burst = [flooder.user.text(f"/help {n}") for n in range(50)]
        await asyncio.gather(*(service.post(update) for update in burst[:25]))
        assert await service.post(calm.user.text("/help")) == 200
        await asyncio.gather(*(service.post(update) for update in burst[25:]))
        await service.channel.drain()
        flooder_times = [call.at for call in api.sent(flooder.id)[before:]]
        calm_time = api.sent(calm.id)[-1].at
        return flooder_times, calm_time
    finally:
        await stop_service(service)


async def test_a_flooder_does_not_delay_another_resident(
    db_url: str, db: Database, telegram_api: FakeTelegramAPI
) -> None:
    # No flood limit here, so the flooder's 50 turns all run and leave a reply each.
    flooder_times, calm_time = await _flood_and_ask(db_url, db, telegram_api, limit=1000)
    assert len(flooder_times) >= 2 * 50
    # The calm resident wrote in the middle of the burst and was answered before the
    # flooder's burst was through: their turn did not queue behind the flooder's.
    assert calm_time < max(flooder_times)


async def test_the_flooder_gets_one_warning_then_silence(
    db_url: str, db: Database, telegram_api: FakeTelegramAPI
) -> None:
    flooder_times, _ = await _flood_and_ask(db_url, db, telegram_api, limit=20)
    warnings = [c for c in telegram_api.sent() if "too fast" in (c.plain_text or c.text or "")]
    assert len(warnings) == 1
    # /help answers with two messages (help, then the screen again): at most the 18 turns
    # left in the window after onboarding's two, plus the warning; the other 31 are ignored.
    assert len(flooder_times) <= 2 * 18 + 1


async def test_after_the_window_the_flooder_is_answered_and_counted_afresh(
    db_url: str, db: Database, telegram_api: FakeTelegramAPI, test_clock: clock.SetClock
) -> None:
    settings = telegram_settings(db_url, telegram_api.url).model_copy(
        update={"flood_max_messages": 3, "flood_window_seconds": 10.0}
    )
    service = await start_service(Svoi.create(settings, db), telegram_api)
    try:
        chat = Chat(service)
        await chat.onboard()  # two messages of the window: /start and the language

        def warnings() -> int:
            return sum("too fast" in (c.plain_text or c.text or "") for c in chat.api.sent())

        await chat.send("/settings")  # the third: answered
        answered = len(chat.api.sent(chat.id))
        await chat.send("/settings")  # the fourth: one warning instead of an answer
        await chat.send("/settings")  # the fifth: silence
        assert warnings() == 1
        assert len(chat.api.sent(chat.id)) == answered + 1

        test_clock.advance(timedelta(seconds=11))  # a new window
        await chat.send("/settings")
        assert chat.api.sent(chat.id)[-1].text == "Settings. Language: English."
        await chat.send("/settings")
        await chat.send("/settings")
        await chat.send("/settings")  # the fourth of this window: warned once more
        assert warnings() == 2
    finally:
        await stop_service(service)
