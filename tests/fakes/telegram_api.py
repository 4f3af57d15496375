"""A fake Telegram Bot API server (aiohttp on 127.0.0.1) and realistic Update JSON.

It speaks the Bot API the way aiogram sees it: `POST /bot<token>/<method>` with
form-encoded or multipart fields (nested objects as JSON strings), answers
`{"ok": true, "result": ...}` with real-shaped objects, or errors shaped like Telegram's
(`error_code`, `description`, `parameters.retry_after`). It checks what Telegram checks and
a test would want to know about: the token, HTML entities, text length, `callback_data`
length, URL buttons, editing messages it never sent or with no change. Every call is
recorded with its time, parsed fields, plain text and keyboard.

Tests script failures: `fail("sendMessage", status=429, retry_after=3)`, `block(chat_id)`,
`hang("sendMessage")` (the request is received, then never answered). `updates` feed
getUpdates with Telegram's offset semantics and long polling.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import html
import itertools
import json
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

from tests.support.rates import max_in_window

BOT_ID = 7_000_000_001
TOKEN = f"{BOT_ID}:AAF-fake-token_for-tests0123456789ab"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Свої", "username": "svoi_khm_bot"}
JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "media",
}
HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
SENDING = {"sendMessage", "sendLocation", "sendVenue", "sendDocument", "sendPhoto"}


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content: bytes
    content_type: str


@dataclass
class ApiCall:
    """One request the fake received, and how it answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    at: float
    status: int = 200
    plain_text: str | None = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """The text as the resident sees it (HTML parsed away)."""
        return self.plain_text if self.plain_text is not None else str(self.params.get("text", ""))

    @property
    def markup(self) -> dict[str, Any]:
        value = self.params.get("reply_markup")
        return value if isinstance(value, dict) else {}

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        rows: list[list[dict[str, Any]]] = self.markup.get("inline_keyboard", [])
        return rows

    @property
    def labels(self) -> list[str]:
        rows = self.markup.get("inline_keyboard") or self.markup.get("keyboard") or []
        return [str(button["text"]) for row in rows for button in row]

    def data_for(self, label: str) -> str:
        """The callback_data of the inline button whose label contains `label`."""
        found = [
            str(b["callback_data"])
            for row in self.inline_keyboard
            for b in row
            if label.lower() in str(b["text"]).lower() and "callback_data" in b
        ]
        if len(found) != 1:
            raise AssertionError(f"expected one button {label!r}, got {found} in {self.labels}")
        return found[0]


class Gate:
    """Holds matching requests until released; `reached` is set when one arrives."""

    def __init__(self, method: str) -> None:
        self.method = method
        self.reached = asyncio.Event()
        self._open = asyncio.Event()

    def release(self) -> None:
        self._open.set()

    async def pass_through(self) -> None:
        self.reached.set()
        await self._open.wait()


@dataclass
class Failure:
    """A scripted error answer (or a hang) for matching calls."""

    method: str | None
    chat_id: int | None
    status: int
    description: str
    retry_after: int | None = None
    times: int | None = 1  # None: every matching call
    hang: bool = False

    def matches(self, method: str, chat_id: int | None) -> bool:
        return (self.method is None or self.method == method) and (
            self.chat_id is None or self.chat_id == chat_id
        )


