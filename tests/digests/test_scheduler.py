"""The digest job: one job for all residents, every quarter hour in Kyiv time."""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger

from bot.app import Svoi
from bot.scheduler import build_scheduler
from tests.digests.conftest import city


def test_one_digest_job_every_quarter_hour_in_kyiv_time(svoi: Svoi) -> None:
    jobs = {job.id: job for job in build_scheduler(svoi).get_jobs()}
    job = jobs["digests"]
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 50)
    assert isinstance(job.trigger, CronTrigger) and str(job.trigger.timezone) == "Europe/Kyiv"
    first = job.trigger.get_next_fire_time(None, city(17, 17, 59))
    assert (first.hour, first.minute, first.second) == (18, 0, 20)
    after = job.trigger.get_next_fire_time(first, first)
    assert (after.hour, after.minute) == (18, 15)
