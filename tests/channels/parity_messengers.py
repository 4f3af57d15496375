"""A resident on Telegram or on Viber behind one small interface, for scripts that must pass
on both messengers over real HTTP against the fake platform APIs. Each opener yields the
Svoi serving the messenger, the resident's chat, and a reader of every text the platform
delivered to that resident (replies and proactive messages alike)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from bot.app import Svoi
from bot.config import Settings
from storage.db import Database
from tests.channels.telegram.conftest import Chat, start_service, stop_service
from tests.channels.viber.client import ViberResident
from tests.channels.viber.client import start_service as start_viber
from tests.channels.viber.conftest import viber_settings
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import FakeViberApi
from tests.support.telegram import telegram_settings


class Messenger(Protocol):
    """What a script needs from a resident on any messenger."""

    async def send(self, text: str) -> object: ...
    async def press(self, label: str) -> object: ...

    @property
    def text(self) -> str: ...


class TelegramMessenger:
    def __init__(self, chat: Chat) -> None:
        self.chat = chat

    async def send(self, text: str) -> object:
        return await self.chat.send(text)

    async def press(self, label: str) -> object:
        return await self.chat.press(label)

    @property
    def text(self) -> str:
        return self.chat.text


Opened = tuple[Svoi, Messenger, Callable[[], list[str]]]


@asynccontextmanager
async def telegram_messenger(
    settings: Settings, db: Database, db_url: str
) -> AsyncIterator[Opened]:
    api = FakeTelegramAPI()
    await api.start()
    svoi = Svoi.create(
        telegram_settings(db_url, api.url).model_copy(
            update={"flood_max_messages": 1000, "operators": settings.operators}
        ),
        db,
    )
    service = await start_service(svoi, api)
    chat = Chat(service)
    try:
        yield svoi, TelegramMessenger(chat), lambda: [c.text for c in api.sent(chat.id)]
    finally:
        await stop_service(service)
        await api.stop()


@asynccontextmanager
async def viber_messenger(settings: Settings, db: Database, db_url: str) -> AsyncIterator[Opened]:
    fake = await FakeViberApi().start()
    viber = await start_viber(viber_settings(settings, fake), db, fake)
    resident = ViberResident.on(viber, "parity-viber-user==")
    await resident.open()

    def delivered() -> list[str]:
        return [str(call.payload.get("text", "")) for call in fake.sent_to(resident.user_id)]

    try:
        yield viber.svoi, resident, delivered
    finally:
        await viber.close()
        await fake.close()
