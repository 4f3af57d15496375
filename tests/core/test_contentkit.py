"""bot.core.contentkit: a content file read with its lines, checked by pydantic models, and
every problem named by its line, as staff see it when an import is refused."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import pytest
from pydantic import AfterValidator, Field, model_validator

from bot.core.contentkit import (
    At,
    BilingualText,
    ContentInvalid,
    Document,
    ImportReport,
    LocalText,
    Model,
    Problems,
    limit,
    load_yaml,
    validate,
)


class Option(Model):
    key: str
    text: Annotated[LocalText, AfterValidator(limit(20))]


class Poll(Model):
    code: str = Field(min_length=1)
    question: BilingualText
    votes: int = Field(default=0, ge=0)
    opens: date | None = None
    closes: date | None = None
    options: list[Option] = Field(default_factory=list)

    @model_validator(mode="after")
    def _closes_after_opening(self) -> Poll:
        if self.opens and self.closes and self.closes <= self.opens:
            raise At("closes", "not after opens")
        return self


class PollFile(Model):
    polls: list[Poll]


def problems(source: str) -> list[str]:
    """What staff read when the file is refused."""
    doc = load_yaml(source, "polls.yaml")
    found = Problems(doc)
    result = validate(PollFile, doc, found)
    if result is not None:
        found.duplicates(
            ((p.code, p.line, f"polls[{i + 1}]") for i, p in enumerate(result.polls)),
            "poll code",
        )
    with pytest.raises(ContentInvalid) as refused:
        found.raise_if_any()
    return [str(p) for p in refused.value.problems]


GOOD = """\
polls:
  - code: park
    question: {uk: "Який парк оновити?", en: "Which park to renew?"}
    opens: 2026-05-01
    closes: 2026-05-31
    options:
      - key: central
        text: Центральний
      - key: zarichnyi
        text: {uk: Зарічний, en: Zarichnyi}
"""


def test_a_valid_file_becomes_models_that_know_their_lines() -> None:
    doc = load_yaml(GOOD, "polls.yaml")
    found = Problems(doc)

    result = validate(PollFile, doc, found)

    assert found.errors == [] and result is not None
    poll = result.polls[0]
    assert poll.line == 2
    assert [o.line for o in poll.options] == [7, 9]
    assert poll.options[0].text.as_dict() == {"uk": "Центральний", "en": "Центральний"}
    assert poll.question.en == "Which park to renew?"
    assert poll.opens == date(2026, 5, 1)


def test_errors_in_nested_lists_name_their_lines() -> None:
    source = GOOD.replace("        text: Центральний", "        text: {uk: ''}").replace(
        "text: {uk: Зарічний, en: Zarichnyi}", "text: Зарічний парк біля річки Південний Буг"
    )

    assert problems(source) == [
        "polls.yaml:8: polls[1].options[1].text.uk: expected non-empty text",
        "polls.yaml:10: polls[1].options[2].text.uk: longer than 20 characters",
    ]


def test_a_check_across_fields_is_named_at_the_field_it_blames() -> None:
    source = """\
polls:
  - code: park
    opens: 2026-05-31
    closes: 2026-05-01
    question: Парк?
"""

    assert problems(source) == ["polls.yaml:4: polls[1].closes: not after opens"]


def test_wrong_types_are_named_with_what_was_expected() -> None:
    source = """\
polls:
  - code: park
    question: {uk: "Парк?", en: "Park?"}
    votes: many
    opens: 2026-02-30
    options: central
  - code: school
    question: ["Школа?"]
    votes: -1
"""

    assert problems(source) == [
        "polls.yaml:4: polls[1].votes: expected a whole number",
        "polls.yaml:5: polls[1].opens: expected a date YYYY-MM-DD",
        "polls.yaml:6: polls[1].options: expected a list",
        "polls.yaml:8: polls[2].question: expected a mapping of fields",
        "polls.yaml:9: polls[2].votes: expected at least 0",
    ]


def test_unknown_fields_are_refused_at_their_line() -> None:
    source = GOOD.replace("    opens:", "    colour: green\n    opens:") + "comment: hello\n"

    assert problems(source) == [
        "polls.yaml:4: polls[1]: unknown field 'colour'",
        "polls.yaml:12: unknown field 'comment'",
    ]


def test_a_missing_required_field_names_the_mapping_that_lacks_it() -> None:
    source = """\
