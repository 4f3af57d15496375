"""The inbound runner every messenger channel uses: record → acknowledge → run → retry/sweep.

A platform event is recorded in `inbound_events` (under the platform's id for it) before
the platform hears back, so an event is never lost once acknowledged and a repeated
delivery has exactly one effect. The adapter keeps what is its platform's own — checking
the request (Telegram's secret header, Viber's signature, the web's session), reading the
event, answering it, sending the replies — and hands the rest to one runner per channel.

Platforms differ in when they want their answer, so the runner has two entry points:

`run_now` — answered after the turn (Viber, whose welcome message goes in the response
    body; the web chat, whose replies do): the event is recorded, the turn runs, the
    caller answers. The database failing to record raises, the caller answers 503 and the
    platform sends the event again. A repeat is passed on: the engine's inbox claim gives
    it no effect once the first delivery finished, and runs it if it never did (a crash
    between recording and the end of the turn). The platform's retry is the retry.

`accept` — answered before the turn (Telegram): recorded in a group commit (`InboxWriter`)
    → True (200), False for a duplicate (200, nothing else; counted in
    svoi_updates_duplicate_total), None when the database could not record it (503, the
    platform delivers it again). The turn then runs in the background, events of one key
    (a chat) one after another in arrival order. A failure outside the engine is noted on
    the event and `sweep` runs it again, up to `max_attempts` times (once the turn has
    committed the event is done: replies that then fail to go out are not sent again);
    `sweep` also re-runs events recorded but never processed (a crash). Any instance may
    sweep at any time: the engine's inbox claim makes a second run a no-op.

On SQLite (one writer) background turns run one at a time and share an in-process lock
with the recording of new events instead of polling SQLite's busy handler (which sleeps in
steps of up to 100 ms); on PostgreSQL a few run at once, leaving pool connections free for
recording, so the acknowledgement stays quick.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from bot import metrics
from bot.core.locks import KeyedLock
from bot.core.messages import Incoming, Reply
from bot.core.ports import InboundPort
from storage.db import DATABASE_ERRORS
from storage.repos.inbox import InboxRepo, InboxWriter

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5  # a failure outside the engine is retried by the sweeper this many times


@dataclass(frozen=True, slots=True)
class Job:
    """A recorded event, read by its adapter: `key` orders it (events of one key run one
    after another; None: in no order), `run` processes it (the turn and its replies)."""

    key: Hashable | None
    run: Callable[[], Awaitable[None]]


# The adapter's reader: (event id, raw body) → the job, or None for an event it cannot
# read (closed as failed, not retried).
Reader = Callable[[str, str], Job | None]


class InboundRunner:
    """Record, acknowledge, run and retry the events of one channel (see the module doc)."""

    def __init__(
        self,
        port: InboundPort,
        channel: str,
        read: Reader | None = None,
        *,
        max_concurrent_turns: int | None = None,
        sweep_after: timedelta = timedelta(seconds=60),
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.port = port
        self.channel = channel
        self._read = read
        self.sweep_after = sweep_after
        self.max_attempts = max_attempts
        sqlite = port.db.is_sqlite
        self._turns = asyncio.Semaphore(max_concurrent_turns or (1 if sqlite else 8))
        self._writer: asyncio.Lock | None = asyncio.Lock() if sqlite else None
        # Events arriving together are recorded in one commit, under the writer lock.
        self._inbox = InboxWriter(port.db, guard=self.writing)
        self._keys: KeyedLock[Hashable] = KeyedLock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[str] = set()
        self._sweeper: asyncio.Task[None] | None = None

    # --- answered after the turn -----------------------------------------------------
    async def run_now(self, incoming: Incoming, body: str) -> list[Reply]:
        """Record the event (`incoming.event_id`) and run its turn; the replies are the
        caller's to answer with. Raises the database's error when it could not record."""
        assert incoming.event_id is not None
        fresh = await self.port.record_event(self.channel, incoming.event_id, body)
        if not fresh:
            log.info(
                "repeated %s event",
                self.channel,
                extra={"channel": self.channel, "event_id": incoming.event_id},
            )
        return await self.port.run_turn(incoming)

    # --- answered before the turn ----------------------------------------------------
    async def accept(self, event_id: str, body: str) -> bool | None:
        """Record one event and start processing it; False for a duplicate, None when the
        database could not record it (the platform must deliver it again)."""
        try:
            fresh = await self._inbox.record(self.channel, event_id, body)
        except DATABASE_ERRORS as exc:
            log.warning(
                "could not record %s event %s: %s", self.channel, event_id, type(exc).__name__
            )
            return None
        if not fresh:
            log.info("duplicate %s event %s", self.channel, event_id)
            metrics.DUPLICATES.labels(self.channel).inc()
            return False
        self._in_flight.add(event_id)
        task = asyncio.create_task(self._run(event_id, self._job(event_id, body)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def turn(self, incoming: Incoming) -> list[Reply]:
        """Run a background event's turn (under SQLite's writer lock)."""
        async with self.writing():
            return await self.port.run_turn(incoming)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Hold SQLite's one writer for this channel (a no-op on PostgreSQL)."""
        if self._writer is None:
            yield
            return
        async with self._writer:
            yield

    async def close(self, event_id: str, error: str | None = None) -> None:
        """Mark an event that runs no turn as handled (or as failed, with the reason)."""
        async with self.port.db.transaction() as session:
            inbox = InboxRepo(session)
            if error is None:
                await inbox.claim_done(self.channel, event_id)
                return
            if await inbox.claim(self.channel, event_id) is not None:
                await inbox.mark_attempt_failed(self.channel, event_id, error, max_attempts=1)

    def _job(self, event_id: str, body: str) -> Job | None:
        assert self._read is not None, "accept needs the adapter's reader"
        return self._read(event_id, body)

    async def _run(self, event_id: str, job: Job | None) -> None:
        async def go() -> None:
            async with self._turns:
                try:
                    if job is None:
                        await self.close(event_id, error="unreadable update")
                    else:
                        await job.run()
                except Exception as exc:  # kept for the sweeper, never dropped
                    log.exception("%s event %s failed", self.channel, event_id)
                    await self._attempt_failed(event_id, f"{type(exc).__name__}: {exc}")

        try:
            if job is None or job.key is None:
                await go()
            else:
                await self._keys.run(job.key, go)
        finally:
            self._in_flight.discard(event_id)

    async def _attempt_failed(self, event_id: str, error: str) -> None:
        try:
            async with self.port.db.transaction() as session:
                await InboxRepo(session).mark_attempt_failed(
                    self.channel, event_id, error, max_attempts=self.max_attempts
                )
        except DATABASE_ERRORS as exc:
            log.warning(
                "could not note the failure of %s event %s: %s",
                self.channel,
                event_id,
                type(exc).__name__,
            )

    # --- retry -----------------------------------------------------------------------
    async def sweep(self, older_than: timedelta | None = None, limit: int = 100) -> int:
        """Re-run events recorded at least `older_than` ago and still not processed;
        returns how many were run. Safe to call from any instance at any time."""
        async with self.port.db.transaction() as session:
            events = await InboxRepo(session).pending(
                self.channel, self.sweep_after if older_than is None else older_than, limit
            )
            pending = [(event.event_id, event.body) for event in events]
        count = 0
        for event_id, body in pending:
            if event_id in self._in_flight:
                continue
            self._in_flight.add(event_id)
            log.info("sweeper re-runs %s event %s", self.channel, event_id)
            await self._run(event_id, self._job(event_id, body))
            count += 1
        return count

    def start_sweeping(self, interval: float) -> None:
        """Sweep every `interval` seconds until `stop`."""
        self._sweeper = asyncio.create_task(self._sweep_forever(interval))

    async def _sweep_forever(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.sweep()
            except DATABASE_ERRORS as exc:
                log.warning(
                    "%s sweeper could not read the inbox: %s", self.channel, type(exc).__name__
                )

    async def drain(self) -> None:
        """Wait until every event taken so far has been processed."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self, grace: float) -> None:
        """Stop the sweeper and let running turns finish, up to `grace` seconds; those cut
        off stay in the inbox for the next sweep."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        if self._tasks:
            _done, pending = await asyncio.wait(list(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
