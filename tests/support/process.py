"""Running `python -m bot` as a real process in tests."""

from __future__ import annotations

import os
from pathlib import Path

from storage import clock

PROJECT = Path(__file__).resolve().parents[2]


def child_env(**overrides: str) -> dict[str, str]:
    """The test's environment plus overrides, on the test's clock as it reads now."""
    return {**os.environ, clock.CLOCK_START_VARIABLE: clock.now().isoformat(), **overrides}


def clean_env(**overrides: str) -> dict[str, str]:
    """`child_env` without Svoi settings that could leak in, plus overrides."""
    prefixes = ("TELEGRAM_", "VIBER_", "DATABASE_URL", "HTTP_", "OPERATORS", "LOG_")
    env = {k: v for k, v in child_env().items() if not k.startswith(prefixes)}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env
