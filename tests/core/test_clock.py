"""The one clock: tests and drills set it, and every layer reads the same instant."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from storage import clock
from tests.support.clock import TEST_START
from tests.support.process import PROJECT, child_env


def test_every_test_starts_at_the_same_daytime_instant(test_clock: clock.SetClock) -> None:
    assert clock.now() - TEST_START < timedelta(seconds=60)
    assert clock.current() is test_clock


def test_a_set_clock_runs_from_its_start_and_can_be_moved() -> None:
    start = datetime(2026, 10, 25, 0, 58, tzinfo=UTC)  # two minutes before the clocks go back
    running = clock.SetClock(start)
    assert timedelta(0) <= running.now() - start < timedelta(seconds=5)
    running.advance(timedelta(hours=1))
    assert running.now() - start >= timedelta(hours=1)

    frozen = clock.SetClock(start, running=False)
    assert frozen.now() == start
    frozen.set(start + timedelta(minutes=5))
    assert frozen.now() == start + timedelta(minutes=5)


def test_a_clock_refuses_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="aware"):
        clock.SetClock(datetime(2026, 6, 17, 11, 0))


def test_use_puts_the_previous_clock_back() -> None:
    before = clock.current()
    with clock.use(clock.SetClock(TEST_START, running=False)):
        assert clock.now() == TEST_START
    assert clock.current() is before


def test_a_process_starts_on_the_clock_in_its_environment() -> None:
    night = datetime(2026, 12, 3, 1, 30, tzinfo=UTC)  # 03:30 in Kyiv
    with clock.use(clock.SetClock(night, running=False)):
        env = child_env(PYTHONPATH=str(PROJECT))
    script = "from storage import clock; print(clock.now().isoformat())"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (
        timedelta(0)
        <= datetime.fromisoformat(result.stdout.strip()) - night
        < timedelta(seconds=30)
    )


def test_a_wrong_clock_variable_is_named() -> None:
    env = child_env(PYTHONPATH=str(PROJECT), **{clock.CLOCK_START_VARIABLE: "tomorrow"})
    result = subprocess.run(
        [sys.executable, "-c", "import storage.clock"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "SVOI_CLOCK_START" in result.stderr


def test_timezone_sets_the_city_zone_every_feature_reads() -> None:
    from zoneinfo import ZoneInfo

    from bot.app import Svoi
    from bot.config import Settings
    from dialogs.handoff import content as handoff
    from dialogs.waste import schedule

    settings = Settings(timezone="Europe/Warsaw", _env_file=None)  # type: ignore[call-arg]
    late_evening = datetime(2026, 6, 17, 22, 30, tzinfo=UTC)  # 01:30 in Kyiv, 00:30 in Warsaw
    assert clock.city_zone() is clock.CITY_ZONE
    assert schedule.local_today(late_evening).day == 18
    try:
        svoi = Svoi.create(settings)
        assert clock.city_zone() == ZoneInfo("Europe/Warsaw") == svoi.i18n.zone
        assert schedule.local_today(late_evening).day == 18
        assert schedule.local_today(late_evening - timedelta(hours=1)).day == 17
        # The working group's hours (09:00–18:00) are read in the same zone: 06:30 UTC is
        # 08:30 in Warsaw (closed), though 09:30 in Kyiv.
        hours = handoff.load().hours
        assert not hours.is_open(datetime(2026, 6, 17, 6, 30, tzinfo=UTC))
        assert hours.is_open(datetime(2026, 6, 17, 7, 30, tzinfo=UTC))
    finally:
        clock.set_city_zone(clock.CITY_ZONE)
