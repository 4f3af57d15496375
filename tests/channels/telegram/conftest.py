"""Fixtures for the Telegram channel: the fake Bot API, Svoi's HTTP app with the channel on
a real port, and a resident who talks to it with real Update JSON over HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Svoi, build_web_app
from bot.channels.telegram import TelegramChannel
from storage.db import Database
from tests.fakes.telegram_api import ApiCall, FakeTelegramAPI, TelegramUser
from tests.support.telegram import SECRET, telegram_settings


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegramAPI]:
    api = FakeTelegramAPI()
    await api.start()
    yield api
    await api.stop()


@dataclass
class Service:
    """Svoi with the Telegram channel, serving HTTP on 127.0.0.1."""

    svoi: Svoi
    channel: TelegramChannel
    client: TestClient[Any, Any]
    api: FakeTelegramAPI

    async def post(self, update: dict[str, Any] | str, secret: str | None = SECRET) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        body = update if isinstance(update, str) else json.dumps(update, ensure_ascii=False)
        response = await self.client.post("/webhook/telegram", data=body, headers=headers)
        await response.release()
        return response.status

    async def deliver(self, update: dict[str, Any]) -> int:
        """Post as Telegram would and wait until the update has been processed."""
        status = await self.post(update)
        await self.channel.drain()
        return status


async def start_service(svoi: Svoi, api: FakeTelegramAPI, **channel_options: Any) -> Service:
    app = build_web_app(svoi)
    options: dict[str, Any] = {"request_timeout": 5, "sweep_interval": None, **channel_options}
    channel = TelegramChannel(svoi, app, **options)
    svoi.add_channel(channel)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return Service(svoi, channel, client, api)


async def stop_service(service: Service) -> None:
    await service.channel.stop(grace=1.0)
    await service.client.close()


@pytest.fixture
async def service(
    db_url: str, db: Database, telegram_api: FakeTelegramAPI
) -> AsyncIterator[Service]:
    svoi = Svoi.create(telegram_settings(db_url, telegram_api.url), db)
    running = await start_service(svoi, telegram_api)
    yield running
    await stop_service(running)


_user_ids = iter(range(310_000_001, 399_999_999))


@dataclass
class Chat:
    """A resident's private chat with the bot: acts over the webhook, reads the fake API."""

    service: Service
    user: TelegramUser = field(default_factory=lambda: TelegramUser(next(_user_ids)))
    seen: list[ApiCall] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def api(self) -> FakeTelegramAPI:
        return self.service.api

    async def _do(self, update: dict[str, Any]) -> list[ApiCall]:
        before = len(self.api.sent(self.id))
        status = await self.service.deliver(update)
        assert status == 200
        self.seen = self.api.sent(self.id)[before:]
        return self.seen

    async def send(self, text: str) -> list[ApiCall]:
        return await self._do(self.user.text(text))

    async def press(self, label: str) -> list[ApiCall]:
        """Press the button labelled `label` on the latest message that has buttons."""
        message = self.api.last_message(self.id)
        data = message.data_for(label)
        return await self._do(self.user.press(data, self.api.message_id_of(message), message.text))

    async def act(self, update: dict[str, Any]) -> list[ApiCall]:
        return await self._do(update)

    async def onboard(self, language: str = "English") -> None:
        await self.send("/start")
        await self.press(language)

    @property
    def text(self) -> str:
        return "\n\n".join(call.text for call in self.seen)

    @property
    def methods(self) -> list[str]:
        return [call.method for call in self.seen]


@pytest.fixture
def chat(service: Service) -> Chat:
    return Chat(service)
