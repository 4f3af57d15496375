"""Address matching against the shipped streets: a table of what residents type (forms,
typos, transliteration, abbreviations, odd/even sides, ranges, unknown streets) with the
zone or outcome expected. The accuracy is printed; at least 95% must be right."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.waste.addresses import Outcome, StreetSegment, build_streets, match, parse
from dialogs.waste.content import DEFAULT_CONTENT, parse_yaml

F = Outcome.FOUND

# (input, expected zone code or outcome)
TABLE: list[tuple[str, str | Outcome]] = [
    # forms and abbreviations
    ("Трудова 5", "pivdenno-zakhidnyi"),
    ("вул. Трудова, 5", "pivdenno-zakhidnyi"),
    ("вулиця Трудова, буд. 5", "pivdenno-zakhidnyi"),
    ("ВУЛ.ТРУДОВА 5А", "pivdenno-zakhidnyi"),
    ("Трудова, 5/1", "pivdenno-zakhidnyi"),
    ("Трудова 5, кв. 12", "pivdenno-zakhidnyi"),
    ("Трудова", "pivdenno-zakhidnyi"),
    ("пр. Миру 60", "center"),
    ("просп. Миру, 7", "center"),
    ("проспект Миру 3", "center"),
    ("Соборна 16", "center"),
    ("вул Проскурівська 1", "center"),
    ("пров. Зарічанський 4", "zarichchia"),
    ("вул. Зарічанська 4", "zarichchia"),
    ("Старокостянтинівське шосе 12", "zarichchia"),
    ("Львівське шосе 20", "pivdenno-zakhidnyi"),
    ("Чорновола 10", "hrechany"),
    ("В'ячеслава Чорновола 10", "hrechany"),
    ("Марка Кропивницького 6а", "center"),
    # typos
    ("Трудва 5", "pivdenno-zakhidnyi"),
    ("Трудовая 5", "pivdenno-zakhidnyi"),
    ("Проскуровська 10", "center"),
    ("Камянецька 20", "center"),
    ("Камʼянецька 20", "center"),
    ("Свободы 2", "center"),
    ("Грушевськго 3", "center"),
    ("Курчатого 8", "hrechany"),
    ("Героїв Майдану 10", "center"),
    # transliteration
    ("trudova 5", "pivdenno-zakhidnyi"),
    ("Trudova St, 5", "pivdenno-zakhidnyi"),
    ("vul. Trudova 5", "pivdenno-zakhidnyi"),
    ("Proskurivska 10", "center"),
    ("Kamianetska 120", "pivdenno-zakhidnyi"),
    ("Kamyanetska 20", "center"),
    ("Zarichanska street 3", "zarichchia"),
    ("Myru avenue 7", "center"),
    ("Symona Petliury 7", "dubove-odd"),
    ("Khmelnytskoho 5", Outcome.UNKNOWN),
    ("Karmeliuka 2", "zarichchia"),
    # odd/even sides and house ranges
    ("Петлюри 7", "dubove-odd"),
    ("Петлюри 8", "dubove-even"),
    ("С. Петлюри 15", "dubove-odd"),
    ("вул. Симона Петлюри, 22", "dubove-even"),
    ("Кам'янецька 50", "center"),
    ("Кам'янецька 99", "center"),
    ("Кам'янецька 100", "pivdenno-zakhidnyi"),
    ("Кам'янецька 400", Outcome.HOUSE_NOT_FOUND),
    ("Петлюри", Outcome.NEED_HOUSE),
    ("Кам'янецька", Outcome.NEED_HOUSE),
    # ambiguous and unknown
    ("Зарічан 5", Outcome.AMBIGUOUS),
    ("Хрещатик 1", Outcome.UNKNOWN),
    ("Бейкер-стріт 221б", Outcome.UNKNOWN),
    ("asdfgh", Outcome.UNKNOWN),
    ("12345", Outcome.UNKNOWN),
    ("вул.", Outcome.UNKNOWN),
]


@pytest.fixture(scope="module")
def streets_and_codes() -> tuple[list, dict[int, str]]:  # type: ignore[type-arg]
    doc = parse_yaml(Path(DEFAULT_CONTENT).read_text(encoding="utf-8"), "waste.yaml")
    segments = []
    codes: dict[int, str] = {}
    for zone_id, zone in enumerate(doc.zones, 1):
        codes[zone_id] = zone.code
        for street in zone.streets or []:
            segments.append(
                StreetSegment(
                    len(segments) + 1,
                    zone_id,
                    street["kind"],
                    street["name_uk"],
                    street["name_en"],
                    tuple(street["aliases"]),
                    street["house_from"],
                    street["house_to"],
                    street["side"],
                )
            )
    return build_streets(segments), codes


def _outcome(text: str, streets: list, codes: dict[int, str]) -> str | Outcome:  # type: ignore[type-arg]
    result = match(text, streets)
    if result.outcome is F and result.zone_id is not None:
        return codes[result.zone_id]
    return result.outcome


def test_address_table_is_at_least_95_percent_right(
    streets_and_codes: tuple[list, dict[int, str]],  # type: ignore[type-arg]
) -> None:
    streets, codes = streets_and_codes
    assert len(TABLE) >= 40
    wrong = []
    for text, expected in TABLE:
        got = _outcome(text, streets, codes)
        if got != expected:
            wrong.append((text, expected, got))
    right = len(TABLE) - len(wrong)
    print(f"\naddress matching: {right}/{len(TABLE)} right ({100 * right / len(TABLE):.1f}%)")
    for text, expected, got in wrong:
        print(f"  wrong: {text!r}: expected {expected}, got {got}")
    assert right / len(TABLE) >= 0.95


def test_ambiguous_input_offers_both_streets(
    streets_and_codes: tuple[list, dict[int, str]],  # type: ignore[type-arg]
) -> None:
    streets, _ = streets_and_codes
    result = match("Зарічан 5", streets)
    assert sorted(s.key for s in result.candidates) == ["вул. Зарічанська", "пров. Зарічанський"]
    assert str(result.house) == "5"


def test_parse_splits_street_house_and_kind() -> None:
    parsed = parse("вул. Трудова, буд. 5-А")
    assert (parsed.street, str(parsed.house), parsed.kinds) == ("трудова", "5а", {"street"})
    assert str(parse("5 Трудова").house) == "5"
    assert parse("Трудова 5, кв. 7").house.number == 5  # type: ignore[union-attr]
