"""Settings read from the environment and `.env` (pydantic-settings).

Each channel has its own section with its own prefix (`TELEGRAM_…`, `VIBER_…`), so the
variables a city's IT staff set are the flat names the README documents.
"""

from __future__ import annotations

import ipaddress
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.clock import CITY_ZONE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'svoi.sqlite3'}"
SUPPORTED_LOCALES = ("uk", "en")


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> list[Network]:
    """`"127.0.0.1, 10.0.0.0/8, ::1"` → networks; raises ValueError on a bad entry."""
    return [
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    ]


def _env_config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(
        env_prefix=prefix, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )


class TelegramSettings(BaseSettings):
    """Telegram Bot API connection (`TELEGRAM_*`)."""

    model_config = _env_config("TELEGRAM_")

    bot_token: SecretStr | None = None
    mode: Literal["webhook", "polling"] = "webhook"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    api_base: str = "https://api.telegram.org"
    # The bot's @username, for deep links (`https://t.me/<username>?start=…`); empty: none.
    bot_username: str = Field(default="", pattern=r"^@?([A-Za-z][A-Za-z0-9_]{4,31})?$")
    rate_per_second: float = Field(default=25.0, gt=0, le=1000)

    @field_validator("webhook_secret")
    @classmethod
    def _secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        if not 1 <= len(raw) <= 256 or not set(raw) <= allowed:
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None and bool(self.bot_token.get_secret_value())


class ViberSettings(BaseSettings):
    """Viber REST Bot API connection (`VIBER_*`)."""

    model_config = _env_config("VIBER_")

    auth_token: SecretStr | None = None
    webhook_url: str | None = None
    bot_name: str = "Свої"
    bot_avatar: str | None = None
    api_base: str = "https://chatapi.viber.com/pa"
    broadcast_enabled: bool = False
    # The public account's chat URI, for deep links (`viber://pa?chatURI=…`); empty: none.
    chat_uri: str = Field(default="", pattern=r"^[A-Za-z0-9_.-]{0,64}$")

    @property
    def enabled(self) -> bool:
        return self.auth_token is not None and bool(self.auth_token.get_secret_value())


