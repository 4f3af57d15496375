"""Running `python -m bot` as a real process in tests."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def clean_env(**overrides: str) -> dict[str, str]:
    """The test's environment without Svoi settings that could leak in, plus overrides."""
    prefixes = ("TELEGRAM_", "VIBER_", "DATABASE_URL", "HTTP_", "OPERATORS", "LOG_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env
