"""Property-based tests: random and malformed Telegram updates and Viber callbacks posted to
the running webhooks. The answer is always 2xx or 4xx, never 5xx, and input that is not a
platform event (wrong types, missing ids, invalid UTF-8, NUL bytes, bad signatures) stores
nothing."""

from __future__ import annotations

import asyncio
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
from bot.config import Settings, TelegramSettings, ViberSettings
from storage.db import Database
from storage.models import InboundEvent
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import TOKEN as VIBER_TOKEN
from tests.fakes.viber_api import FakeViberApi, sign
from tests.support.databases import SqliteTemplate

SECRET = "fuzz-secret_0123456789"


@dataclass
class Running:
    """Svoi with both messenger channels, served from a thread with its own event loop."""

    base: str
    loop: asyncio.AbstractEventLoop
    db: Database

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def stored(self) -> int:
        async def count() -> int:
            async with self.db.transaction() as session:
                return int(
                    (
                        await session.execute(select(func.count()).select_from(InboundEvent))
                    ).scalar_one()
                )

        return asyncio.run_coroutine_threadsafe(count(), self.loop).result(timeout=30)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    directory = tmp_path_factory.mktemp("fuzz")
    template = SqliteTemplate(directory)
    template.create()
    url = template.copy_to(directory / "svoi.sqlite3")
    loop = asyncio.new_event_loop()
    ready: dict[str, Any] = {}
    started = threading.Event()

    async def serve() -> None:
        telegram_api, viber_api = FakeTelegramAPI(), FakeViberApi()
        await telegram_api.start()
        await viber_api.start()
        config = Settings(
            database_url=url,
            flood_max_messages=1000,
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
        svoi = Svoi.create(config, db)
        app = build_web_app(svoi)
        for channel in (
            TelegramChannel(svoi, app, sweep_interval=None, request_timeout=5),
            ViberChannel(svoi, app),
        ):
            svoi.add_channel(channel)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ready.update(port=runner.addresses[0][1], db=db, runner=runner)
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(serve(), loop).result(timeout=60)
    started.wait(60)
    yield Running(f"http://127.0.0.1:{ready['port']}", loop, ready["db"])
    asyncio.run_coroutine_threadsafe(ready["runner"].cleanup(), loop).result(timeout=30)
    asyncio.run_coroutine_threadsafe(ready["db"].dispose(), loop).result(timeout=30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
huge = st.sampled_from(["x" * 100_000, "\x00" * 1000, "ї" * 50_000, "\u202e" * 500])
junk_bytes = st.binary(max_size=2000) | st.just(b"\xff\xfe\x00\x00{") | st.just(b"")

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
    except (ValueError, UnicodeDecodeError):
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
    status = running.post(
        "/webhook/telegram",
        body,
        {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert 200 <= status < 500
    if _not_an_update(body):
        assert running.stored() == before


@PROPERTY
@given(body=junk_bytes | json_values.map(lambda v: json.dumps(v).encode()), signed=st.booleans())
def test_viber_webhook_never_fails_and_stores_nothing_invalid(
    running: Running, body: bytes, signed: bool
) -> None:
    before = running.stored()
    headers = {"Content-Type": "application/json"}
    if signed:
        headers["X-Viber-Content-Signature"] = sign(body, VIBER_TOKEN)
    status = running.post("/webhook/viber", body, headers)
    assert 200 <= status < 500
    if not signed:
        assert status == 403
    try:
        data = json.loads(body)
        is_callback = isinstance(data, dict) and isinstance(data.get("message_token"), int)
    except (ValueError, UnicodeDecodeError):
        is_callback = False
    if not (signed and is_callback):
        assert running.stored() == before


def test_the_property_sees_a_real_update(running: Running, tmp_path: Path) -> None:
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
    status = running.post(
        "/webhook/telegram",
        json.dumps(update).encode(),
        {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert status == 200 and running.stored() == before + 1
