"""The statement budget of a turn (issue 18): how many SQL statements and transactions the
common turns cost through the real webhook path (Telegram Update JSON over HTTP, the fake
Bot API answering), on SQLite and on PostgreSQL.

A common turn is the inbox record (durable before the 200) plus one transaction for the turn.
The counts are deterministic, so this guards the gain without timing anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event, update

from bot.app import Svoi
from bot.core.dialog import Flow, Screen, Turn
from storage.db import Database
from storage.models import DialogState, Resident
from tests.channels.telegram.conftest import Chat, Service, start_service, stop_service
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.telegram import telegram_settings

# At most this many statements and transactions per common turn, webhook to reply: the
# inbox record, then the turn — on PostgreSQL opened in one statement and its dialog state
# written in another (storage/repos/turns.py); SQLite claims, upserts, reads and counts in
# statements of their own.
MAX_STATEMENTS = {"postgresql": 3, "sqlite": 6}
MAX_TRANSACTIONS = 2

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class Counter:
    dialect: str
    statements: list[str] = field(default_factory=list)
    transactions: int = 0
    on: bool = False

    def before_cursor_execute(self, _conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if self.on and not sql.lstrip().upper().startswith(CONTROL):
            self.statements.append(" ".join(sql.split())[:120])

    def begin(self, _conn: Any) -> None:
        if self.on:
            self.transactions += 1

    async def measure(self, action: Callable[[], Awaitable[object]]) -> tuple[int, int]:
        self.statements.clear()
        self.transactions = 0
        self.on = True
        try:
            await action()
        finally:
            self.on = False
        return len(self.statements), self.transactions


@pytest.fixture
async def service(db_url: str, db: Database) -> AsyncIterator[Service]:
    """Svoi with the Telegram channel on a real port, talking to the fake Bot API."""
    api = FakeTelegramAPI()
    await api.start()
    running = await start_service(Svoi.create(telegram_settings(db_url, api.url), db), api)
    yield running
    await stop_service(running)
    await api.stop()


@pytest.fixture
async def counter(db: Database) -> AsyncIterator[Counter]:
    counting = Counter("sqlite" if db.is_sqlite else "postgresql")
    sync_engine = db.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", counting.before_cursor_execute)
    event.listen(sync_engine, "begin", counting.begin)
    yield counting
    event.remove(sync_engine, "before_cursor_execute", counting.before_cursor_execute)
    event.remove(sync_engine, "begin", counting.begin)


async def _echo_render(turn: Turn) -> None:
    turn.say("Type something.")


async def _echo_text(turn: Turn, text: str) -> None:
    turn.set(last=text)
    turn.say(f"You said: {text}")


ECHO = Flow("budget-echo", {"start": Screen(_echo_render, on_text=_echo_text)})


def check(counter: Counter, counts: tuple[int, int], what: str) -> None:
    statements, transactions = counts
    listing = "\n  ".join(counter.statements)
    print(f"{what}: {statements} statements, {transactions} transactions")  # shown with -s
    budget = MAX_STATEMENTS[counter.dialect]
    assert statements <= budget, f"{what}: {statements} statements:\n  {listing}"
    assert transactions <= MAX_TRANSACTIONS, f"{what}: {transactions} transactions"


async def test_start_of_a_new_resident(service: Service, counter: Counter) -> None:
    chat = Chat(service)
    counts = await counter.measure(lambda: chat.send("/start"))
    assert chat.methods == ["sendMessage"]
    check(counter, counts, "/start")


async def test_start_again(service: Service, counter: Counter) -> None:
    chat = Chat(service)
    await chat.onboard()
    counts = await counter.measure(lambda: chat.send("/start"))
    assert "Main menu" in chat.text
    check(counter, counts, "/start again")


async def test_button_press(service: Service, counter: Counter) -> None:
    chat = Chat(service)
    await chat.onboard()
    counts = await counter.measure(lambda: chat.press("⚙️ Settings"))
    assert chat.methods == ["editMessageText"]
    check(counter, counts, "button press")


async def test_text_in_a_flow(service: Service, counter: Counter, db: Database) -> None:
    service.svoi.engine.registry.add_flow(ECHO)
    chat = Chat(service)
    await chat.onboard()
    async with db.transaction() as session:
        resident_id = (
            await session.execute(
                Resident.__table__.select().where(Resident.user_id == str(chat.id))
            )
        ).one()[0]
        await session.execute(
            update(DialogState)
            .where(DialogState.resident_id == resident_id)
            .values(flow=ECHO.name, step="start", data={}, offered=[], numbered=[])
        )
    counts = await counter.measure(lambda: chat.send("hello"))
    assert chat.text == "You said: hello"
    check(counter, counts, "text in a flow")
    counts = await counter.measure(lambda: chat.send("again"))
    assert chat.text == "You said: again"
    check(counter, counts, "text in a flow, again")


async def test_duplicate_update(service: Service, counter: Counter) -> None:
    chat = Chat(service)
    await chat.onboard()
    update_json = chat.user.text("/menu")
    await service.deliver(update_json)
    sent = len(service.api.sent(chat.id))
    counts = await counter.measure(lambda: service.deliver(update_json))
    assert len(service.api.sent(chat.id)) == sent  # exactly one effect
    statements, transactions = counts
    print(f"duplicate: {statements} statements, {transactions} transactions")
    # A duplicate costs the one attempted insert and nothing else.
    assert statements <= 1, counter.statements
    assert transactions <= 1


async def test_webhooks_arriving_together_share_one_commit(svoi: Svoi, counter: Counter) -> None:
    events = [f"burst-{n}" for n in range(20)]
    sent = [*events, "burst-3", "burst-7"]  # two redeliveries inside the same burst

    async def burst() -> list[bool]:
        return list(
            await asyncio.gather(*(svoi.engine.record_event("test", e, "{}") for e in sent))
        )

    results: list[bool] = []

    async def record() -> None:
        results.extend(await burst())

    statements, transactions = await counter.measure(record)
    fresh = [event for event, new in zip(sent, results, strict=True) if new]
    assert sorted(fresh) == sorted(events)  # each event exactly once, duplicates refused
    assert statements <= 2 and transactions <= 2
    assert [await svoi.engine.record_event("test", e, "{}") for e in events[:2]] == [
        False,
        False,
    ]
