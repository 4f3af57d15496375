"""Linking over real HTTP against the fake Telegram and Viber APIs, on both databases: a
Telegram chat shows a code and the Viber deep link; the resident opens Svoi in Viber with
`context=link-CODE` (conversation_started), picks a language and is linked; from then on one
vote per person, one follow, and each progress update delivered once, by the senders, to
the messenger the resident wrote from last; /mydata names both messengers."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.app import Svoi
from bot.config import Settings
from bot.delivery.service import DeliveryService
from dialogs.plan.content import ensure_default_content
from storage.db import Database
from storage.models.plan import Poll, Vote
from tests.channels.telegram.conftest import Chat, start_service, stop_service
from tests.channels.viber.client import ViberResident
from tests.channels.viber.client import start_service as start_viber
from tests.channels.viber.conftest import viber_settings
from tests.delivery.conftest import eventually, fast_config, settled
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import FakeViberApi
from tests.support.conversation import Resident
from tests.support.telegram import telegram_settings

CODE = re.compile(r"Your code: ([A-Z0-9]{6})")


def _viber_texts(fake: FakeViberApi, user_id: str) -> list[str]:
    return [str(call.payload.get("text", "")) for call in fake.sent_to(user_id)]


async def test_a_telegram_chat_and_a_viber_chat_become_one_person(
    settings: Settings, db: Database, db_url: str
) -> None:
    assert await ensure_default_content(db) is True
    api = FakeTelegramAPI()
    await api.start()
    telegram_svoi = Svoi.create(
        telegram_settings(db_url, api.url).model_copy(
            update={"flood_max_messages": 1000, "operators": settings.operators}
        ),
        db,
    )
    telegram_svoi.settings.viber.chat_uri = "svoikhm"
    telegram_service = await start_service(telegram_svoi, api)
    fake = await FakeViberApi().start()
    viber_service = await start_viber(viber_settings(settings, fake), db, fake)
    senders = [
        DeliveryService(telegram_svoi, configs={"telegram": fast_config()}),
        DeliveryService(viber_service.svoi, configs={"viber": fast_config()}),
    ]
    for sender in senders:
        await sender.start()
    try:
        chat = Chat(telegram_service)
        await chat.send("/start")
        await chat.press("English")
        await chat.send("/settings")
        await chat.press("Connect another messenger")
        found = CODE.search(chat.text)
        assert found is not None, chat.text
        code = found.group(1)
        assert f"Viber: viber://pa?chatURI=svoikhm&context=link-{code}" in chat.text

        viber = ViberResident.on(viber_service, "linking-viber-user==")
        await viber.open(context=f"link-{code}")  # the deep link opens the chat
        await viber.press("English")
        assert "Done, messengers linked: Telegram, Viber." in viber.text

        async with db.transaction() as session:
            poll_id = (
                await session.execute(select(Poll.id).where(Poll.code == "public-opinion"))
            ).scalar_one()
        await viber.send(f"/start p{poll_id}")
        await chat.send(f"/start p{poll_id}")
        await chat.press("Green city")
        assert "Thank you, your vote is counted!" in chat.text
        await viber.press("Digital services")
        assert "You have already voted in this poll from a linked messenger." in viber.text
        async with db.transaction() as session:
            assert (await session.execute(select(func.count()).select_from(Vote))).scalar_one() == 1

        # One follow (from Telegram); Viber wrote last, so the update is delivered there once.
        await chat.send("/start c3")
        await chat.press("Follow progress")
        await viber.send("/start c3")
        assert "🔕 Unfollow" in viber.labels
        operator = Resident.on(telegram_svoi.engine, user_id="operator-1")
        await operator.onboard("en")
        await operator.send("/operator")
        await operator.press("Publish an update")
        await operator.press("pc:c3")
        await operator.press("Keep: substantial")
        await operator.send("60")
        await operator.send("Hubs opened in two more village libraries.")
        await operator.press("Publish")
        assert "Notifications queued: 1." in operator.text

        def updates(texts: list[str]) -> list[str]:
            return [t for t in texts if "Hubs opened in two more village libraries." in t]

        async def arrived() -> bool:
            return bool(updates(_viber_texts(fake, viber.user_id)))

        await eventually(arrived, within=20)
        await eventually(lambda: settled(telegram_svoi), within=20)
        assert len(updates(_viber_texts(fake, viber.user_id))) == 1
        assert updates([c.text for c in api.sent(chat.id)]) == []

        await viber.send("/mydata")
        assert "Linked messengers: Telegram, Viber" in viber.text
    finally:
        for sender in senders:
            await sender.stop()
        await viber_service.close()
        await fake.close()
        await stop_service(telegram_service)
        await api.stop()
