"""A fake Viber REST Bot API server (aiohttp on 127.0.0.1) and realistic callback JSON.

It speaks the API the way Viber does: `POST /pa/<endpoint>` with a JSON body and the token
in `X-Viber-Auth-Token`, errors as HTTP 200 with a non-zero `status`. It checks what Viber
checks and what a test wants to know about: the token (status 2), the body size (30 KB),
message JSON — known `type`, `text` 1–7000, `tracking_data` ≤ 4000, sender name ≤ 28 —
and keyboards (`Type`, `Columns` 1–6, `Rows` 1–2, `Text` ≤ 250, a known `ActionType`, a
non-empty `ActionBody`, an http(s) URL for `open-url`, `min_api_version` ≥ 3 for
location-picker / share-phone and ≥ 4 for `Silent`). A request that breaks a rule gets
status 3 (badData) and is kept in `rejected`.

Every call is recorded with its time. Tests script answers: `fail_next(12)` (the next call
answers status 12), `gone(user_id)` (status 6 for that receiver, also in a broadcast's
`failed_list`), `http_error_next(500)`, `delay = 2.0` (answer late, for read timeouts).
On `set_webhook` it calls the URL once with a signed `webhook` event, as Viber does.

`Callbacks` builds signed callback bodies the way Viber posts them to the bot.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "4dc5a1b0f1c2e3d4-9a8b7c6d5e4f3a2b-1c0d9e8f7a6b5c4d"
MAX_BODY = 30_000
TEXT_LIMIT = 7000
TRACKING_LIMIT = 4000
ACTION_TYPES = {"reply", "open-url", "location-picker", "share-phone", "none"}
MESSAGE_TYPES = {"text", "picture", "video", "file", "location", "contact", "sticker", "url"}
STATUS_MESSAGES = {
    0: "ok",
    1: "invalidUrl",
    2: "invalidAuthToken",
    3: "badData",
    5: "receiverNotRegistered",
    6: "receiverNotSubscribed",
    7: "publicAccountBlocked",
    10: "webhookNotSet",
    12: "tooManyRequests",
}


def sign(body: bytes, token: str = TOKEN) -> str:
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Call:
    """One request the fake received and how it answered."""

    endpoint: str
    payload: dict[str, Any]
    at: float
    status: int = 0
    error: str | None = None
    message_token: int | None = None

    @property
    def receiver(self) -> str | None:
        value = self.payload.get("receiver")
        return value if isinstance(value, str) else None

    @property
    def text(self) -> str:
        return str(self.payload.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        keyboard = self.payload.get("keyboard") or {}
        return list(keyboard.get("Buttons", []))

    @property
    def labels(self) -> list[str]:
        return [str(b.get("Text", "")) for b in self.buttons]


def _check_button(button: Any, api: int) -> str | None:
    if not isinstance(button, dict):
        return "a button is not an object"
    columns, rows = button.get("Columns", 6), button.get("Rows", 1)
    if not isinstance(columns, int) or not 1 <= columns <= 6:
        return f"Columns {columns!r} not in 1-6"
    if not isinstance(rows, int) or not 1 <= rows <= 2:
        return f"Rows {rows!r} not in 1-2"
    text = button.get("Text", "")
    if not isinstance(text, str) or len(text) > 250:
        return "button Text is not a string of at most 250 characters"
    action = button.get("ActionType", "reply")
    if action not in ACTION_TYPES:
        return f"unknown ActionType {action!r}"
    body = button.get("ActionBody")
    if action != "none" and (not isinstance(body, str) or not body):
        return f"{action} button without ActionBody"
    if action == "open-url" and not str(body).startswith(("http://", "https://")):
        return "open-url ActionBody is not an http(s) URL"
    if action == "open-url" and len(str(body)) > 2000:
        return "open-url ActionBody over 2000 characters"
    if action in ("location-picker", "share-phone") and api < 3:
        return f"{action} needs min_api_version 3"
    if "Silent" in button and (not isinstance(button["Silent"], bool) or api < 4):
        return "Silent needs a boolean and min_api_version 4"
    return None


def _check_keyboard(keyboard: Any, api: int) -> str | None:
    if not isinstance(keyboard, dict) or keyboard.get("Type") != "keyboard":
        return "keyboard without Type 'keyboard'"
    buttons = keyboard.get("Buttons")
    if not isinstance(buttons, list) or not buttons:
        return "keyboard without Buttons"
    for button in buttons:
        problem = _check_button(button, api)
        if problem:
            return problem
    return None


def check_message(payload: dict[str, Any]) -> str | None:
    """What Viber would refuse in a message (send_message, broadcast, welcome)."""
    kind = payload.get("type")
    if kind not in MESSAGE_TYPES:
        return f"unknown message type {kind!r}"
    api = payload.get("min_api_version", 1)
    if not isinstance(api, int) or api < 1:
        return "min_api_version is not a positive integer"
    sender = payload.get("sender")
    if not isinstance(sender, dict) or not isinstance(sender.get("name"), str):
        return "sender.name is required"
    if len(sender["name"]) > 28:
        return "sender.name over 28 characters"
    tracking = payload.get("tracking_data")
    if tracking is not None and (not isinstance(tracking, str) or len(tracking) > TRACKING_LIMIT):
        return "tracking_data over 4000 characters"
    if kind == "text":
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > TEXT_LIMIT:
            return "text must be 1-7000 characters"
    if kind == "location":
        loc = payload.get("location")
        if not isinstance(loc, dict):
            return "location missing"
        lat, lon = loc.get("lat"), loc.get("lon")
        if not isinstance(lat, int | float) or not isinstance(lon, int | float):
            return "location lat/lon are not numbers"
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return "location out of range"
    if "keyboard" in payload:
        return _check_keyboard(payload["keyboard"], api)
    return None


@dataclass
class FakeViberApi:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    delay: float = 0.0
    check_webhook: bool = True

    def __post_init__(self) -> None:
        self._scripted: deque[tuple[str | None, int]] = deque()
        self._http_errors: deque[int] = deque()
        self._gone: dict[str, int] = {}
        self._tokens = itertools.count(5_409_318_127_644_810_000)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.webhook_url: str | None = None
        self.media: dict[str, bytes] = {}  # what residents sent, by name on the media host
        self.media_requests: list[dict[str, str]] = []  # the headers of each media download

    # --- running ------------------------------------------------------------------
    async def start(self) -> FakeViberApi:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/pa/{endpoint}", self._handle)
        app.router.add_get("/media/{name}", self._media)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/pa"

    # --- residents' media -------------------------------------------------------------
    def add_media(self, name: str, data: bytes) -> str:
        """A picture or file a resident sent: its media URL, as a callback carries it."""
        self.media[name] = data
        return f"http://127.0.0.1:{self.port}/media/{name}"

    async def _media(self, request: web.Request) -> web.Response:
        self.media_requests.append(dict(request.headers))
        data = self.media.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    # --- scripting ----------------------------------------------------------------
    def fail_next(self, status: int, count: int = 1, endpoint: str | None = None) -> None:
        """The next `count` calls (to `endpoint`, or any) answer this Viber status."""
        for _ in range(count):
            self._scripted.append((endpoint, status))

    def http_error_next(self, http_status: int, count: int = 1) -> None:
        self._http_errors.extend([http_status] * count)

    def gone(self, user_id: str, status: int = 6) -> None:
        """This receiver unsubscribed (6) or left Viber (5)."""
        self._gone[user_id] = status

    # --- reading ------------------------------------------------------------------
    @property
    def accepted(self) -> list[Call]:
        return [c for c in self.calls if c.status == 0]

    @property
    def rejected(self) -> list[Call]:
        return [c for c in self.calls if c.error is not None]

    def sent_to(self, user_id: str) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.endpoint == "send_message" and c.status == 0 and c.receiver == user_id
        ]

    def calls_to(self, endpoint: str) -> list[Call]:
        return [c for c in self.calls if c.endpoint == endpoint]

    # --- the API ------------------------------------------------------------------
    def _answer(self, call: Call, body: dict[str, Any]) -> web.Response:
        self.calls.append(call)
        return web.json_response(body)

    def _error(self, call: Call, status: int, message: str | None = None) -> web.Response:
        call.status = status
        return self._answer(
            call, {"status": status, "status_message": message or STATUS_MESSAGES.get(status, "")}
        )

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        endpoint = request.match_info["endpoint"]
        raw = await request.read()
        if self.delay:
            await asyncio.sleep(self.delay)
        call = Call(endpoint, {}, time.monotonic())
        if self._http_errors:
            status = self._http_errors.popleft()
            call.status, call.error = -status, f"HTTP {status}"
            self.calls.append(call)
            return web.Response(status=status, text="upstream trouble")
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            call.error = "body is not JSON"
            return self._error(call, 3)
        call.payload = payload if isinstance(payload, dict) else {}
        if request.headers.get("X-Viber-Auth-Token") != self.token:
            call.error = "wrong or missing X-Viber-Auth-Token"
            return self._error(call, 2)
        if len(raw) > MAX_BODY:
            call.error = f"body of {len(raw)} bytes over 30 KB"
            return self._error(call, 3, "badData: message too big")
        for index, (only, status) in enumerate(self._scripted):
            if only is None or only == endpoint:
                del self._scripted[index]
                return self._error(call, status)
        if endpoint == "send_message":
            return self._send(call)
        if endpoint == "broadcast_message":
            return self._broadcast(call)
        if endpoint == "set_webhook":
            return await self._set_webhook(call)
        if endpoint == "get_account_info":
            return self._answer(
                call,
                {
                    "status": 0,
                    "status_message": "ok",
                    "id": "pa:5457982436740812345",
                    "name": "Свої",
                    "uri": "svoi-khm",
                    "subscribers_count": 42,
                    "webhook": self.webhook_url or "",
                },
            )
        call.error = f"unknown endpoint {endpoint}"
        return self._error(call, 3)

    def _send(self, call: Call) -> web.Response:
        receiver = call.payload.get("receiver")
        if not isinstance(receiver, str) or not receiver:
            call.error = "receiver is required"
            return self._error(call, 4, "missingData")
        problem = check_message(call.payload)
        if problem:
            call.error = problem
            return self._error(call, 3, f"badData: {problem}")
        if receiver in self._gone:
            return self._error(call, self._gone[receiver])
        call.message_token = next(self._tokens)
        return self._answer(
            call,
            {
                "status": 0,
                "status_message": "ok",
                "message_token": call.message_token,
                "chat_hostname": "SN-CHAT-05_",
                "billing_status": 1,
            },
        )

    def _broadcast(self, call: Call) -> web.Response:
        receivers = call.payload.get("broadcast_list")
        if (
            not isinstance(receivers, list)
            or not receivers
            or len(receivers) > 300
            or not all(isinstance(r, str) for r in receivers)
        ):
            call.error = "broadcast_list must hold 1-300 user ids"
            return self._error(call, 3, f"badData: {call.error}")
        problem = check_message(call.payload)
        if problem:
            call.error = problem
            return self._error(call, 3, f"badData: {problem}")
        call.message_token = next(self._tokens)
        failed = [
            {
                "receiver": r,
                "status": self._gone[r],
                "status_message": STATUS_MESSAGES[self._gone[r]],
            }
            for r in receivers
            if r in self._gone
        ]
        return self._answer(
            call,
            {
                "status": 0,
                "status_message": "ok",
                "message_token": call.message_token,
                "failed_list": failed,
            },
        )

    async def _set_webhook(self, call: Call) -> web.Response:
        url = call.payload.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            call.error = "url is required"
            return self._error(call, 1)
        if self.check_webhook:
            body = json.dumps(
                {
                    "event": "webhook",
                    "timestamp": int(time.time() * 1000),
                    "chat_hostname": "SN-CHAT-05_",
                    "message_token": next(self._tokens),
                }
            ).encode()
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    url,
                    data=body,
                    headers={
                        "X-Viber-Content-Signature": sign(body, self.token),
                        "Content-Type": "application/json",
                    },
                ) as response,
            ):
                if response.status != 200:
                    call.error = f"the webhook answered {response.status}"
                    return self._error(call, 1, "invalidUrl: webhook check failed")
        self.webhook_url = url
        events = call.payload.get("event_types") or ["delivered", "seen", "failed"]
        return self._answer(call, {"status": 0, "status_message": "ok", "event_types": events})


# --- callbacks Viber posts to the bot ------------------------------------------------
_callback_tokens = itertools.count(5_491_000_000_000_000_001)


def new_token() -> int:
    return next(_callback_tokens)


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Callbacks:
    """Realistic callback bodies for one Viber user (shapes from the REST Bot API docs)."""

    user_id: str
    name: str = "Олена Коваль"
    language: str = "uk"
    api_version: int = 10

    @property
    def profile(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "name": self.name,
            "avatar": "https://media-direct.cdn.viber.com/download_photo?dlid=abc&fltp=jpg",
            "country": "UA",
            "language": self.language,
            "api_version": self.api_version,
        }

    def conversation_started(
        self, context: str | None = None, subscribed: bool = False
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "event": "conversation_started",
            "timestamp": _now_ms(),
            "chat_hostname": "SN-CHAT-05_",
            "message_token": new_token(),
            "type": "open",
            "user": self.profile,
            "subscribed": subscribed,
        }
        if context is not None:
            body["context"] = context
        return body

    def subscribed(self) -> dict[str, Any]:
        return {
            "event": "subscribed",
            "timestamp": _now_ms(),
            "chat_hostname": "SN-CHAT-05_",
            "user": self.profile,
            "message_token": new_token(),
        }

    def unsubscribed(self) -> dict[str, Any]:
        return {
            "event": "unsubscribed",
            "timestamp": _now_ms(),
            "chat_hostname": "SN-CHAT-05_",
            "user_id": self.user_id,
            "message_token": new_token(),
        }

    def message(self, message: dict[str, Any], token: int | None = None) -> dict[str, Any]:
        return {
            "event": "message",
            "timestamp": _now_ms(),
            "chat_hostname": "SN-CHAT-05_",
            "message_token": token if token is not None else new_token(),
            "sender": {k: v for k, v in self.profile.items() if k != "country"} | {"country": "UA"},
            "message": message,
            "silent": False,
        }

    def text(self, text: str, token: int | None = None) -> dict[str, Any]:
        return self.message({"type": "text", "text": text}, token)

    def location(self, lat: float, lon: float) -> dict[str, Any]:
        return self.message(
            {
                "type": "location",
                "location": {"lat": lat, "lon": lon, "address": "вулиця Проскурівська, 1"},
            }
        )

    def contact(self, phone: str, name: str | None = None) -> dict[str, Any]:
        return self.message(
            {
                "type": "contact",
                "contact": {"name": name or self.name, "phone_number": phone},
            }
        )

    def picture(
        self, media_url: str, *, size: int, file_name: str = "IMG_0042.jpg", text: str = ""
    ) -> dict[str, Any]:
        """A photo sent from the Viber app: a media URL to fetch it from."""
        return self.message(
            {
                "type": "picture",
                "text": text,
                "media": media_url,
                "thumbnail": media_url,
                "file_name": file_name,
                "size": size,
            }
        )

    def file(self, media_url: str, *, size: int, file_name: str) -> dict[str, Any]:
        return self.message(
            {"type": "file", "media": media_url, "file_name": file_name, "size": size}
        )

    def media(self, kind: str) -> dict[str, Any]:
        samples: dict[str, dict[str, Any]] = {
            "picture": {
                "type": "picture",
                "text": "",
                "media": "https://dl-media.viber.com/1/share/2/long/vibes/icon/image/0x0/95e0.jpg",
                "thumbnail": "https://dl-media.viber.com/1/share/2/long/vibes/icon/image/thumb.jpg",
                "file_name": "IMG_0042.jpg",
                "size": 183_201,
            },
            "sticker": {"type": "sticker", "sticker_id": 46105},
            "file": {
                "type": "file",
                "media": "https://dl-media.viber.com/5/share/2/long/bots/generic/file/doc.pdf",
                "file_name": "довідка.pdf",
                "size": 10_000,
            },
            "video": {
                "type": "video",
                "media": "https://dl-media.viber.com/5/share/2/long/bots/generic/video/v.mp4",
                "thumbnail": "https://dl-media.viber.com/5/share/2/long/bots/generic/video/t.jpg",
                "size": 1_000_000,
                "duration": 10,
            },
            "url": {"type": "url", "media": "https://khm.gov.ua/"},
        }
        return self.message(samples[kind])

    def delivered(self, message_token: int | str) -> dict[str, Any]:
        return {
            "event": "delivered",
            "timestamp": _now_ms(),
            "chat_hostname": "SN-CHAT-05_",
            "message_token": int(message_token),
            "user_id": self.user_id,
        }

    def seen(self, message_token: int | str) -> dict[str, Any]:
        return self.delivered(message_token) | {"event": "seen"}

    def failed(self, message_token: int | str, desc: str = "failed") -> dict[str, Any]:
        return self.delivered(message_token) | {"event": "failed", "desc": desc}


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