class _EntityChecker(HTMLParser):
    """Telegram's HTML parse mode: only its tags, every `<` and `&` escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.plain: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS and self.error is None:
            self.error = f'Unsupported start tag "{tag}"'

    def handle_endtag(self, tag: str) -> None:
        if tag not in HTML_TAGS and self.error is None:
            self.error = f'Unsupported end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.plain.append(data)


def parse_html(text: str) -> tuple[str, str | None]:
    """The plain text Telegram would show, and the parse error it would report."""
    for index, char in enumerate(text):
        if char == "&":
            rest = text[index : index + 10]
            if not any(rest.startswith(e) for e in ("&lt;", "&gt;", "&amp;", "&quot;", "&#")):
                return text, f"Can't find end of the entity starting at byte offset {index}"
    checker = _EntityChecker()
    checker.feed(text)
    checker.close()
    if checker.rawdata:  # an unterminated "<..." the parser is still holding
        return text, "Unclosed start tag"
    return "".join(checker.plain), checker.error


class FakeTelegramAPI:
    """Run with `await api.start()` (returns the base URL for TELEGRAM_API_BASE)."""

    def __init__(
        self,
        token: str = TOKEN,
        *,
        flood_limit: int | None = None,
        chat_limit: bool = False,
        scale: float = 1.0,
    ) -> None:
        self.token = token
        # Telegram's flood limits, judged on arrival times like the real servers: at most
        # `flood_limit` messages in any one-second window, one per second to a chat; above
        # them 429 "retry after 1". `scale` compresses the clock (virtual s per real s).
        self.flood_limit = flood_limit
        self.chat_limit = chat_limit
        self.scale = scale
        self.arrivals: list[tuple[float, int | None]] = []  # accepted sends: (clock, chat)
        self.answers: Counter[int] = Counter()
        self._window: deque[float] = deque()
        self._chat_last: dict[int | None, float] = {}
        self._origin = time.monotonic()
        self.calls: list[ApiCall] = []
        self.failures: list[Failure] = []
        self.blocked: set[int] = set()
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, bytes)
        self.downloads: list[str] = []  # file paths fetched from /file/bot<token>/...
        self._message_ids = itertools.count(100)
        self.gates: list[Gate] = []
        self._new_updates = asyncio.Event()
        self._release = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- running ---------------------------------------------------------------------
    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        app.router.add_get("/stats", self._stats)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- scripting -------------------------------------------------------------------
    def fail(
        self,
        method: str | None = None,
        *,
        chat_id: int | None = None,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        times: int | None = 1,
    ) -> None:
        if status == 429 and description == "Internal Server Error":
            description = f"Too Many Requests: retry after {retry_after or 1}"
        self.failures.append(
            Failure(method, chat_id, status, description, retry_after=retry_after, times=times)
        )

    def rate_limit(
        self, method: str | None = None, *, retry_after: int = 1, times: int = 1
    ) -> None:
        self.fail(method, status=429, retry_after=retry_after, times=times)

    def block(self, chat_id: int) -> None:
        """The resident blocked the bot: every send to them answers 403 from now on."""
        self.blocked.add(chat_id)

    def chat_not_found(self, chat_id: int) -> None:
        self.fail(
            chat_id=chat_id, status=400, description="Bad Request: chat not found", times=None
        )

    def hang(self, method: str | None = None, *, times: int | None = 1) -> None:
        """Receive (and record) matching requests, then never answer them."""
        self.failures.append(Failure(method, None, 0, "", times=times, hang=True))

    def pause(self, method: str) -> Gate:
        """Hold the next `method` call until the test releases it (then answer normally)."""
        gate = Gate(method)
        self.gates.append(gate)
        return gate

    async def wait_for(self, predicate: Callable[[], bool], guard: float = 20.0) -> None:
        """Wait until `predicate()` holds after some call; `guard` only stops a broken
        test from hanging forever."""

        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(until(), guard)

    def push_update(self, update: dict[str, Any]) -> None:
        self.updates.append(update)
        self._new_updates.set()

    # --- reading ---------------------------------------------------------------------
    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        """Successful messages shown to residents (sends and edits), in order."""
        return [
            c
            for c in self.calls
            if (c.method in SENDING or c.method == "editMessageText")
            and c.status == 200
            and (chat_id is None or c.chat_id == chat_id)
        ]

    def last_message(self, chat_id: int) -> ApiCall:
        shown = [c for c in self.sent(chat_id) if c.inline_keyboard]
        if not shown:
            raise AssertionError(f"no message with buttons was sent to {chat_id}")
        return shown[-1]

    def message_id_of(self, call: ApiCall) -> int:
        if call.method == "editMessageText":
            return int(call.params["message_id"])
        for (chat, message_id), message in self.messages.items():
            if chat == call.chat_id and message.get("_call") is call:
                return message_id
        raise AssertionError("that call sent no message")

    def clock(self) -> float:
        return (time.monotonic() - self._origin) * self.scale

    def stats(self) -> dict[str, Any]:
        """What a benchmark reads: accepted sends, duplicates per chat, answers by status and
        the busiest one-second window, on this server's clock."""
        counts = Counter(chat for _, chat in self.arrivals)
        times = [at for at, _ in self.arrivals]
        return {
            "delivered": len(times),
            "distinct": len(counts),
            "duplicates": sum(n - 1 for n in counts.values()),
            "answers": {str(status): n for status, n in sorted(self.answers.items())},
            "max_in_window": max_in_window(times),
            "first": min(times, default=0.0),
            "last": max(times, default=0.0),
        }

    async def _stats(self, _request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    def _flood(self, call: ApiCall) -> bool:
        """Over a flood limit: answer 429 instead of sending."""
        if self.flood_limit is None and not self.chat_limit:
            return False
        now = self.clock()
        while self._window and self._window[0] + 1.0 <= now:
            self._window.popleft()
        if self.flood_limit is not None and len(self._window) >= self.flood_limit:
            return True
        last = self._chat_last.get(call.chat_id)
        return self.chat_limit and last is not None and now - last < 1.0

    def _accepted(self, call: ApiCall) -> None:
        now = self.clock()
        self._window.append(now)
        self._chat_last[call.chat_id] = now
        self.arrivals.append((now, call.chat_id))

    # --- the API ---------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        try:
            response = await self._answer(request)
            self.answers[response.status] += 1
            return response
        finally:
            async with self._changed:
                self._changed.notify_all()

    async def _answer(self, request: web.Request) -> web.Response:
        params, files = await self._read(request)
        method = request.match_info["method"]
        call = ApiCall(method, params, files, at=time.monotonic())
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            return self._error(call, 401, "Unauthorized")
        for gate in list(self.gates):
            if gate.method == method:
                self.gates.remove(gate)
                await gate.pass_through()
                break
        failure = self._scripted(method, call.chat_id)
        if failure is not None:
            if failure.hang:
                call.status = 0
                await self._release.wait()
                raise web.HTTPServiceUnavailable()
            return self._error(call, failure.status, failure.description, failure.retry_after)
        if method in SENDING and call.chat_id in self.blocked:
            return self._error(call, 403, "Forbidden: bot was blocked by the user")
        if method in SENDING and self._flood(call):
            return self._error(call, 429, "Too Many Requests: retry after 1", retry_after=1)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(call, 404, "Not Found")
        try:
            result = await handler(call)
        except _ApiError as exc:
            return self._error(call, exc.status, exc.description)
        if method in SENDING:
            self._accepted(call)
        return web.json_response({"ok": True, "result": result})

    async def _read(self, request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
                continue
            text = str(value)
            params[key] = json.loads(text) if key in JSON_FIELDS else text
        return params, files

    def _scripted(self, method: str, chat_id: int | None) -> Failure | None:
        for failure in self.failures:
            if failure.matches(method, chat_id):
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times <= 0:
                        self.failures.remove(failure)
                return failure
        return None

    def _error(
        self, call: ApiCall, status: int, description: str, retry_after: int | None = None
    ) -> web.Response:
        call.status = status
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    # --- methods ---------------------------------------------------------------------
    @staticmethod
    def file(call: ApiCall, key: str) -> UploadedFile | None:
        """A file sent directly in `key`, or by `attach://<name>` reference (aiogram's way)."""
        reference = str(call.params.get(key, ""))
        if reference.startswith("attach://"):
            return call.files.get(reference.removeprefix("attach://"))
        return call.files.get(key)

    def _check_text(self, call: ApiCall, key: str = "text") -> str:
        raw = str(call.params.get(key, ""))
        plain = raw
        if call.params.get("parse_mode") == "HTML":
            plain, error = parse_html(raw)
            if error is not None:
                raise _ApiError(400, f"Bad Request: can't parse entities: {error}")
        if not plain.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(plain) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        call.plain_text = plain
        return plain

    def _check_markup(self, call: ApiCall) -> None:
        for row in call.inline_keyboard:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                    raise _ApiError(
                        400, f"Bad Request: inline keyboard button URL '{url}' is invalid"
                    )
                if data is None and url is None:
                    raise _ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )

    def _message(self, call: ApiCall, **content: Any) -> dict[str, Any]:
        chat_id = call.chat_id
        if chat_id is None:
            raise _ApiError(400, "Bad Request: chat_id is empty")
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private", "first_name": "Resident"},
            "date": int(time.time()),
            **content,
        }
        if call.inline_keyboard:
            message["reply_markup"] = {"inline_keyboard": call.inline_keyboard}
        self.messages[(chat_id, message_id)] = {**message, "_call": call}
        return message

    # --- files ---------------------------------------------------------------------------
    def add_file(self, file_id: str, data: bytes, file_path: str | None = None) -> None:
        """A file a resident sent: `getFile` describes it, its file URL serves it."""
        self.files[file_id] = (file_path or f"photos/{file_id}.jpg", data)

    async def _m_getFile(self, call: ApiCall) -> Any:
        file_id = str(call.params.get("file_id", ""))
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        path, data = self.files[file_id]
        if len(data) > BOT_FILE_LIMIT:
            raise _ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}"[:32],
            "file_size": len(data),
            "file_path": path,
        }

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        for stored_path, data in self.files.values():
            if stored_path == path:
                self.downloads.append(path)
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    async def _m_getMe(self, call: ApiCall) -> Any:
        return {**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False}

    async def _m_sendMessage(self, call: ApiCall) -> Any:
        text = self._check_text(call)
        self._check_markup(call)
        return self._message(call, text=text)

    async def _m_editMessageText(self, call: ApiCall) -> Any:
        text = self._check_text(call)
        self._check_markup(call)
        key = (call.chat_id or 0, int(call.params.get("message_id", 0)))
        current = self.messages.get(key)
        if current is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        markup = {"inline_keyboard": call.inline_keyboard} if call.inline_keyboard else None
        if current.get("text") == text and current.get("reply_markup") == markup:
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        current["text"] = text
        current.pop("reply_markup", None)
        if markup is not None:
            current["reply_markup"] = markup
        current["edit_date"] = int(time.time())
        return {k: v for k, v in current.items() if k != "_call"}

    async def _m_sendLocation(self, call: ApiCall) -> Any:
        location = {
            "latitude": float(call.params["latitude"]),
            "longitude": float(call.params["longitude"]),
        }
        return self._message(call, location=location)

    async def _m_sendVenue(self, call: ApiCall) -> Any:
        location = {
            "latitude": float(call.params["latitude"]),
            "longitude": float(call.params["longitude"]),
        }
        venue = {
            "location": location,
            "title": call.params["title"],
            "address": call.params["address"],
        }
        return self._message(call, location=location, venue=venue)

    async def _m_sendDocument(self, call: ApiCall) -> Any:
        upload = self.file(call, "document")
        if upload is None:
            raise _ApiError(400, "Bad Request: there is no document in the request")
        document = {
            "file_id": f"BQACAgIAAxkBAAI{len(self.calls)}",
            "file_unique_id": f"AgAD{len(self.calls)}",
            "file_name": upload.filename,
            "mime_type": upload.content_type,
            "file_size": len(upload.content),
        }
        return self._message(call, document=document)

    async def _m_answerCallbackQuery(self, call: ApiCall) -> Any:
        if not call.params.get("callback_query_id"):
            raise _ApiError(400, "Bad Request: query is too old and response timeout expired")
        return True

    async def _m_setWebhook(self, call: ApiCall) -> Any:
        self.webhook = dict(call.params)
        return True

    async def _m_deleteWebhook(self, call: ApiCall) -> Any:
        self.webhook = {}
        return True

    async def _m_getWebhookInfo(self, call: ApiCall) -> Any:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    async def _m_setMyCommands(self, call: ApiCall) -> Any:
        self.commands[str(call.params.get("language_code", ""))] = call.params["commands"]
        return True

    async def _m_setMyDescription(self, call: ApiCall) -> Any:
        language = str(call.params.get("language_code", ""))
        self.descriptions[language] = str(call.params.get("description", ""))
        return True

    async def _m_setMyShortDescription(self, call: ApiCall) -> Any:
        return True

    async def _m_getUpdates(self, call: ApiCall) -> Any:
        if self.webhook.get("url"):
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(call.params.get("offset", 0))
        if offset:  # confirms every update below the offset
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(call.params.get("timeout", 0))
        if not self.updates and timeout > 0:
            self._new_updates.clear()
            try:
                await asyncio.wait_for(self._new_updates.wait(), timeout)
            except TimeoutError:
                return []
        limit = int(call.params.get("limit", 100))
        return self.updates[:limit]


