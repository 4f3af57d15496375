"""Search quality on the shipped catalogue: what residents really type (typos, apostrophes,
case, Ukrainian and English, synonyms, Latin transliteration) must find the right service
among the first three. The hit rate is printed and must be at least 95%."""

from __future__ import annotations

import pytest

from dialogs.services.catalogue import DEFAULT_CATALOGUE, docs_from_catalogue, read_file
from dialogs.services.search import ServiceIndex, normalize, transliterate

# (what a resident types, the service that must be in the top 3, what the case tests)
QUERIES: list[tuple[str, str, str]] = [
    ("паспорт", "id-card", "plain"),
    ("ID-картка", "id-card", "latin + cyrillic"),
    ("айді картка", "id-card", "slang"),
    ("пасорт", "id-card", "typo"),
    ("ПАСПОРТ", "id-card", "case"),
    ("закордонний паспорт", "foreign-passport", "plain"),
    ("закордоний паспорт", "foreign-passport", "typo"),
    ("загранпаспорт", "foreign-passport", "synonym"),
    ("загубив паспорт", "id-card-exchange", "synonym"),
    ("прописка", "residence-registration", "synonym"),
    ("прописатися", "residence-registration", "synonym"),
    ("пропіска", "residence-registration", "typo"),
    ("реєстрація місця проживання", "residence-registration", "plain"),
    ("виписатися з квартири", "residence-deregistration", "synonym"),
    ("довідка про склад сім'ї", "family-composition", "apostrophe '"),
    ("довідка про склад сімʼї", "family-composition", "apostrophe ʼ"),
    ("довідка про склад сім’ї", "family-composition", "apostrophe ’"),
    ("склад сімї", "family-composition", "no apostrophe"),
    ("ДОВІДКА ПРО СКЛАД СІМ'Ї", "family-composition", "case"),
    ("свідоцтво про народження", "birth-registration", "plain"),
    ("реєстрація народження дитини", "birth-registration", "plain"),
    ("емалятко", "birth-registration", "synonym"),
    ("шлюб", "marriage-registration", "plain"),
    ("одружитися", "marriage-registration", "synonym"),
    ("субсидія", "housing-subsidy", "plain"),
    ("субсідія", "housing-subsidy", "typo"),
    ("земельна ділянка кадастр", "land-cadastre-extract", "plain"),
    ("приватизація землі", "land-privatisation", "plain"),
    ("відкрити ФОП", "fop-registration", "abbreviation"),
    ("закрити фоп", "fop-termination", "abbreviation"),
    ("довідка про несудимість", "no-criminal-record", "plain"),
    ("ідентифікаційний код", "tax-number", "plain"),
    ("ІПН", "tax-number", "abbreviation"),
    ("переселенець", "idp-certificate", "synonym"),
    ("водійські права", "driving-licence-exchange", "synonym"),
    ("багатодітна сімʼя", "large-family", "apostrophe ʼ"),
    ("присвоєння адреси", "address-assignment", "plain"),
    ("квартирна черга", "housing-queue", "plain"),
    ("passport", "id-card", "english"),
    ("residence registration", "residence-registration", "english"),
    ("family composition certificate", "family-composition", "english"),
    ("foreign passport", "foreign-passport", "english"),
    ("birth certificate", "birth-registration", "english"),
    ("subsidy", "housing-subsidy", "english"),
    ("register a business", "fop-registration", "english"),
    ("criminal record", "no-criminal-record", "english"),
    ("driving licence", "driving-licence-exchange", "english"),
    ("tax number", "tax-number", "english"),
    ("marriage", "marriage-registration", "english"),
    ("Residense registraton", "residence-registration", "english typos + case"),
    ("subsidie", "housing-subsidy", "english typo"),
    ("propyska", "residence-registration", "transliteration"),
    ("sklad simi", "family-composition", "transliteration"),
    ("zakordonnyi pasport", "foreign-passport", "transliteration"),
    ("dovidka pro nesudymist", "no-criminal-record", "transliteration"),
    ("subsydiia", "housing-subsidy", "transliteration"),
    ("propiska", "residence-registration", "transliteration (russian style)"),
    ("pasport", "id-card", "transliteration"),
]

# Things that are not about services: the search must say "nothing" so the bot can say so.
UNRELATED = ["hello", "привіт", "дякую", "погода у хмельницькому", "🙂🙂🙂 👍", "مرحبا بكم", "..."]


@pytest.fixture(scope="module")
def shipped() -> tuple[ServiceIndex, list[str]]:
    docs, codes = docs_from_catalogue(read_file(DEFAULT_CATALOGUE))
    return ServiceIndex(docs), codes


def test_search_quality_table(shipped: tuple[ServiceIndex, list[str]]) -> None:
    index, codes = shipped
    assert len(QUERIES) >= 40
    misses = []
    for query, expected, case in QUERIES:
        assert expected in codes, f"the table names an unknown service {expected!r}"
        top = [codes[hit.service_id] for hit in index.search(query, limit=3)]
        if expected not in top:
            misses.append(f"  {query!r} ({case}): expected {expected}, got {top}")
    rate = (len(QUERIES) - len(misses)) / len(QUERIES)
    print(f"\nservices search hit rate: {rate:.1%} ({len(QUERIES) - len(misses)}/{len(QUERIES)})")
    for miss in misses:
        print(miss)
    assert rate >= 0.95, "\n".join(misses)


@pytest.mark.parametrize("query", UNRELATED)
def test_unrelated_text_finds_nothing(shipped: tuple[ServiceIndex, list[str]], query: str) -> None:
    index, _ = shipped
    assert index.search(query) == []


def test_the_three_apostrophes_and_case_normalise_alike() -> None:
    forms = ["сім'ї", "сімʼї", "сім’ї", "СІМ'Ї", "Сім‘ї"]
    assert {normalize(form) for form in forms} == {"simi"}


@pytest.mark.parametrize(
    ("ukrainian", "latin"),
    [
        # Examples from the 2010 national transliteration table.
        ("Алушта", "alushta"),
        ("Згорани", "zghorany"),
        ("Розгон", "rozghon"),
        ("Єнакієве", "yenakiieve"),
        ("Їжакевич", "yizhakevych"),
        ("Йосипівка", "yosypivka"),
        ("Стрий", "stryi"),
        ("Юрій", "yurii"),
        ("Корюківка", "koriukivka"),
        ("Яготин", "yahotyn"),
        ("Знам'янка", "znamianka"),
        ("Щербухи", "shcherbukhy"),
        ("Хмельницький", "khmelnytskyi"),
        ("Ґалаґан", "galagan"),
    ],
)
def test_official_transliteration(ukrainian: str, latin: str) -> None:
    assert transliterate(ukrainian) == latin


def test_exact_words_outrank_lookalikes(shipped: tuple[ServiceIndex, list[str]]) -> None:
    index, codes = shipped
    top = codes[index.search("residence registration")[0].service_id]
    assert top == "residence-registration"
