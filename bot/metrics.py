"""Prometheus metrics: what the city's IT staff graph and alert on (see docs/operations.md).

Counters live in one registry for the process; the one gauge that describes the database
(outbox rows by status) is read when /metrics is scraped, with one grouped count. Broadcast
progress is set by the broadcast supervisor, which reads it anyway, not at scrape time.

Every metric here is in the table of docs/operations.md (tests/test_metrics.py reads the table
and drives each metric), and the shipped alert rules and dashboard (deploy/) name only these.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select

from bot.core.ports import DeliveryStatus
from storage.db import Database
from storage.models.outbox import STATUSES, OutboxMessage

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter(
    "svoi_updates_received", "Inbound events handled, by channel", ["channel"], registry=REGISTRY
)
DUPLICATES = Counter(
    "svoi_updates_duplicate",
    "Inbound events delivered again and ignored",
    ["channel"],
    registry=REGISTRY,
)
TURN_SECONDS = Histogram(
    "svoi_turn_seconds",
    "Time to run one turn (database included)",
    ["channel"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
TURN_ERRORS = Counter(
    "svoi_turn_errors",
    "Turns that failed and were answered with an apology",
    ["channel"],
    registry=REGISTRY,
)
FLOOD_IGNORED = Counter(
    "svoi_flood_ignored",
    "Messages ignored because a resident sent too many",
    ["channel"],
    registry=REGISTRY,
)
SENDS = Counter(
    "svoi_sends",
    "Outbox send attempts by channel and result: sent, blocked, retry, failed, unknown, "
    "config, rate_limited",
    ["channel", "result"],
    registry=REGISTRY,
)
SEND_RESULTS = ("sent", "blocked", "retry", "failed", "unknown", "config", "rate_limited")
RATE_LIMITED = Counter(
    "svoi_rate_limited",
    "429 / tooManyRequests answers from a platform",
    ["channel"],
    registry=REGISTRY,
)
SEND_DELAY = Histogram(
    "svoi_send_delay_seconds",
    "Time from enqueuing an outbox message to sending it, by channel and kind "
    "(reply, broadcast, reminder)",
    ["channel", "kind"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600, 14400),
    registry=REGISTRY,
)
ELECTED = Gauge(
    "svoi_sender_elected",
    "1 while this process (`sender`: host:pid) is the elected, sending sender of the "
    "channel's token",
    ["channel", "sender"],
    registry=REGISTRY,
)
ELECTIONS = Counter(
    "svoi_sender_elections",
    "Times this instance was elected the sender of a channel's token (a takeover after the first)",
    ["channel"],
    registry=REGISTRY,
)
RECLAIMED = Counter(
    "svoi_outbox_reclaimed",
    "Claimed outbox rows given back as pending: abandoned by a sender that lost the lock, or "
    "past their lease (their messages may reach residents twice)",
    ["channel", "reason"],
    registry=REGISTRY,
)
BROADCAST_MESSAGES = Gauge(
    "svoi_broadcast_messages",
    "Messages of each running broadcast by state: sent, blocked, failed, waiting, skipped",
    ["broadcast", "state"],
    registry=REGISTRY,
)
BROADCAST_STATES = ("sent", "blocked", "failed", "waiting", "skipped")
TICK_LAG = Gauge(
    "svoi_scheduler_tick_lag_seconds", "How late the last scheduler tick ran", registry=REGISTRY
)
SCHEDULER_TICKS = Counter(
    "svoi_scheduler_ticks",
    "Scheduled job runs by job and result: run, failed, skipped (missed or still running)",
    ["job", "result"],
    registry=REGISTRY,
)
OUTBOX = Gauge("svoi_outbox_messages", "Outbox rows by status", ["status"], registry=REGISTRY)
ALERT_ACTIVE = Gauge(
    "svoi_alert_active",
    "1 while an air-raid alert holds this instance's non-urgent notifications",
    registry=REGISTRY,
)
ALERT_FEED_ERRORS = Counter(
    "svoi_alert_feed_errors",
    "Failed polls of the alerts.in.ua feed (HTTP errors, timeouts, unexpected answers)",
    registry=REGISTRY,
)


async def refresh_outbox_gauge(db: Database) -> None:
    async with db.transaction() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        counts = {status: count for status, count in rows}
    for status in STATUSES:
        OUTBOX.labels(status).set(counts.get(status, 0))


def prepare_sender(channel: str, sender: str) -> None:
    """Create a sender's series at zero, so `increase()` over them and the alerts that
    compare them work from the first scrape on, before anything happened."""
    for result in SEND_RESULTS:
        SENDS.labels(channel, result)
    RATE_LIMITED.labels(channel)
    ELECTIONS.labels(channel)
    for reason in ("abandoned", "lease"):
        RECLAIMED.labels(channel, reason)
    ELECTED.labels(channel, sender).set(0)


def send_result(status: DeliveryStatus, *, retry: bool) -> str:
    """The `result` label of one settled send."""
    if status is DeliveryStatus.SENT:
        return "sent"
    if status is DeliveryStatus.GONE:
        return "blocked"
    if status is DeliveryStatus.UNKNOWN:
        return "unknown"
    if status is DeliveryStatus.CONFIG:
        return "config"
    if status is DeliveryStatus.RATE_LIMITED:
        return "rate_limited"
    return "retry" if retry else "failed"


def delivery_kind(kind: str) -> str:
    """The `kind` label of an outbox row: broadcast, reminder, or reply (everything else a
    resident gets because of something they or an operator did: answers, reports, notices)."""
    if kind == "broadcast":
        return "broadcast"
    if "reminder" in kind:
        return "reminder"
    return "reply"


_broadcasts_shown: set[str] = set()


def set_broadcast_progress(running: Mapping[int, Mapping[str, int]]) -> None:
    """The progress of the running broadcasts (by id: state → messages); broadcasts that
    finished since the last call leave the metric."""
    shown = {str(broadcast_id) for broadcast_id in running}
    for gone in _broadcasts_shown - shown:
        for state in BROADCAST_STATES:
            with contextlib.suppress(KeyError):
                BROADCAST_MESSAGES.remove(gone, state)
    _broadcasts_shown.clear()
    _broadcasts_shown.update(shown)
    for broadcast_id, states in running.items():
        for state in BROADCAST_STATES:
            BROADCAST_MESSAGES.labels(str(broadcast_id), state).set(states.get(state, 0))


def exposition() -> bytes:
    return generate_latest(REGISTRY)