BOT_FILE_LIMIT = 20 * 1024 * 1024  # bots may download files up to 20 MB


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- realistic updates ------------------------------------------------------------------
_update_ids = itertools.count(500_000_000)


@dataclass
class TelegramUser:
    """A resident in Telegram: builds the Update JSON their actions produce."""

    id: int
    first_name: str = "Оксана"
    last_name: str | None = "Коваль"
    language_code: str | None = "uk"
    username: str | None = None
    _message_ids: Any = field(default_factory=lambda: itertools.count(1))

    def user(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        return chat

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "from": self.user(),
            "chat": self.chat(),
            "date": int(time.time()),
            **content,
        }

    def _update(self, **body: Any) -> dict[str, Any]:
        return {"update_id": next(_update_ids), **body}

    def text(self, text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(" ", 1)[0]
            length = len(command.encode("utf-16-le")) // 2
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._update(message=self._message(**content))

    def press(self, data: str, message_id: int, message_text: str = "") -> dict[str, Any]:
        message = {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": self.chat(),
            "date": int(time.time()),
            "text": message_text or "…",
        }
        query = {
            "id": f"{self.id}{next(_update_ids)}",
            "from": self.user(),
            "message": message,
            "chat_instance": f"-{self.id}77",
            "data": data,
        }
        return self._update(callback_query=query)

    def location(self, latitude: float, longitude: float) -> dict[str, Any]:
        return self._update(
            message=self._message(location={"latitude": latitude, "longitude": longitude})
        )

    def contact(self, phone: str, own: bool = True) -> dict[str, Any]:
        contact: dict[str, Any] = {"phone_number": phone, "first_name": self.first_name}
        if own:
            contact["user_id"] = self.id
        return self._update(message=self._message(contact=contact))

    def photo(
        self,
        file_id: str,
        *,
        width: int = 1280,
        height: int = 960,
        size: int | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """A photo message as Telegram sends it: several sizes of one picture, the largest
        last, each with its own file id (the API's `add_file` holds the largest's bytes)."""
        sizes = [
            {
                "file_id": f"{file_id}-s",
                "file_unique_id": f"{file_id}-us"[:32],
                "width": max(1, width // 4),
                "height": max(1, height // 4),
                "file_size": 1000,
            },
            {
                "file_id": file_id,
                "file_unique_id": f"{file_id}-u"[:32],
                "width": width,
                "height": height,
                **({"file_size": size} if size is not None else {}),
            },
        ]
        extra = {"caption": caption} if caption is not None else {}
        return self._update(message=self._message(photo=sizes, **extra))

    def document(
        self, file_id: str, *, file_name: str, mime_type: str, size: int | None = None
    ) -> dict[str, Any]:
        """A file sent "as a file" (a photo sent this way keeps its EXIF)."""
        document: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"{file_id}-u"[:32],
            "file_name": file_name,
            "mime_type": mime_type,
        }
        if size is not None:
            document["file_size"] = size
        return self._update(message=self._message(document=document))

    def sticker(self) -> dict[str, Any]:
        sticker = {
            "file_id": "CAACAgIAAxkBAAEBsticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._update(message=self._message(sticker=sticker))

    def voice(self) -> dict[str, Any]:
        voice = {"file_id": "AwACAgIAAxkBvoice", "file_unique_id": "AgADvoice", "duration": 3}
        return self._update(message=self._message(voice=voice))

    def edited(self, text: str) -> dict[str, Any]:
        message = self._message(text=text, edit_date=int(time.time()))
        return self._update(edited_message=message)

    def member_change(self, old: str, new: str) -> dict[str, Any]:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": BOT_USER}
            if status == "kicked":
                data["until_date"] = 0
            return data

        change = {
            "chat": self.chat(),
            "from": self.user(),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return self._update(my_chat_member=change)

    def blocks_bot(self) -> dict[str, Any]:
        return self.member_change("member", "kicked")

    def unblocks_bot(self) -> dict[str, Any]:
        return self.member_change("kicked", "member")


def escaped(text: str) -> str:
    return html.escape(text, quote=False)


async def _serve(args: argparse.Namespace) -> None:
    # As in tests/delivery/fake_platform.py: no full garbage collections over the calls this
    # server keeps, whose pauses would stamp queued requests together as a burst.
    gc.set_threshold(*gc.get_threshold()[:2], 1_000_000_000)
    api = FakeTelegramAPI(flood_limit=args.limit, chat_limit=True, scale=args.scale)
    print(await api.start(args.port), flush=True)
    await asyncio.Event().wait()


def main() -> None:
    """`python -m tests.fakes.telegram_api --limit 1000`: the fake Bot API on its own, with
    Telegram's flood limits (the delivery benchmark runs it so); `GET /stats` reports."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--scale", type=float, default=1.0)
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
