"""Air-raid alerts: while an alert is active for the city's region, the senders hold the
non-urgent notifications; they go out after the all-clear (docs/delivery.md, "Air-raid
alerts").

    operator: /alert on|off, «тривога / відбій», the console ─┐
    alerts.in.ua feed (AlertFeed, polled with backoff) ────────┴→ delivery_alerts (one row
    per region, every instance agrees) → AlertMonitor (this process's copy, read every
    second) → ChannelSender._claim: one more condition of the claim query while holding

What is held is decided by the claim query (`storage.repos.delivery.ALERT_EXEMPT_KINDS`):
answers to what a resident or operator did, and urgent rows that are not reminders, go at
once; reminders, progress updates, waste changes, non-urgent broadcasts wait. After the
all-clear a held reminder goes out only while still relevant: one created before the
all-clear and older than `ALERTS_REMINDER_MAX_AGE_MINUTES` is skipped (`stale`), as the
reminder tick skips reminders it finds that late.

Fail open: an alert that came from the feed holds notifications only while the feed keeps
confirming it (`ALERTS_STALE_SECONDS`); when the feed fails, sending goes on and /readyz says
`"alerts": "degraded"` (the instance stays in service). An operator's alert holds until an
operator (or a change reported by the feed) ends it.

The feed is the documented HTTP API of alerts.in.ua (https://devs.alerts.in.ua), called with
aiohttp, not through the `alerts-in-ua` client library: that library's `AsyncClient` takes
its base URL from a class constant that its request method reads by the class's own name
(`AsyncClient.API_BASE_URL`), so it can only be pointed at another server (the tests' fake,
a proxy) by changing that constant for the whole process; it also opens a new HTTP session
for every request and repeats a request when the data changed. The endpoint used is the one
its `get_air_raid_alert_status` calls: `GET /v1/iot/active_air_raid_alerts/<uid>.json` with
`Authorization: Bearer <token>`, answering a JSON string: "A" (or "R"/"Y" on v2) alert in the
whole region, "P" part of it (a raion or hromada), "N" none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession

from bot import metrics
from bot.config import Settings
from bot.core.actions import Actor
from storage import clock
from storage.db import Database
from storage.models.delivery import ALERT_API, ALERT_OPERATOR
from storage.repos.delivery import AlertRepo, AlertState

log = logging.getLogger(__name__)

__all__ = [
    "ALERT_API",
    "ALERT_OPERATOR",
    "AlertFeed",
    "AlertMonitor",
    "AlertState",
    "AlertsClient",
    "FeedError",
    "feed_status",
    "switch",
]

ACTIVE = frozenset({"A", "R", "Y"})  # alert in the whole region (v1 "A"; v2 red / yellow)
PARTLY = "P"  # alert in part of the region
NONE = "N"
OFF = "off"
OK = "ok"
DEGRADED = "degraded"
MAX_BACKOFF = 300.0  # seconds between attempts while the feed keeps failing


class FeedError(Exception):
    """The feed did not answer with a status (HTTP error, timeout, unexpected body)."""


@dataclass(frozen=True, slots=True)
class AlertSettings:
    region: str
    stale_after: timedelta
    reminder_max_age: timedelta
    poll_seconds: float
    count_partly: bool
    token: str
    api_base: str

    @classmethod
    def of(cls, settings: Settings) -> AlertSettings:
        return cls(
            region=settings.alerts_region,
            stale_after=timedelta(seconds=settings.alerts_stale_seconds),
            reminder_max_age=timedelta(minutes=settings.alerts_reminder_max_age_minutes),
            poll_seconds=settings.alerts_poll_seconds,
            count_partly=settings.alerts_count_partly,
            token=settings.alerts_api_token.get_secret_value(),
            api_base=settings.alerts_api_base,
        )


# --- the operators' switch ---------------------------------------------------------------
async def switch(
    session: AsyncSession, region: str, active: bool, actor: Actor, now: datetime
) -> bool:
    """An operator declares an alert (`active`) or the all-clear, from the chat or the
    console; audited as `alert-on` / `alert-off` (outcome `unchanged` when it already was).
    Returns True when the state changed."""
    changed = await AlertRepo(session).switch(region, active, ALERT_OPERATOR, now)
    actor.audit(
        session, "alert-on" if active else "alert-off", region, "done" if changed else "unchanged"
    )
    log.warning(
        "air-raid alert %s by an operator (%s)", "declared" if active else "ended", actor.name
    )
    return changed


def in_force(state: AlertState | None, now: datetime, stale_after: timedelta) -> bool:
    """Whether an alert is in force: an operator's alert, or the feed's alert confirmed
    within `stale_after` (a failing feed declares nothing: fail open)."""
    if state is None or not state.active:
        return False
    if state.source != ALERT_API:
        return True
    checked = state.feed_checked_at
    return checked is not None and now - checked <= stale_after


# --- this process's copy of the state --------------------------------------------------
class AlertMonitor:
    """The region's alert state as this process last read it: the senders ask `holding()`
    before each claim (no query), `refresh()` reads the row (every second, in `run`)."""

    def __init__(
        self,
        db: Database,
        region: str,
        *,
        stale_after: timedelta = timedelta(seconds=120),
        reminder_max_age: timedelta = timedelta(minutes=120),
    ) -> None:
        self.db = db
        self.region = region
        self.stale_after = stale_after
        self.reminder_max_age = reminder_max_age
        self.state: AlertState | None = None

    def holding(self, now: datetime) -> bool:
        """True while non-urgent notifications wait (`in_force`)."""
        return in_force(self.state, now, self.stale_after)

    def stale_reminder(self, created_at: datetime | None, now: datetime) -> bool:
        """A reminder held over an alert that is no longer worth sending: created before the
        last all-clear and older than `reminder_max_age`."""
        state = self.state
        if state is None or state.active or created_at is None:
            return False
        return created_at < state.since and now - created_at > self.reminder_max_age

    async def refresh(self) -> None:
        async with self.db.transaction() as session:
            self.state = await AlertRepo(session).get(self.region)
        metrics.ALERT_ACTIVE.set(1 if self.holding(clock.now()) else 0)

    async def run(self, stopping: asyncio.Event, every: float = 1.0) -> None:
        try:
            while not stopping.is_set():
                try:
                    await self.refresh()
                except Exception as exc:  # noqa: BLE001 - keep the last state meanwhile
                    log.warning("alert state: reading failed: %s", type(exc).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=every)
        finally:
            metrics.ALERT_ACTIVE.set(0)  # a stopped service holds nothing


# --- the alerts.in.ua feed ---------------------------------------------------------------
class AlertsClient:
    """The one alerts.in.ua call Svoi needs (see the module's docstring)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def status(self, region: str) -> str:
        """The region's status letter: "A" / "R" / "Y" (alert), "P" (partly), "N" (none)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        url = f"{self.base_url}/v1/iot/active_air_raid_alerts/{region}.json"
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        try:
            async with self._session.get(url, headers=headers) as response:
                if response.status != 200:
                    raise FeedError(f"HTTP {response.status}")
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise FeedError(type(exc).__name__) from exc
        letter = body.strip()[:1] if isinstance(body, str) else ""
        if letter not in ACTIVE | {PARTLY, NONE}:
            raise FeedError("unexpected answer")
        return letter

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


_FEEDS: weakref.WeakKeyDictionary[Database, AlertFeed] = weakref.WeakKeyDictionary()


def feed_status(db: Database) -> str:
    """For /readyz: `off` (no token), `ok`, or `degraded` (the last poll failed)."""
    feed = _FEEDS.get(db)
    return feed.status if feed is not None else OFF


class AlertFeed:
    """Polls alerts.in.ua every `interval` seconds and records each reading; after a
    failure it waits longer each time (doubling, with jitter, up to `MAX_BACKOFF`), and
    the feed's alert stops holding notifications once it is `stale_after` old."""

    def __init__(
        self,
        db: Database,
        client: AlertsClient,
        region: str,
        *,
        interval: float = 30.0,
        count_partly: bool = True,
        monitor: AlertMonitor | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.region = region
        self.interval = interval
        self.count_partly = count_partly
        self.monitor = monitor
        self.status = OK
        self.failures = 0

    def active(self, letter: str) -> bool:
        return letter in ACTIVE or (letter == PARTLY and self.count_partly)

    async def poll(self) -> bool:
        """One reading, recorded; returns whether the feed reports an alert."""
        try:
            letter = await self.client.status(self.region)
        except FeedError as exc:
            self._failed(str(exc))
            raise
        active = self.active(letter)
        async with self.db.transaction() as session:
            changed = await AlertRepo(session).feed(self.region, active, clock.now())
        if self.failures:
            log.info("alerts feed: answering again after %d failures", self.failures)
        self.failures = 0
        self.status = OK
        if changed:
            log.warning("air-raid alert %s (alerts.in.ua)", "declared" if active else "ended")
        if self.monitor is not None:
            await self.monitor.refresh()
        return active

    def _failed(self, error: str) -> None:
        self.failures += 1
        self.status = DEGRADED
        metrics.ALERT_FEED_ERRORS.inc()
        log.warning("alerts feed failed (%d in a row): %s", self.failures, error)

    def delay(self) -> float:
        if not self.failures:
            return self.interval
        ceiling = min(MAX_BACKOFF, self.interval * 2.0**self.failures)
        return max(self.interval, ceiling / 2 + random.uniform(0, ceiling / 2))

    async def run(self, stopping: asyncio.Event) -> None:
        _FEEDS[self.db] = self  # /readyz reports this feed while it runs
        try:
            while not stopping.is_set():
                try:
                    await self.poll()
                except FeedError:
                    pass
                except Exception:  # the database: the reading is lost, the next one retries
                    log.exception("alerts feed: recording a reading failed")
                    self._failed("recording")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=self.delay())
        finally:
            await self.client.close()
            if _FEEDS.get(self.db) is self:
                del _FEEDS[self.db]
