"""Settings of a Svoi whose Telegram channel talks to the fake Bot API. Kept apart from the
Telegram test fixtures so that the benchmark's sender process can use it without importing
pytest and the fixtures (its peak memory is one of the figures)."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from bot.config import Settings, TelegramSettings
from tests.fakes.telegram_api import TOKEN

SECRET = "test-secret_0123456789"
WEBHOOK_URL = "https://svoi.example.org/webhook/telegram"


def telegram_settings(db_url: str, api_base: str, **overrides: Any) -> Settings:
    section: dict[str, Any] = {
        "bot_token": SecretStr(TOKEN),
        "webhook_secret": SecretStr(SECRET),
        "webhook_url": WEBHOOK_URL,
        "api_base": api_base,
        **overrides,
    }
    return Settings(
        database_url=db_url,
        telegram=TelegramSettings(**section, _env_file=None),  # type: ignore[call-arg]
        _env_file=None,  # type: ignore[call-arg]
    )
