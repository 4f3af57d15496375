"""Waste settings (`WASTE_*` environment variables), read by the tick and the calendar link."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WasteSettings(BaseSettings):
    """How reminders behave after an outage, and where calendar links point."""

    model_config = SettingsConfigDict(
        env_prefix="WASTE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # A reminder found more than this late (the bot was down) is skipped, not sent.
    reminder_max_lateness_minutes: int = Field(default=120, ge=1, le=24 * 60)
    # Public origin of the service for calendar links (Viber cannot receive files);
    # defaults to the Viber or Telegram webhook's origin, then the local HTTP address.
    public_url: str | None = None
    # How many months the calendar file covers.
    calendar_months: int = Field(default=12, ge=1, le=24)
