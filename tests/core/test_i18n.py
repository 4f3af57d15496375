"""Every key exists in every locale with the same placeholders; plurals and dates are right."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast, visitor

from bot.config import SUPPORTED_LOCALES
from bot.core.i18n import LOCALES_DIR, I18n


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def _messages(locale: str) -> dict[str, tuple[Path, set[str]]]:
    found: dict[str, tuple[Path, set[str]]] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = FluentParser(with_spans=False).parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                pytest.fail(f"{path}: syntax error near {entry.content[:60]!r}")
            if isinstance(entry, ast.Message):
                name = entry.id.name
                assert name not in found, f"{name} defined twice ({found[name][0]}, {path})"
                variables = _Variables()
                variables.visit(entry)
                found[name] = (path, variables.names)
    return found


def test_every_locale_has_every_key_with_the_same_placeholders() -> None:
    catalogues = {locale: _messages(locale) for locale in SUPPORTED_LOCALES}
    reference = catalogues["uk"]
    assert reference, "no Ukrainian messages found"
    for locale, messages in catalogues.items():
        missing = sorted(set(reference) - set(messages))
        extra = sorted(set(messages) - set(reference))
        assert not missing, f"{locale} lacks {missing}"
        assert not extra, f"{locale} has keys Ukrainian lacks: {extra}"
        for key, (path, names) in messages.items():
            assert names == reference[key][1], (
                f"{path}: {key} uses {sorted(names)}, uk uses {sorted(reference[key][1])}"
            )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 нагадувань"),
        (1, "1 нагадування"),
        (2, "2 нагадування"),
        (5, "5 нагадувань"),
        (11, "11 нагадувань"),
        (21, "21 нагадування"),
        (22, "22 нагадування"),
        (25, "25 нагадувань"),
        (101, "101 нагадування"),
    ],
)
def test_ukrainian_plurals(count: int, expected: str) -> None:
    assert I18n().t("uk", "count-reminders", {"count": count}) == expected


def test_english_plurals() -> None:
    i18n = I18n()
    assert i18n.t("en", "count-reminders", {"count": 1}) == "1 reminder"
    assert i18n.t("en", "count-reminders", {"count": 0}) == "0 reminders"


def test_dates_in_each_locale_and_the_city_time_zone() -> None:
    i18n = I18n()
    assert i18n.date("uk", date(2026, 3, 29)) == "29 березня 2026\u202fр."
    assert i18n.date("uk", date(2026, 3, 29), "short") == "29.03.26"
    assert i18n.date("en", date(2026, 3, 29)) == "29 March 2026"
    # 00:30 UTC on the day DST starts is 02:30 in Kyiv; 01:30 UTC is already 04:30.
    assert i18n.datetime("uk", datetime(2026, 3, 29, 0, 30, tzinfo=UTC)).endswith("02:30")
    assert i18n.datetime("uk", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)).endswith("04:30")


def test_missing_key_falls_back_to_the_key_and_unknown_hints_to_ukrainian() -> None:
    i18n = I18n()
    assert i18n.t("en", "no-such-key") == "no-such-key"
    assert i18n.normalize("en-US") == "en"
    assert i18n.normalize("ru") == "uk"
    assert i18n.normalize(None) == "uk"
