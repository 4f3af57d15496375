"""A Viber resident for tests: posts signed callbacks to the running service over HTTP and
reads what Svoi sent back — the welcome in the response body, other replies as the
`send_message` calls the fake Viber API received."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import Svoi, build_web_app
from bot.channels.viber import WEBHOOK_PATH, ViberChannel
from bot.channels.viber.api import Timeouts
from bot.channels.viber.messages import BUTTON_PREFIX
from bot.config import Settings
from storage.db import Database
from tests.fakes.viber_api import TOKEN, Call, Callbacks, FakeViberApi, encode, sign


@dataclass
class Posted:
    status: int
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self.body)
        return decoded


@dataclass
class ViberService:
    svoi: Svoi
    channel: ViberChannel
    server: TestServer
    http: aiohttp.ClientSession
    fake: FakeViberApi
    token: str = TOKEN

    @property
    def webhook_url(self) -> str:
        return str(self.server.make_url(WEBHOOK_PATH))

    async def post_raw(self, body: bytes, signature: str | None) -> Posted:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Viber-Content-Signature"] = signature
        async with self.http.post(self.webhook_url, data=body, headers=headers) as response:
            return Posted(response.status, await response.read())

    async def post(self, callback: dict[str, Any]) -> Posted:
        body = encode(callback)
        return await self.post_raw(body, sign(body, self.token))

    async def close(self) -> None:
        await self.http.close()
        await self.channel.stop()
        await self.server.close()


async def start_service(
    settings: Settings, db: Database, fake: FakeViberApi, timeouts: Timeouts | None = None
) -> ViberService:
    svoi = Svoi.create(settings, db)
    app = build_web_app(svoi)
    channel = ViberChannel(svoi, app, timeouts=timeouts or Timeouts(connect=2, read=5, total=10))
    svoi.add_channel(channel)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return ViberService(svoi, channel, server, aiohttp.ClientSession(), fake)


@dataclass
class ViberResident:
    """One Viber user. `last` holds the messages Svoi sent in answer to the last action."""

    service: ViberService
    user: Callbacks
    last: list[dict[str, Any]] = field(default_factory=list)
    keyboard: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def on(cls, service: ViberService, user_id: str, **profile: Any) -> ViberResident:
        return cls(service, Callbacks(user_id, **profile))

    @property
    def user_id(self) -> str:
        return self.user.user_id

    def _sent(self) -> list[Call]:
        return self.service.fake.sent_to(self.user_id)

    async def post(self, callback: dict[str, Any]) -> Posted:
        before = len(self._sent())
        posted = await self.service.post(callback)
        assert posted.status == 200, posted
        self.last = [call.payload for call in self._sent()[before:]]
        if self.last and self.last[-1].get("keyboard"):
            self.keyboard = list(self.last[-1]["keyboard"]["Buttons"])
        return posted

    async def open(self, context: str | None = None, subscribed: bool = False) -> dict[str, Any]:
        """Open the chat (conversation_started); returns the welcome message."""
        posted = await self.post(self.user.conversation_started(context, subscribed))
        welcome = posted.json if posted.body else {}
        self.last = [welcome] if welcome else []
        if welcome.get("keyboard"):
            self.keyboard = list(welcome["keyboard"]["Buttons"])
        return welcome

    async def send(self, text: str) -> list[dict[str, Any]]:
        await self.post(self.user.text(text))
        return self.last

    async def press(self, label: str) -> list[dict[str, Any]]:
        """Tap the keyboard button whose label contains `label`: Viber sends its ActionBody."""
        matches = [b for b in self.keyboard if label.lower() in str(b.get("Text", "")).lower()]
        assert len(matches) == 1, f"no single button {label!r} among {self.labels}"
        assert matches[0]["ActionType"] == "reply"
        await self.post(self.user.text(matches[0]["ActionBody"]))
        return self.last

    async def start(self) -> None:
        await self.open()

    async def onboard(self, locale: str = "uk") -> None:
        await self.open()
        await self.press("English" if locale == "en" else "Українська")

    async def share_location(self, lat: float, lon: float) -> None:
        await self.post(self.user.location(lat, lon))

    async def share_contact(self, phone: str) -> None:
        await self.post(self.user.contact(phone))

    async def send_media(self, kind: str) -> None:
        await self.post(self.user.media(kind))

    # --- reading the answer ----------------------------------------------------------
    @property
    def text(self) -> str:
        return "\n\n".join(str(m.get("text", "")) for m in self.last if m.get("type") == "text")

    @property
    def labels(self) -> list[str]:
        """Labels of the reply buttons on screen (Viber shows the last keyboard)."""
        return [
            str(b["Text"])
            for b in self.keyboard
            if b.get("ActionType") == "reply" and str(b["ActionBody"]).startswith(BUTTON_PREFIX)
        ]
