"""A wrong setting stops start-up with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from tests.support.process import PROJECT, clean_env


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HTTP_PORT", "eighty", "HTTP_PORT"),
        ("HTTP_PORT", "70000", "HTTP_PORT"),
        ("TIMEZONE", "Europe/Atlantis", "TIMEZONE: unknown time zone"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: must start with"),
        ("DEFAULT_LOCALE", "ru", "DEFAULT_LOCALE"),
        ("OPERATORS", "telegram", "OPERATORS: 'telegram' is not channel:user_id"),
        ("TELEGRAM_WEBHOOK_SECRET", "has spaces!", "TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_wrong_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_defaults_are_the_embedded_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "VIBER_", "DATABASE_", "HTTP_")):
            monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.database_url.endswith("var/svoi.sqlite3")
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8080)
    assert settings.default_locale == "uk" and settings.timezone == "Europe/Kyiv"
    assert not settings.telegram.enabled and not settings.viber.enabled


def test_cli_prints_one_clear_line_and_exits_non_zero() -> None:
    env = clean_env(HTTP_PORT="eighty")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate", "current"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "svoi: configuration error: HTTP_PORT: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]