class Settings(BaseSettings):
    """The service's settings; see the configuration table in README.md."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_SQLITE_URL
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    default_locale: Literal["uk", "en"] = "uk"
    timezone: str = CITY_ZONE.key
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    operators: str = ""
    admins: str = ""  # like OPERATORS; bootstraps the first admins (roles also live in the DB)
    public_base_url: str = ""  # e.g. https://svoi.khm.gov.ua: links to files served by the app
    web_secret_key: SecretStr = SecretStr("")  # signs web chat cookies; empty: random per start
    # New web-chat residents one client address may start per hour (0: no limit), and the
    # reverse proxies whose X-Forwarded-For names that address (bot/channels/web/clients.py).
    web_new_chats_per_hour: int = Field(default=60, ge=0, le=100_000)
    trusted_proxies: str = "127.0.0.1, ::1"
    # /metrics: with a token, only `Authorization: Bearer <token>`; without, only direct
    # requests from loopback or private addresses (never one relayed by a proxy).
    metrics_token: SecretStr = SecretStr("")
    flood_max_messages: int = Field(default=20, ge=1, le=1000)  # per resident per window
    flood_window_seconds: float = Field(default=10.0, gt=0, le=3600)
    retention_days: int = Field(default=30, ge=1, le=3650)  # then delivered texts are stripped
    max_text_length: int = Field(default=4000, ge=100, le=100_000)
    # Residents' photos (bot/core/attachments.py): the largest file taken, in megabytes, and
    # how long a stored photo is kept before the maintenance job deletes it.
    attachment_max_mb: float = Field(default=10.0, gt=0, le=20)
    attachment_retention_days: int = Field(default=365, ge=1, le=3650)
    # A connection must send a request's complete headers within this many seconds of
    # opening (or of its previous response): a half-sent request is closed, not kept open.
    http_header_timeout: float = Field(default=15.0, gt=0, le=300)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    viber: ViberSettings = Field(default_factory=ViberSettings)
    quiet_hours_start: time = time(22, 0)  # non-urgent outbox rows wait from here (city time)
    quiet_hours_end: time = time(8, 0)  # ... until here; equal values mean no quiet hours
    delivery_concurrency: int = Field(default=16, ge=1, le=500)  # rows in flight per sender
    delivery_max_attempts: int = Field(default=5, ge=1, le=50)  # transient failures, then failed
    delivery_lease_seconds: float = Field(default=60.0, ge=1)  # how long a claim is held
    delivery_chat_interval: float = Field(default=1.1, ge=0)  # seconds between two to one chat
    delivery_viber_rate_per_second: float = Field(default=40.0, gt=0, le=1000)
    delivery_viber_price: float = Field(default=0.0, ge=0)  # per Viber message, for estimates
    delivery_viber_currency: str = "UAH"
    # Air-raid alerts (docs/delivery.md, "Air-raid alerts"): the alerts.in.ua feed is off
    # without a token; the operators' switch ("тривога / відбій") works either way.
    alerts_api_token: SecretStr = SecretStr("")
    alerts_api_base: str = "https://api.alerts.in.ua"
    # The alerts.in.ua location uid: 3 is Хмельницька область (devs.alerts.in.ua).
    alerts_region: str = Field(default="3", pattern=r"^[0-9]{1,6}$")
    alerts_poll_seconds: float = Field(default=30.0, ge=0.05, le=3600)
    # An alert from the feed holds notifications only while the feed confirmed it this
    # recently: a feed that fails lets them go (fail open).
    alerts_stale_seconds: float = Field(default=120.0, gt=0, le=86_400)
    alerts_count_partly: bool = True  # "P": part of the region (a raion, a hromada) alerted
    # After the all-clear a held reminder older than this is skipped, as the reminder tick
    # skips reminders found late (WASTE_REMINDER_MAX_LATENESS_MINUTES, also 120).
    alerts_reminder_max_age_minutes: int = Field(default=120, ge=1, le=24 * 60)
    # Linked residents' notifications go to the channel they used last; with this, to a
    # free channel (Telegram) before Viber, which the city pays per message (docs/linking.md).
    linking_prefer_free_channel: bool = False

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        parse_networks(value)  # ValueError names the bad entry
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("operators", "admins")
    @classmethod
    def _operator_list(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            channel, sep, user = item.partition(":")
            if not sep or not channel or not user:
                raise ValueError(f"{item!r} is not channel:user_id")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def operator_addresses(self) -> frozenset[tuple[str, str]]:
        return _addresses(self.operators)

    @property
    def admin_addresses(self) -> frozenset[tuple[str, str]]:
        return _addresses(self.admins)


def _addresses(value: str) -> frozenset[tuple[str, str]]:
    pairs = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        channel, _, user = item.partition(":")
        pairs.append((channel, user))
    return frozenset(pairs)


class ConfigError(Exception):
    """A setting is wrong; the message names the variable in one line."""


def _variable_name(loc: tuple[int | str, ...], prefix: str = "") -> str:
    return (prefix + "_".join(str(part) for part in loc)).upper()


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation error into one clear line."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None
    return settings


def _describe(exc: ValidationError, prefix: str = "") -> str:
    first = exc.errors()[0]
    title = exc.title
    if title == "TelegramSettings":
        prefix = "TELEGRAM_"
    elif title == "ViberSettings":
        prefix = "VIBER_"
    name = _variable_name(first["loc"], prefix)
    message = first["msg"].removeprefix("Value error, ")
    return f"configuration error: {name}: {message}"


def load_settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise SystemExit(f"svoi: {exc}") from None
    except ValidationError as exc:  # raised by a channel section's own default factory
        raise SystemExit(f"svoi: {_describe(exc)}") from None
