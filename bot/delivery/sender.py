"""The sender of one channel token: claims due outbox rows, renders each in its resident's
language, sends it through the channel adapter at the platform's limits, and records what
happened.

    elect (PostgreSQL advisory lock: one sender per token across instances) →
    return expired claims (rows in `sending` past their lease) at once →
    return abandoned claims (rows in `sending` claimed by another holder) after the grace →
    loop: claim due rows (quiet hours: urgent only; an air-raid alert: what may go, see
          bot/delivery/alerts.py) → skip muted / inactive residents, stale reminders →
          per row: wait for a rate slot → adapter.deliver → outcome → batched write

Outcomes: SENT → sent with the platform's message id; GONE → resident inactive, row skipped;
RATE_LIMITED → the whole token pauses for `retry_after` and the row is retried without
counting an attempt; TRANSIENT → exponential backoff with jitter, failed after
`max_attempts`; PERMANENT → failed; UNKNOWN (timed out after sending) → unknown, never
resent; CONFIG → the sender stops sending on this token and the row stays pending.

At most `concurrency` rows are claimed and not yet recorded, so a crash can repeat no more
than that many messages (a platform has no idempotency key).

Failover: every claim carries its holder — this instance and election term
(`ChannelSender.holder`). A sender checks its lock every `election_check` seconds, each check
bounded by `election_timeout`, and stops claiming and sending as soon as a check fails; so
`takeover_grace` (the sum) after a new sender is elected, no former holder is still sending,
and the new one gives back at once every `sending` row claimed by another holder: the
messages a killed sender had claimed go out seconds after the election, not after the lease
(which stays as the last resort, for claims without a holder). An outcome is written only
while its row is still claimed by the writer, so a late former holder never overwrites what
the new one did. A row given back this way counts in `reclaims`: its message may have reached
the resident twice (broadcast reports say how many). `stop_nowait(grace)` (SIGTERM)
stops claiming and gives back, as pending, the rows no request has left for yet; the sends in
flight get `grace` seconds to finish and be recorded as usual; a send still in flight then is
cut off and recorded `unknown` (the platform may have shown it), never resent.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import random
import secrets
import socket
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot import metrics
from bot.core.i18n import I18n
from bot.core.messages import Reply
from bot.core.ports import ChannelAdapter, DeliveryResult, DeliveryStatus
from bot.delivery import rendering
from bot.delivery.alerts import AlertMonitor
from bot.delivery.limits import Clock, TokenLimiter
from bot.delivery.quiet import QuietHours
from storage import clock
from storage.db import Database
from storage.models.outbox import FAILED, PENDING, SENT, SKIPPED, UNKNOWN
from storage.repos.delivery import ClaimCursor, ClaimedRow, DeliveryRepo, lease
from storage.repos.residents import ResidentRepo

log = logging.getLogger(__name__)

STANDBY = "standby"
# Seconds between claims that scan from the start of the due range (higher-priority rows,
# rows whose lease expired); the claims in between continue from the last claimed row.
FULL_CLAIM_EVERY = 1.0
SENDING = "sending"
HALTED = "halted"
STOPPED = "stopped"
# This process, as the claims and the `svoi_sender_elected` metric name it.
INSTANCE = f"{socket.gethostname()}:{os.getpid()}"


@runtime_checkable
class BroadcastCapable(Protocol):
    """A channel that can send one message to many users in one call (Viber's
    `broadcast_message`, ≤ 300 receivers), all of them reading `locale`. It returns either
    one `DeliveryResult` for the whole call (rate limited, bad token, server error) or a
    mapping user id → result; receivers absent from the mapping were sent. A receiver
    whose result is RATE_LIMITED is sent again after the token's pause."""

    async def broadcast(
        self, user_ids: Sequence[str], reply: Reply, *, locale: str | None = None
    ) -> DeliveryResult | Mapping[str, DeliveryResult]: ...


@dataclass(frozen=True)
class SenderConfig:
    rate_per_second: float
    chat_interval: float = 1.1
    concurrency: int = 16
    max_attempts: int = 5
    lease_seconds: float = 60.0
    backoff_base: float = 2.0
    backoff_cap: float = 900.0
    default_retry_after: float = 1.0
    poll_interval: float = 0.5
    flush_interval: float = 0.05
    flush_size: int = 200
    broadcast_batch: int = 0
    stop_timeout: float = 8.0
    election_retry: float = 2.0
    election_check: float = 3.0
    election_timeout: float = 2.0

    @property
    def takeover_grace(self) -> float:
        """How long a newly elected sender waits before giving back other holders' claims:
        by then a former holder that lost the lock has noticed and stopped sending."""
        return self.election_check + self.election_timeout


