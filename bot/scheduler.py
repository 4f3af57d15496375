"""Scheduled work: an APScheduler AsyncIOScheduler in the city's time zone (TIMEZONE).

Jobs never hold per-resident state: each tick finds its own work in the database (the
waste reminder tick continues from its persisted watermark), so a missed, late or repeated
run is harmless. `coalesce` folds a backlog into one run, `max_instances=1` keeps runs of a
job from overlapping in this process, and the watermark lock plus the outbox's unique keys
keep several instances from sending anything twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from apscheduler.events import (  # type: ignore[import-untyped]
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from bot import metrics
from bot.maintenance import run_retention
from storage import clock

if TYPE_CHECKING:
    from bot.app import Svoi

log = logging.getLogger(__name__)

# A run that starts later than this after its time is skipped; the next minute's run
# covers the gap from the watermark anyway.
MISFIRE_GRACE_SECONDS = 50


async def waste_reminders(svoi: Svoi) -> None:
    from dialogs.waste.reminders import tick

    started = clock.now()
    # The job is due at second 5 of each minute: anything later is lag worth graphing.
    metrics.TICK_LAG.set(
        max(0.0, (started - started.replace(second=5, microsecond=0)).total_seconds())
    )
    try:
        count = await tick(svoi.db, svoi.i18n, clock.now())
    except Exception:  # the scheduler would swallow it; say which job failed
        log.exception("waste reminder tick failed")
        metrics.SCHEDULER_TICKS.labels("waste-reminders", "failed").inc()
        return
    metrics.SCHEDULER_TICKS.labels("waste-reminders", "run").inc()
    if count:
        log.info("waste reminders enqueued", extra={"count": count})


async def retention(svoi: Svoi) -> None:
    try:
        await run_retention(svoi.db, svoi.settings, clock.now())
    except Exception:  # the scheduler would swallow it; say which job failed
        log.exception("retention job failed")
        metrics.SCHEDULER_TICKS.labels("retention", "failed").inc()
        return
    metrics.SCHEDULER_TICKS.labels("retention", "run").inc()


async def digests(svoi: Svoi) -> None:
    from dialogs.digests.service import run_digests

    try:
        count = await run_digests(svoi.db, svoi.i18n, clock.now(), svoi.settings.zone)
    except Exception:  # the scheduler would swallow it; say which job failed
        log.exception("digest job failed")
        metrics.SCHEDULER_TICKS.labels("digests", "failed").inc()
        return
    metrics.SCHEDULER_TICKS.labels("digests", "run").inc()
    if count:
        log.info("digests enqueued", extra={"count": count})


def job_skipped(event: JobEvent) -> None:
    """A run that did not happen: too late (past the misfire grace) or the previous run
    still going. Counted, so a dashboard shows reminders that silently did not run."""
    log.warning("scheduled job %s skipped (code %s)", event.job_id, event.code)
    metrics.SCHEDULER_TICKS.labels(event.job_id, "skipped").inc()


def build_scheduler(svoi: Svoi) -> AsyncIOScheduler:
    """A scheduler with the recurring jobs (start it inside the running event loop)."""
    zone = svoi.settings.zone
    scheduler = AsyncIOScheduler(
        timezone=zone,
        job_defaults={
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            "coalesce": True,
            "max_instances": 1,
        },
    )
    scheduler.add_job(
        waste_reminders,
        CronTrigger(second=5, timezone=zone),  # every minute, just after it turns
        args=[svoi],
        id="waste-reminders",
        name="waste reminders tick",
        replace_existing=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        retention,
        CronTrigger(hour=3, minute=30, timezone=zone),  # nightly, when nobody chats
        args=[svoi],
        id="retention",
        name="data retention",
        replace_existing=True,
        misfire_grace_time=3600,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        digests,
        # Every quarter hour: a digest is due from its hour on, so a late run still sends it.
        CronTrigger(minute="0,15,30,45", second=20, timezone=zone),
        args=[svoi],
        id="digests",
        name="digests",
        replace_existing=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        coalesce=True,
        max_instances=1,
    )
    for job in ("waste-reminders", "retention", "digests"):
        for result in ("run", "failed", "skipped"):
            metrics.SCHEDULER_TICKS.labels(job, result)
    scheduler.add_listener(job_skipped, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    return scheduler
