"""Texts the city stores by language (`{"uk": ..., "en": ...}`) reach a resident in their
language, else in Ukrainian: one rule, bot.core.i18n.localized, for every feature."""

from __future__ import annotations

from bot.core.i18n import localized, localized_list


def test_a_text_is_read_in_the_residents_language_else_in_ukrainian() -> None:
    fee = {"uk": "279 грн", "en": "UAH 279"}
    assert localized(fee, "en") == "UAH 279"
    assert localized(fee, "uk") == "279 грн"
    assert localized({"uk": "279 грн"}, "en") == "279 грн"  # not translated yet
    assert localized({"uk": "279 грн", "en": ""}, "en") == "279 грн"
    assert localized({}, "en") == localized(None, "uk") == ""


def test_a_third_language_is_data() -> None:
    name = {"uk": "Паспорт громадянина України", "pl": "Paszport obywatela Ukrainy"}
    assert localized(name, "pl") == "Paszport obywatela Ukrainy"
    assert localized(name, "crh") == "Паспорт громадянина України"


def test_lists_follow_the_same_rule() -> None:
    documents = {"uk": ["паспорт", "фото"], "en": []}
    assert localized_list(documents, "en") == ["паспорт", "фото"]
    assert localized_list({"en": ["passport"]}, "en") == ["passport"]
    assert localized_list(None, "uk") == []