def lock_key(channel: str, token_id: str = "") -> int:
    """A stable signed 64-bit advisory-lock key for one channel token."""
    digest = hashlib.sha256(f"svoi-delivery:{channel}:{token_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Election:
    """One sender per token: a session-level PostgreSQL advisory lock held on a dedicated
    connection (autocommit, so it never sits idle in a transaction). SQLite serves a single
    instance, so the only sender there is always elected."""

    def __init__(self, db: Database, key: int, timeout: float = 2.0) -> None:
        self.db = db
        self.key = key
        self.timeout = timeout
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> bool:
        if self.db.is_sqlite:
            return True
        conn = await self.db.engine.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            got = (
                await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
            ).scalar_one()
        except Exception:
            await conn.close()
            raise
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def alive(self) -> bool:
        if self.db.is_sqlite:
            return True
        if self._conn is None:
            return False
        try:
            # Bounded: a connection cut off without a word (a network partition) would
            # hang; a sender unsure of its lock must stop, since another may hold it now.
            await asyncio.wait_for(self._conn.execute(text("SELECT 1")), self.timeout)
        except Exception as exc:  # noqa: BLE001 - a broken connection means the lock is gone
            log.warning("sender lost its election connection: %s", type(exc).__name__)
            return False
        return True

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        except Exception as exc:  # noqa: BLE001 - closing the connection frees the lock anyway
            log.warning("advisory unlock failed: %s", type(exc).__name__)
        finally:
            await conn.close()


class ChannelSender:
    def __init__(
        self,
        db: Database,
        i18n: I18n,
        adapter: ChannelAdapter,
        config: SenderConfig,
        quiet: QuietHours,
        *,
        clock: Clock | None = None,
        token_id: str = "",
        alerts: AlertMonitor | None = None,
    ) -> None:
        self.db = db
        self.alerts = alerts
        self.i18n = i18n
        self.adapter = adapter
        self.channel = adapter.name
        self.config = config
        self.quiet = quiet
        self.limiter = TokenLimiter(config.rate_per_second, config.chat_interval, clock)
        self.election = Election(
            db, lock_key(self.channel, token_id), timeout=config.election_timeout
        )
        self.state = STANDBY
        # Who claims: this instance and election term (a new one each time it is elected).
        self.holder = f"{INSTANCE}:{secrets.token_hex(4)}"
        metrics.prepare_sender(self.channel, INSTANCE)
        self.stats: Counter[str] = Counter()
        self._broadcasts = config.broadcast_batch > 0 and isinstance(adapter, BroadcastCapable)
        self._capacity = max(config.concurrency, config.broadcast_batch if self._broadcasts else 0)
        self._stopping = asyncio.Event()
        self._room = asyncio.Event()
        self._flush_now = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._outcomes: list[dict[str, Any]] = []
        self._gone: list[str] = []
        self._held: set[int] = set()
        self._cursor: ClaimCursor | None = None
        self._next_full_claim = 0.0
        self._outstanding = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._queued: set[asyncio.Task[Any]] = set()
        self._drain_by: float | None = None  # loop time when sends in flight are cut off

    # --- lifecycle ---------------------------------------------------------------------
    async def run(self) -> None:
        """Serve until `stop()`: stand by until elected, then send."""
        flusher = asyncio.create_task(self._flush_loop())
        try:
            while not self._stopping.is_set():
                try:
                    elected = await self.election.acquire()
                except Exception as exc:  # noqa: BLE001 - the database may be restarting
                    log.warning("sender %s: election failed: %s", self.channel, exc)
                    elected = False
                if not elected:
                    self.state = STANDBY
                    await self._sleep(self.config.election_retry)
                    continue
                self.holder = f"{INSTANCE}:{secrets.token_hex(4)}"[:64]
                log.info(
                    "sender %s elected (%s)",
                    self.channel,
                    self.holder,
                    extra={"channel": self.channel},
                )
                metrics.ELECTIONS.labels(self.channel).inc()
                metrics.ELECTED.labels(self.channel, INSTANCE).set(1)
                try:
                    await self._serve()
                finally:
                    metrics.ELECTED.labels(self.channel, INSTANCE).set(0)
                    await self._drain()
                    await self.election.release()
                if self.state == HALTED:
                    await self._stopping.wait()
        finally:
            flusher.cancel()
            await asyncio.gather(flusher, return_exceptions=True)
            await self._flush()
            self.state = STOPPED

    def stop_nowait(self, grace: float | None = None) -> None:
        """Stop claiming; rows still waiting for a rate slot go back to pending. Sends in
        flight get `grace` seconds, at most `config.stop_timeout`, to finish."""
        if self._drain_by is None:
            limit = self.config.stop_timeout
            seconds = limit if grace is None else min(grace, limit)
            self._drain_by = asyncio.get_running_loop().time() + max(0.0, seconds)
        self._stopping.set()
        self._room.set()
        for task in list(self._queued):
            task.cancel()

    # --- the claim loop ----------------------------------------------------------------
    async def _serve(self) -> None:
        self.state = SENDING
        loop_clock = asyncio.get_running_loop().time
        await self._reclaim()
        last_reclaim = last_check = loop_clock()
        takeover_at: float | None = last_check + self.config.takeover_grace
        while not self._stopping.is_set() and self.state == SENDING:
            now = loop_clock()
            if now - last_check >= self.config.election_check:
                last_check = now
                if not await self.election.alive():
                    self.state = STANDBY
                    return
            if takeover_at is not None and now >= takeover_at:
                # Every former holder has stopped by now: their claims are abandoned.
                takeover_at = None
                await self._reclaim_abandoned()
            if now - last_reclaim >= self.config.lease_seconds / 2:
                last_reclaim = now
                await self._reclaim()
                if takeover_at is None:
                    await self._reclaim_abandoned()
            paused = self.limiter.paused_for()
            if paused > 0:
                await self._sleep(min(paused, self.config.poll_interval))
                continue
            room = self._capacity - self._outstanding
            # Claim in batches, not one row per freed slot: fewer, larger transactions.
            if room <= 0 or (self._outstanding and room < self._capacity // 4):
                self._room.clear()
                await self._wait(self._room, self.config.poll_interval)
                continue
            try:
                claimed = await self._claim(room)
            except Exception:
                log.exception("sender %s: claim failed", self.channel)
                await self._sleep(self.config.poll_interval)
                continue
            if not claimed:
                await self._sleep(self.config.poll_interval)

    async def _claim(self, room: int) -> int:
        now = clock.now()
        quiet = self.quiet.is_quiet(now)
        alert = self.alerts is not None and self.alerts.holding(now)
        loop_time = asyncio.get_running_loop().time()
        # Between full claims, continue after the last claimed row (see ClaimCursor).
        cursor = self._cursor if loop_time < self._next_full_claim else None
        async with self.db.transaction() as session:
            repo = DeliveryRepo(session)
            claim = functools.partial(
                repo.claim,
                self.channel,
                now,
                room,
                lease(now, self.config.lease_seconds),
                urgent_only=quiet,
                alert=alert,
                holder=self.holder,
            )
            rows = await claim(after=cursor)
            if cursor is None:
                self._next_full_claim = loop_time + FULL_CLAIM_EVERY
            elif not rows:
                rows = await claim()
                self._next_full_claim = loop_time + FULL_CLAIM_EVERY
            if not rows:
                self._cursor = None
                return 0
            last = max((row.cursor for row in rows), key=ClaimCursor.sort_key)
            if self._cursor is None or last.sort_key() > self._cursor.sort_key():
                self._cursor = last
            recipients = await repo.recipients(
                self.channel,
                (r.user_id for r in rows),
                (r.resident_id for r in rows if r.resident_id is not None),
            )
            mutes = await repo.mutes(r.resident_id for r in recipients.values())
            skips: list[dict[str, Any]] = []
            to_send: list[tuple[ClaimedRow, str]] = []
            for row in rows:
                recipient = recipients.get(row.user_id)
                if recipient is not None and not recipient.is_active:
                    skips.append(self._outcome(row, SKIPPED, row.attempts, error="inactive"))
                elif recipient is not None and (recipient.resident_id, row.category) in mutes:
                    skips.append(self._outcome(row, SKIPPED, row.attempts, error="muted"))
                elif self._stale_after_alert(row, now):
                    skips.append(self._outcome(row, SKIPPED, row.attempts, error="stale"))
                else:
                    locale = recipient.locale if recipient else self.i18n.default_locale
                    to_send.append((row, locale))
            await repo.record(skips)
        self.stats["skipped"] += len(skips)
        self._outstanding += len(to_send)
        self._held.update(row.id for row, _ in to_send)
        self._dispatch(to_send)
        return len(rows)

    def _stale_after_alert(self, row: ClaimedRow, now: datetime) -> bool:
        """A reminder held over an air-raid alert and no longer relevant (AlertMonitor)."""
        return (
            self.alerts is not None
            and metrics.delivery_kind(row.kind) == "reminder"
            and self.alerts.stale_reminder(row.created_at, now)
        )

    def _dispatch(self, rows: list[tuple[ClaimedRow, str]]) -> None:
        groups: dict[tuple[int, str], list[ClaimedRow]] = {}
        for row, locale in rows:
            if self._broadcasts and row.broadcast_id is not None and row.text is not None:
                groups.setdefault((row.broadcast_id, locale), []).append(row)
            else:
                self._spawn(self._send_one(row, locale))
        size = max(1, self.config.broadcast_batch)
        for (_, locale), members in groups.items():
            for start in range(0, len(members), size):
                self._spawn(self._send_group(members[start : start + size], locale))

    def _spawn(self, coro: Any) -> None:
        # A task joins `_queued` itself once running: cancelling a task that never started
        # would skip its handler and leave its row claimed.
        task: asyncio.Task[None] = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._queued.discard)

    # --- sending -------------------------------------------------------------------------
    def _replies(self, row: ClaimedRow, locale: str) -> list[Reply]:
        reply = rendering.compose(
            self.i18n,
            locale,
            text=row.text,
            template_key=row.template_key,
            template_args=row.template_args,
            buttons=row.buttons,
            category=row.category,
        )
        return rendering.for_channel(reply, self.adapter.capabilities, self.i18n, locale)

    async def _deliver(self, user_id: str, reply: Reply) -> DeliveryResult:
        try:
            return await self.adapter.deliver(user_id, reply)
        except Exception as exc:
            log.exception("sender %s: adapter raised", self.channel)
            return DeliveryResult(DeliveryStatus.TRANSIENT, error=f"adapter: {type(exc).__name__}")

    async def _send_one(self, row: ClaimedRow, locale: str) -> None:
        if self._stopping.is_set():  # claimed just as the sender was stopping
            self._release(row, "stopped before sending")
            return
        me = asyncio.current_task()
        if me is not None:
            self._queued.add(me)
        try:
            parts = self._replies(row, locale)
        except Exception as exc:
            log.exception("sender %s: cannot render outbox row %s", self.channel, row.id)
            self._settle(row, DeliveryResult(DeliveryStatus.PERMANENT, error=f"render: {exc}"))
            return
        result = DeliveryResult(DeliveryStatus.PERMANENT, error="empty message")
        for index, part in enumerate(parts):
            while True:
                try:
                    await self.limiter.acquire(row.user_id)
                except asyncio.CancelledError:
                    if index == 0:  # nothing went out yet: give the row back untouched
                        self._release(row, "stopped before sending")
                        return
                    # Cut off between parts: the first ones were shown, so never resend.
                    self._settle(row, DeliveryResult(DeliveryStatus.UNKNOWN, error="cut off"))
                    raise
                if me is not None:
                    self._queued.discard(me)
                try:
                    result = await self._deliver(row.user_id, part)
                except asyncio.CancelledError:
                    # Cut off mid-request at shutdown: it may have arrived, so never resend.
                    self._settle(row, DeliveryResult(DeliveryStatus.UNKNOWN, error="cut off"))
                    raise
                if result.status is not DeliveryStatus.RATE_LIMITED:
                    break
                self._rate_limited(result)
                if self._stopping.is_set() and index == 0:
                    self._release(row, "rate limited while stopping")
                    return
                if me is not None and index == 0:
                    self._queued.add(me)
            if not result.ok:
                break
        self._settle(row, result)

    async def _send_group(self, rows: list[ClaimedRow], locale: str) -> None:
        if self._stopping.is_set():
            for row in rows:
                self._release(row, "stopped before sending")
            return
        parts = self._replies(rows[0], locale)
        if len(parts) != 1:  # a long text the platform splits: one resident at a time
            for index, row in enumerate(rows):
                try:
                    await self._send_one(row, locale)
                except asyncio.CancelledError:
                    for later in rows[index + 1 :]:  # never started: pending again
                        self._release(later, "stopped before sending")
                    raise
            return
        assert isinstance(self.adapter, BroadcastCapable)
        me = asyncio.current_task()
        if me is not None:
            self._queued.add(me)
        while True:
            try:
                await self.limiter.acquire(None)
            except asyncio.CancelledError:
                for row in rows:
                    self._release(row, "stopped before sending")
                return
            if me is not None:
                self._queued.discard(me)
            try:
                answer = await self.adapter.broadcast(
                    [r.user_id for r in rows], parts[0], locale=locale
                )
            except asyncio.CancelledError:
                for row in rows:
                    self._settle(row, DeliveryResult(DeliveryStatus.UNKNOWN, error="cut off"))
                raise
            except Exception as exc:
                log.exception("sender %s: broadcast raised", self.channel)
                answer = DeliveryResult(DeliveryStatus.TRANSIENT, error=type(exc).__name__)
            sent = DeliveryResult(DeliveryStatus.SENT)
            results = (
                dict.fromkeys((row.user_id for row in rows), answer)
                if isinstance(answer, DeliveryResult)
                else answer
            )
            limited: list[ClaimedRow] = []
            for row in rows:
                result = results.get(row.user_id, sent)
                if result.status is DeliveryStatus.RATE_LIMITED:
                    if not limited:
                        self._rate_limited(result)
                    limited.append(row)
                else:
                    self._settle(row, result)
            if not limited:
                return
            # Rate limited, for the whole call or some receivers: after the token's pause,
            # the same message again to them, without counting an attempt.
            if self._stopping.is_set():
                for row in limited:
                    self._release(row, "rate limited while stopping")
                return
            rows = limited
            if me is not None:
                self._queued.add(me)

    def _rate_limited(self, result: DeliveryResult) -> None:
        seconds = result.retry_after or self.config.default_retry_after
        self.stats["rate_limited"] += 1
        metrics.RATE_LIMITED.labels(self.channel).inc()
        metrics.SENDS.labels(self.channel, "rate_limited").inc()
        log.warning(
            "sender %s: rate limited, pausing the token for %.1f s",
            self.channel,
            seconds,
            extra={"channel": self.channel},
        )
        self.limiter.pause(seconds)

    # --- outcomes ------------------------------------------------------------------------
    def _outcome(
        self,
        row: ClaimedRow,
        status: str,
        attempts: int,
        *,
        error: str | None = None,
        message_id: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> dict[str, Any]:
        now = clock.now()
        return {
            "b_id": row.id,
            "b_status": status,
            "b_attempts": attempts,
            "b_next_attempt_at": next_attempt_at or now,
            "b_message_id": message_id[:64] if message_id else None,
            "b_error": error[:500] if error else None,
            "b_sent_at": now if status == SENT else None,
            "b_holder": row.claimed_by,
        }

    def _release(self, row: ClaimedRow, reason: str) -> None:
        self.stats["released"] += 1
        self._add(self._outcome(row, PENDING, row.attempts, error=reason))

    def _settle(self, row: ClaimedRow, result: DeliveryResult) -> None:
        status = result.status
        tried = row.attempts + 1
        retry = status is DeliveryStatus.TRANSIENT and tried < self.config.max_attempts
        metrics.SENDS.labels(self.channel, metrics.send_result(status, retry=retry)).inc()
        if status is DeliveryStatus.SENT:
            self.stats["sent"] += 1
            outcome = self._outcome(row, SENT, tried, message_id=result.message_id)
            if row.created_at is not None:
                metrics.SEND_DELAY.labels(self.channel, metrics.delivery_kind(row.kind)).observe(
                    max(0.0, (clock.now() - row.created_at).total_seconds())
                )
        elif status is DeliveryStatus.GONE:
            self.stats["gone"] += 1
            self._gone.append(row.user_id)
            outcome = self._outcome(row, SKIPPED, tried, error=f"gone: {result.error or ''}")
        elif status is DeliveryStatus.UNKNOWN:
            self.stats["unknown"] += 1
            outcome = self._outcome(row, UNKNOWN, tried, error=result.error or "timed out")
        elif status is DeliveryStatus.CONFIG:
            self._halt(result)
            self._release(row, f"config: {result.error or ''}")
            return
        elif status is DeliveryStatus.TRANSIENT and tried < self.config.max_attempts:
            self.stats["retried"] += 1
            outcome = self._outcome(
                row,
                PENDING,
                tried,
                error=result.error,
                next_attempt_at=clock.now() + timedelta(seconds=self._backoff(tried)),
            )
        else:  # PERMANENT, a TRANSIENT one too many times, or rate limited while stopping
            self.stats["failed"] += 1
            outcome = self._outcome(row, FAILED, tried, error=result.error or status.value)
        self._add(outcome)

    def _backoff(self, attempts: int) -> float:
        """Exponential with "equal jitter": half fixed, half random, so retries spread out."""
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2.0 ** (attempts - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _halt(self, result: DeliveryResult) -> None:
        if self.state == HALTED:
            return
        self.state = HALTED
        metrics.ELECTED.labels(self.channel, INSTANCE).set(0)  # elected, but not sending
        log.error(
            "sender %s: the platform rejected our configuration (%s); sending on this token "
            "is STOPPED and its messages stay pending until an operator fixes the token or "
            "webhook settings and restarts the service",
            self.channel,
            result.error or "no detail",
            extra={"channel": self.channel},
        )

    def _add(self, outcome: dict[str, Any]) -> None:
        self._outcomes.append(outcome)
        if len(self._outcomes) >= self.config.flush_size:
            self._flush_now.set()

    async def _flush_loop(self) -> None:
        while True:
            await self._wait(self._flush_now, self.config.flush_interval)
            self._flush_now.clear()
            await self._flush()

    async def _flush(self) -> None:
        async with self._flush_lock:
            if not self._outcomes and not self._gone:
                return
            batch, self._outcomes = self._outcomes, []
            gone, self._gone = self._gone, []
            try:
                async with self.db.transaction() as session:
                    await DeliveryRepo(session).record(batch)
                    residents = ResidentRepo(session)
                    for user_id in gone:
                        await residents.mark_inactive(self.channel, user_id)
            except Exception:
                # Keep them: the rows stay claimed (and counted) until their outcome is written.
                log.exception("sender %s: recording %d outcomes failed", self.channel, len(batch))
                self._outcomes[:0] = batch
                self._gone[:0] = gone
                await asyncio.sleep(1.0)
                return
            for outcome in batch:
                self._held.discard(outcome["b_id"])
            self._outstanding -= len(batch)
            self._room.set()

    async def _reclaim(self) -> None:
        try:
            async with self.db.transaction() as session:
                count = await DeliveryRepo(session).reclaim_expired(
                    self.channel, clock.now(), keep=self._held
                )
        except Exception:
            log.exception("sender %s: returning abandoned claims failed", self.channel)
            return
        if count:
            self._cursor = None
            metrics.RECLAIMED.labels(self.channel, "lease").inc(count)
            log.warning(
                "sender %s: %d rows whose lease expired are pending again",
                self.channel,
                count,
                extra={"channel": self.channel},
            )

    async def _reclaim_abandoned(self) -> None:
        """Give back the claims of every other holder (see the module's docstring)."""
        try:
            async with self.db.transaction() as session:
                count = await DeliveryRepo(session).reclaim_abandoned(
                    self.channel, self.holder, keep=self._held
                )
        except Exception:
            log.exception("sender %s: returning abandoned claims failed", self.channel)
            return
        if count:
            self._cursor = None  # the next claim scans from the front, where they are
            metrics.RECLAIMED.labels(self.channel, "abandoned").inc(count)
            log.warning(
                "sender %s: %d rows claimed by a sender that lost the lock are pending again "
                "(their messages may reach residents twice)",
                self.channel,
                count,
                extra={"channel": self.channel},
            )

    async def _drain(self) -> None:
        """Give back the rows no request has left for, let the sends in flight finish until
        the stop's deadline, cut off the rest (recorded `unknown`), write every outcome."""
        for task in list(self._queued):
            task.cancel()
        if self._tasks:
            loop_time = asyncio.get_running_loop().time()
            deadline = (
                self._drain_by
                if self._drain_by is not None
                else loop_time + self.config.stop_timeout
            )
            _done, late = await asyncio.wait(
                set(self._tasks), timeout=max(0.0, deadline - loop_time)
            )
            for task in late:
                task.cancel()
            if late:
                log.warning(
                    "sender %s: %d sends still in flight at the deadline were cut off "
                    "and recorded as unknown",
                    self.channel,
                    len(late),
                    extra={"channel": self.channel},
                )
                await asyncio.gather(*late, return_exceptions=True)
        await self._flush()

    # --- waiting -------------------------------------------------------------------------
    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when asked to stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=max(0.0, seconds))

    async def _wait(self, event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=seconds)