polls:
  - question: Парк?
    options:
      - text: Центральний
"""

    assert problems(source) == [
        "polls.yaml:2: polls[1]: missing field 'code'",
        "polls.yaml:4: polls[1].options[1]: missing field 'key'",
    ]


def test_duplicate_keys_name_both_lines() -> None:
    source = GOOD.replace("    opens:", "    code: square\n    opens:")

    assert problems_loading(source) == [
        "polls.yaml:4: polls[1]: duplicate key 'code' (first at line 2)"
    ]


def test_duplicate_ids_name_both_lines() -> None:
    source = GOOD + GOOD.removeprefix("polls:\n")

    assert problems(source) == [
        "polls.yaml:11: polls[2]: poll code 'park' is used twice (first at line 2)"
    ]


def test_merge_keys_may_be_overridden_but_written_keys_may_not_repeat() -> None:
    source = """\
defaults: &defaults {key: central, text: Центральний}
polls:
  - code: park
    question: Парк?
    options:
      - <<: *defaults
        key: central-2
"""
    doc = load_yaml(source, "polls.yaml")

    assert doc.at(("polls", 0, "options", 0)) == {"key": "central-2", "text": "Центральний"}
    assert doc.line(("polls", 0, "options", 0, "key")) == 7


def test_broken_yaml_and_unsafe_tags_are_refused_with_a_line() -> None:
    assert problems_loading("polls:\n  - code: [park\n") == [
        "polls.yaml:3: not valid YAML: expected ',' or ']', but got '<stream end>'"
    ]
    assert problems_loading(
        "polls: !!python/object:os.system {}\nname: !!python/name:os.system\n"
    ) == [
        "polls.yaml:1: polls: unsupported tag tag:yaml.org,2002:python/object:os.system",
        "polls.yaml:2: name: unsupported tag tag:yaml.org,2002:python/name:os.system",
    ]


def test_a_key_that_is_not_text_and_a_self_referring_alias_are_refused() -> None:
    assert problems_loading("? [1, 2]\n: x\n1: y\n") == [
        "polls.yaml:1: key [1, 2] must be text",
        "polls.yaml:3: key 1 must be text",
    ]
    assert problems_loading("polls: &loop [*loop]\n") == [
        "polls.yaml:1: polls[1]: an alias refers to a mapping or list that holds it"
    ]


def test_dates_may_be_kept_as_text() -> None:
    doc = load_yaml("opens: 2026-05-01\n", "polls.yaml", timestamps=False)

    assert doc.data == {"opens": "2026-05-01"}


def test_rows_of_a_table_are_checked_by_the_same_models() -> None:
    rows = [
        (2, {"key": "central", "text": "Центральний"}),
        (3, {"key": "", "text": "Зарічний", "note": "x"}),
    ]
    doc = Document.from_rows("options.csv", rows)
    found = Problems(doc)

    for index in range(len(rows)):
        validate(Option, doc, found, (index,))

    assert [str(p) for p in found.errors] == ["options.csv:3: unknown field 'note'"]


def test_the_report_counts_what_an_import_did() -> None:
    report = ImportReport()
    assert not report.changed
    assert report.summary() == "created: nothing; updated: nothing; removed: nothing"

    report.count("commitments", "created", 3)
    report.count("milestones", "created")
    report.count("polls", "unchanged", 2)

    assert report.changed
    assert report.summary() == (
        "created: 3 commitments, 1 milestones; updated: nothing; removed: nothing"
    )
    assert report.totals() == "4 created, 0 updated, 2 unchanged"


def problems_loading(source: str) -> list[str]:
    with pytest.raises(ContentInvalid) as refused:
        load_yaml(source, "polls.yaml")
    return [str(p) for p in refused.value.problems]
