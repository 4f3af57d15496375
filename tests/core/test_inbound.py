"""The inbound runner on its own: an event whose adapter fails before the turn is retried
by the sweeper until it gives up; a repeat has no second effect; an unreadable event is
closed.

The "adapter" here is the smallest one a new channel could start with: it reads a body
into a job that looks up the resident's board (the step that can fail, like Telegram's
stored button payloads), runs the turn and "shows" the replies in a list."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.app import Svoi
from bot.core.capabilities import WEB
from bot.core.inbound import InboundRunner, Job
from bot.core.messages import Address, Incoming
from storage.repos.inbox import InboxRepo

CHANNEL = "board"


class Noticeboard:
    """A channel whose own lookup can fail, to see what the runner does about it."""

    def __init__(self, svoi: Svoi, *, max_attempts: int = 5) -> None:
        svoi.engine.register_channel(CHANNEL, WEB)
        self.runner = InboundRunner(svoi, CHANNEL, self.read, max_attempts=max_attempts)
        self.shown: list[tuple[str, str]] = []
        self.lookup_down = False

    def read(self, event_id: str, body: str) -> Job | None:
        data = json.loads(body)
        incoming = Incoming.text_message(
            Address(CHANNEL, data["from"]), data["text"], event_id=event_id
        )

        async def run() -> None:
            if self.lookup_down:
                raise ConnectionError("the noticeboard's lookup is down")
            replies = await self.runner.turn(incoming)
            self.shown.extend((data["from"], reply.text) for reply in replies)

        return Job(data["from"], run)

    async def post(self, event_id: str, sender: str, text: str) -> bool | None:
        body = json.dumps({"from": sender, "text": text})
        accepted = await self.runner.accept(event_id, body)
        await self.runner.drain()
        return accepted


async def _event(svoi: Svoi, event_id: str) -> tuple[str, int, str | None]:
    async with svoi.db.transaction() as session:
        event = await InboxRepo(session).get(CHANNEL, event_id)
        assert event is not None
        return event.status, event.attempts, event.error


async def test_a_failure_before_the_turn_is_retried_by_the_sweeper_until_it_works(
    svoi: Svoi,
) -> None:
    board = Noticeboard(svoi)
    assert await board.post("1", "olena", "/start") is True
    asked = len(board.shown)  # the language question

    board.lookup_down = True
    assert await board.post("2", "olena", "Українська") is True
    status, attempts, error = await _event(svoi, "2")
    assert (status, attempts) == ("received", 1)
    assert error == "ConnectionError: the noticeboard's lookup is down"
    assert len(board.shown) == asked

    board.lookup_down = False
    assert await board.runner.sweep(older_than=timedelta(0)) == 1
    assert (await _event(svoi, "2"))[0] == "done"
    assert len(board.shown) > asked  # the answer to her choice, late but once
    assert await board.runner.sweep(older_than=timedelta(0)) == 0


async def test_the_sweeper_gives_up_after_the_last_attempt(svoi: Svoi) -> None:
    board = Noticeboard(svoi, max_attempts=2)
    board.lookup_down = True
    assert await board.post("5", "mykola", "/start") is True
    assert await board.runner.sweep(older_than=timedelta(0)) == 1
    assert (await _event(svoi, "5"))[:2] == ("failed", 2)
    assert await board.runner.sweep(older_than=timedelta(0)) == 0  # given up: not run again
    assert board.shown == []


async def test_a_repeated_event_is_acknowledged_without_a_second_turn(svoi: Svoi) -> None:
    board = Noticeboard(svoi)
    assert await board.post("10", "taras", "/start") is True
    shown = len(board.shown)
    assert await board.post("10", "taras", "/start") is False
    assert len(board.shown) == shown
    assert await board.runner.sweep(older_than=timedelta(0)) == 0


async def test_an_unreadable_event_is_closed_as_failed(svoi: Svoi) -> None:
    board = Noticeboard(svoi)
    runner = InboundRunner(svoi, CHANNEL, lambda _event_id, _body: None)
    assert await runner.accept("20", "{}") is True
    await runner.drain()
    assert await _event(svoi, "20") == ("failed", 1, "unreadable update")
    assert board.shown == []
