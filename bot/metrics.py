"""Prometheus metrics: what the city's IT staff graph and alert on (see docs/operations.md).

Counters live in one registry for the process; gauges that describe the database (outbox depth)
are read when /metrics is scraped.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select

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
    "Outbound messages by channel and result",
    ["channel", "result"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "svoi_rate_limited",
    "429 / tooManyRequests answers from a platform",
    ["channel"],
    registry=REGISTRY,
)
TICK_LAG = Gauge(
    "svoi_scheduler_tick_lag_seconds", "How late the last scheduler tick ran", registry=REGISTRY
)
OUTBOX = Gauge("svoi_outbox_messages", "Outbox rows by status", ["status"], registry=REGISTRY)


async def refresh_outbox_gauge(db: Database) -> None:
    async with db.transaction() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        counts = {status: count for status, count in rows}
    for status in STATUSES:
        OUTBOX.labels(status).set(counts.get(status, 0))


def exposition() -> bytes:
    return generate_latest(REGISTRY)
