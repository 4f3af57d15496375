"""Translations (Project Fluent files under `locales/<lang>/*.ftl`) and locale-aware dates.

Ukrainian is the default and the fallback for a key missing in another locale; plural forms
come from CLDR (Ukrainian: one/few/many/other, 0 is "many"). Dates are shown in the city's
time zone.

Texts stored in the database by the city (a plan's commitments, the services catalogue) are
JSON objects by language, `{"uk": ..., "en": ...}`; `localized` picks one with the same rule:
the resident's language, else Ukrainian.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from fluent.runtime import FluentBundle, FluentResource

from bot.config import PROJECT_ROOT, SUPPORTED_LOCALES
from storage import clock

log = logging.getLogger(__name__)
LOCALES_DIR = PROJECT_ROOT / "locales"
DEFAULT_LOCALE = "uk"
_BABEL = {"uk": "uk_UA", "en": "en_GB"}


def pick(texts: Mapping[str, Any] | None, locale: str) -> Any:
    """The value of a stored `{"uk": ..., "en": ...}` object in `locale`, else in Ukrainian
    (an empty text or list counts as missing); None when neither is there."""
    if texts:
        for candidate in (locale, DEFAULT_LOCALE):
            value = texts.get(candidate)
            if value:
                return value
    return None


def localized(texts: Mapping[str, Any] | None, locale: str) -> str:
    """A stored text in the resident's language, else in Ukrainian; "" when there is none."""
    value = pick(texts, locale)
    return "" if value is None else str(value)


def localized_list(texts: Mapping[str, Any] | None, locale: str) -> list[str]:
    """A stored list of texts (`{"uk": [...], "en": [...]}`) by the same rule."""
    value = pick(texts, locale)
    return [str(item) for item in value] if isinstance(value, list) else []


class I18n:
    def __init__(
        self,
        default_locale: str = DEFAULT_LOCALE,
        zone: ZoneInfo | None = None,
        directory: Path = LOCALES_DIR,
    ) -> None:
        self.default_locale = default_locale
        self.zone = zone or clock.city_zone()
        self._bundles: dict[str, FluentBundle] = {}
        for locale in SUPPORTED_LOCALES:
            bundle = FluentBundle([locale], use_isolating=False)
            for path in sorted((directory / locale).glob("*.ftl")):
                bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            self._bundles[locale] = bundle

    @property
    def locales(self) -> tuple[str, ...]:
        return SUPPORTED_LOCALES

    def normalize(self, hint: str | None) -> str:
        """Map a platform language code ("uk", "en-US", "ru") to a supported locale."""
        if hint:
            base = hint.replace("_", "-").split("-", 1)[0].lower()
            if base in self._bundles:
                return base
        return self.default_locale

    def has(self, key: str, locale: str) -> bool:
        return self._bundles[locale].has_message(key)

    def t(self, locale: str, key: str, args: Mapping[str, object] | None = None) -> str:
        for candidate in (locale, self.default_locale):
            bundle = self._bundles.get(candidate)
            if bundle is not None and bundle.has_message(key):
                message = bundle.get_message(key)
                if message.value is None:
                    break
                text, errors = bundle.format_pattern(message.value, dict(args or {}))
                for error in errors:
                    log.warning("i18n error in %s/%s: %s", candidate, key, error)
                return str(text)
        log.error("missing translation key %s", key)
        return key

    def date(self, locale: str, value: date, length: str = "long") -> str:
        return str(format_date(value, format=length, locale=_BABEL.get(locale, locale)))

    def time(self, locale: str, value: datetime) -> str:
        return str(
            format_time(
                value.astimezone(self.zone), format="HH:mm", locale=_BABEL.get(locale, locale)
            )
        )

    def datetime(self, locale: str, value: datetime) -> str:
        local = value.astimezone(self.zone)
        return str(
            format_datetime(local, format="d MMMM y, HH:mm", locale=_BABEL.get(locale, locale))
        )


class Translator:
    """An I18n bound to one locale: what dialogs call `t`."""

    def __init__(self, i18n: I18n, locale: str) -> None:
        self.i18n = i18n
        self.locale = locale

    def __call__(self, key: str, **args: object) -> str:
        return self.i18n.t(self.locale, key, args)

    def date(self, value: date, length: str = "long") -> str:
        return self.i18n.date(self.locale, value, length)

    def datetime(self, value: datetime) -> str:
        return self.i18n.datetime(self.locale, value)
