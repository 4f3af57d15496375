"""The scheduler: one minute-tick job for all subscribers, in Kyiv time, never overlapping."""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from bot.app import Svoi
from bot.scheduler import build_scheduler, waste_reminders
from storage.db import Database
from tests.waste.support import load_content, subscribe


async def test_one_tick_job_every_minute_in_kyiv_time(svoi: Svoi, db: Database) -> None:
    await load_content(db)
    for n in range(3):
        await subscribe(db, "center", user=f"r{n}")
    scheduler = build_scheduler(svoi)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    # One job each, not one per subscriber.
    assert set(jobs) == {"waste-reminders", "retention", "digests"}
    job = jobs["waste-reminders"]
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 50)
    assert isinstance(job.trigger, CronTrigger) and str(job.trigger.timezone) == "Europe/Kyiv"
    start = datetime(2026, 3, 29, 2, 58, 30, tzinfo=job.trigger.timezone)
    first = job.trigger.get_next_fire_time(None, start)
    assert (first.hour, first.minute, first.second) == (2, 59, 5)
    after_gap = job.trigger.get_next_fire_time(first, first)
    assert (after_gap.hour, after_gap.minute) == (4, 0)  # 03:00–03:59 does not exist that day
    await waste_reminders(svoi)  # runs the real tick once (nothing due right now is fine)
