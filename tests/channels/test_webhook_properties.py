"""Property-based tests: random and malformed Telegram updates, Viber callbacks and web chat
actions posted to the running service, and arbitrary bytes in the headers it reads. The
answer is always 2xx or 4xx, never 5xx, and never carries a traceback; input that is not a
platform event or an action (wrong types, missing ids, invalid UTF-8, NUL bytes, JSON nested
too deeply, bad signatures) stores nothing. Run on SQLite and PostgreSQL (which refuses NUL
in text and values longer than a column)."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import Svoi, build_web_app
from bot.channels.telegram import TelegramChannel
from bot.channels.viber import ViberChannel
from bot.channels.web import WebChannel
from bot.channels.web.session import COOKIE, CookieSigner
from bot.config import Settings, TelegramSettings, ViberSettings
from storage.db import Database
from storage.models import InboundEvent
from tests.channels.raw_http import RawAnswer, deeply_nested, raw_request
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegramAPI, TelegramUser
from tests.fakes.viber_api import TOKEN as VIBER_TOKEN
from tests.fakes.viber_api import Callbacks, FakeViberApi, sign
from tests.support.databases import PostgresTestDatabase, SqliteTemplate, truncate_all

SECRET = "fuzz-secret_0123456789"
WEB_SECRET = "fuzz-web-secret-0123456789abcdef"
JSON = {"Content-Type": "application/json"}


@dataclass
class Answer:
    status: int
    body: bytes


@dataclass
class Running:
    """Svoi with both messenger channels and the web chat, served from a thread with its
    own event loop."""

    base: str
    port: int
    loop: asyncio.AbstractEventLoop
    db: Database
    cookie: str  # a web chat session of a resident who exists

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(int(response.status), response.read())
        except urllib.error.HTTPError as error:
            return Answer(int(error.code), error.read())

    def raw(
        self,
        method: str,
        path: str,
        headers: list[tuple[str, bytes]],
        body: bytes = b"",
        *,
        head_only: bool = False,
    ) -> RawAnswer:
        request = raw_request(
            "127.0.0.1", self.port, method, path, headers, body, head_only=head_only
        )
        return asyncio.run_coroutine_threadsafe(request, self.loop).result(timeout=30)

    def stored(self) -> int:
        async def count() -> int:
            async with self.db.transaction() as session:
                return int(
                    (
                        await session.execute(select(func.count()).select_from(InboundEvent))
                    ).scalar_one()
                )

        return asyncio.run_coroutine_threadsafe(count(), self.loop).result(timeout=30)


def _database_url(request: pytest.FixtureRequest, directory: Path) -> str:
    if request.param == "sqlite":
        template = SqliteTemplate(directory)
        template.create()
        return template.copy_to(directory / "svoi.sqlite3")
    pg: PostgresTestDatabase = request.getfixturevalue("postgres_database")
    return pg.url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def running(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    url = _database_url(request, tmp_path_factory.mktemp("fuzz"))
    loop = asyncio.new_event_loop()
    ready: dict[str, Any] = {}

    async def serve() -> None:
        telegram_api, viber_api = FakeTelegramAPI(), FakeViberApi()
        await telegram_api.start()
        await viber_api.start()
        config = Settings(
            database_url=url,
            flood_max_messages=1000,
            web_secret_key=SecretStr(WEB_SECRET),
            web_new_chats_per_hour=100_000,
            telegram=TelegramSettings(  # type: ignore[call-arg]
                bot_token=SecretStr(TELEGRAM_TOKEN),
                webhook_secret=SecretStr(SECRET),
                api_base=telegram_api.url,
                _env_file=None,
            ),
            viber=ViberSettings(  # type: ignore[call-arg]
                auth_token=SecretStr(VIBER_TOKEN), api_base=viber_api.url, _env_file=None
            ),
            _env_file=None,  # type: ignore[call-arg]
        )
        db = Database(url)
        if not db.is_sqlite:
            await truncate_all(db)
        svoi = Svoi.create(config, db)
        app = build_web_app(svoi)
        web_chat = WebChannel(svoi, app, heartbeat=0.2)
        for channel in (
            TelegramChannel(svoi, app, sweep_interval=None, request_timeout=5),
            ViberChannel(svoi, app),
            web_chat,
        ):
            svoi.add_channel(channel)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ready.update(port=runner.addresses[0][1], db=db, runner=runner, web_chat=web_chat)

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(serve(), loop).result(timeout=60)
    port = ready["port"]
    user_id = CookieSigner(WEB_SECRET).new_user_id()
    running = Running(
        f"http://127.0.0.1:{port}",
        port,
        loop,
        ready["db"],
        f"{COOKIE}={CookieSigner(WEB_SECRET).sign(user_id)}",
    )
    start = {"id": "fuzz-resident", "type": "start"}
    started = running.post(
        "/web/api/send", json.dumps(start).encode(), JSON | {"Cookie": running.cookie}
    )
    assert started.status == 200, started
    yield running
    asyncio.run_coroutine_threadsafe(ready["web_chat"].stop(), loop).result(timeout=30)
    asyncio.run_coroutine_threadsafe(ready["runner"].cleanup(), loop).result(timeout=30)
    asyncio.run_coroutine_threadsafe(ready["db"].dispose(), loop).result(timeout=30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def assert_handled(answer: Answer | RawAnswer) -> None:
    """The property: a 2xx or 4xx, and nothing of our insides in the body."""
    assert 200 <= answer.status < 500, answer
    assert b"Traceback" not in answer.body, answer.body[:500]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
huge = st.sampled_from(["x" * 100_000, "\x00" * 1000, "ї" * 50_000, "\u202e" * 500])
# Strings JSON can carry that are not text: NUL and other control characters, lone
# surrogates (json.dumps escapes them, as a browser's JSON.stringify does).
hostile_text = st.text(max_size=40) | st.sampled_from(
    ["\x00", "Оле\x00на", "\ud800", "a\udfffb", "\x1b[2J\x07", "\u0085\u009b", "B" * 129]
)
junk_bytes = (
    st.binary(max_size=2000)
    | st.just(b"\xff\xfe\x00\x00{")
    | st.just(b"")
    | st.just(deeply_nested())
    | st.just(b'{"update_id": 1, "message": ' + deeply_nested(50_000) + b"}")
)

# Telegram-shaped updates with fields of the wrong type or missing.
telegram_like = st.fixed_dictionaries(
    {},
    optional={
        "update_id": st.text(max_size=5) | st.floats(allow_nan=False) | st.none(),
        "message": st.dictionaries(
            st.sampled_from(["text", "chat", "from", "date", "message_id", "sticker"]),
            json_values | huge,
            max_size=5,
        ),
        "callback_query": json_values,
    },
)


def _not_an_update(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return True
    return not (isinstance(data, dict) and type(data.get("update_id")) is int)


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(
    body=junk_bytes
    | json_values.map(lambda v: json.dumps(v).encode())
    | telegram_like.map(lambda v: json.dumps(v).encode())
)
def test_telegram_webhook_never_fails_and_stores_no_junk(running: Running, body: bytes) -> None:
    before = running.stored()
    answer = running.post(
        "/webhook/telegram", body, JSON | {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert_handled(answer)
    if _not_an_update(body):
        assert running.stored() == before


# Viber callbacks from senders whose names and ids are hostile, posted signed.
viber_user = st.builds(Callbacks, user_id=hostile_text, name=hostile_text)
viber_like = viber_user.flatmap(
    lambda user: st.sampled_from(
        [user.conversation_started(), user.subscribed(), user.text("/start"), user.failed(5)]
    )
)


@PROPERTY
@given(
    body=junk_bytes
    | json_values.map(lambda v: json.dumps(v).encode())
    | viber_like.map(lambda v: json.dumps(v).encode()),
    signed=st.booleans(),
)
def test_viber_webhook_never_fails_and_stores_nothing_invalid(
    running: Running, body: bytes, signed: bool
) -> None:
    before = running.stored()
    headers = dict(JSON)
    if signed:
        headers["X-Viber-Content-Signature"] = sign(body, VIBER_TOKEN)
    answer = running.post("/webhook/viber", body, headers)
    assert_handled(answer)
    if not signed:
        assert answer.status == 403
    try:
        data = json.loads(body)
        is_callback = isinstance(data, dict) and isinstance(data.get("message_token"), int)
    except (ValueError, UnicodeDecodeError, RecursionError):
        is_callback = False
    if not (signed and is_callback):
        assert running.stored() == before


action_ids = (f"fuzz{n:08d}" for n in itertools.count())
# Web chat actions with every field possibly of the wrong type, out of range or not text.
action_like = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["text", "start", "button", "location", "contact"]) | json_values,
        "text": hostile_text | json_values,
        "payload": hostile_text | json_values,
        "latitude": st.floats() | json_values,
        "longitude": st.floats() | json_values,
        "phone": hostile_text | json_values,
    },
)


def _with_fresh_id(action: dict[str, Any], keep_id: bool) -> dict[str, Any]:
    return {"id": next(action_ids), **action} if keep_id else action


@PROPERTY
@given(
    body=junk_bytes.filter(lambda b: len(b) <= 16 * 1024)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.builds(_with_fresh_id, action_like, st.booleans()).map(lambda v: json.dumps(v).encode())
    | st.just(deeply_nested(8_000)),
    path=st.sampled_from(["/web/api/send", "/web/api/ack"]),
    with_session=st.booleans(),
)
def test_web_chat_api_never_fails_and_stores_nothing_it_refuses(
    running: Running, body: bytes, path: str, with_session: bool
) -> None:
    before = running.stored()
    headers = JSON | ({"Cookie": running.cookie} if with_session else {})
    answer = running.post(path, body, headers)
    assert_handled(answer)
    if answer.status >= 400:
        assert running.stored() == before
        assert isinstance(json.loads(answer.body)["error"], str)


# Header values as bytes: anything but the line breaks that end a header.
header_value = st.binary(max_size=300).map(
    lambda b: b.replace(b"\r", b"").replace(b"\n", b"")
) | st.sampled_from(
    [
        b"\xff\xfe",
        b"\xc3\x28",
        b"\xed\xa0\x80",  # a surrogate, encoded
        "²".encode(),
        "١٢".encode(),
        b"http://[::1",
        b"\x00",
        b"svoi_web=\xff",
        SECRET.encode() + b"\xff",
    ]
)
HEADERS = (
    "X-Telegram-Bot-Api-Secret-Token",
    "X-Viber-Content-Signature",
    "Origin",
    "Cookie",
    "Accept-Language",
    "X-Forwarded-For",
    "Content-Type",
    "Last-Event-ID",
    "Host",
)


def _request_for(running: Running, target: str) -> tuple[str, str, bytes, dict[str, bytes]]:
    """A valid request to `target`: the hostile header is then the only thing wrong."""
    if target == "telegram":
        body = json.dumps(TelegramUser(77_000_001).text("/help")).encode()
        secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET.encode()}
        return "POST", "/webhook/telegram", body, {"Content-Type": b"application/json"} | secret
    if target == "viber":
        body = json.dumps(Callbacks("headers==").text("/help")).encode()
        signature = {"X-Viber-Content-Signature": sign(body, VIBER_TOKEN).encode()}
        return "POST", "/webhook/viber", body, {"Content-Type": b"application/json"} | signature
    session = {"Cookie": running.cookie.encode(), "Content-Type": b"application/json"}
    if target == "send":
        body = json.dumps({"id": next(action_ids), "type": "text", "text": "/help"}).encode()
        return "POST", "/web/api/send", body, session
    if target == "ack":
        return "POST", "/web/api/ack", b'{"ids": [1]}', session
    if target == "events":
        return "GET", "/web/api/events", b"", session
    return "GET", "/", b"", session


@PROPERTY
@given(
    target=st.sampled_from(["telegram", "viber", "send", "ack", "events", "page"]),
    name=st.sampled_from(HEADERS),
    value=header_value,
)
def test_no_header_value_makes_a_500(
    running: Running, target: str, name: str, value: bytes
) -> None:
    method, path, body, headers = _request_for(running, target)
    headers[name] = value
    answer = running.raw(
        method, path, list(headers.items()), body, head_only=path == "/web/api/events"
    )
    assert_handled(answer)


def test_the_property_sees_a_real_update(running: Running) -> None:
    before = running.stored()
    update = {
        "update_id": 424242,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "text": "/start",
            "chat": {"id": 777, "type": "private"},
            "from": {"id": 777, "is_bot": False, "first_name": "Оля"},
        },
    }
    answer = running.post(
        "/webhook/telegram",
        json.dumps(update).encode(),
        JSON | {"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert answer.status == 200 and running.stored() == before + 1


def test_the_property_sees_a_real_web_action(running: Running) -> None:
    before = running.stored()
    action = {"id": next(action_ids), "type": "text", "text": "/help"}
    answer = running.post(
        "/web/api/send", json.dumps(action).encode(), JSON | {"Cookie": running.cookie}
    )
    assert answer.status == 200 and json.loads(answer.body)["messages"]
    assert running.stored() == before + 1
