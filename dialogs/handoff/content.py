"""content/handoff.yaml: the working group's hours for residents' conversations and the
canned answers to frequent questions, by language, read with the content kit
(bot/core/contentkit.py). Read once, when first needed; a broken file fails at start-up
(`load` raises with every problem, each with the file and its line), not mid-conversation.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from bot.core.contentkit import ContentInvalid, Model, Problem, Problems, load_yaml, validate
from bot.core.i18n import localized
from storage.clock import city_zone

CONTENT = Path(__file__).resolve().parents[2] / "content" / "handoff.yaml"
Texts = dict[str, str]


class WorkingHours(Model):
    days: list[Annotated[int, Field(ge=1, le=7)]]
    start: time
    end: time
    text: Texts

    @field_validator("text")
    @classmethod
    def _has_ukrainian(cls, value: Texts) -> Texts:
        if not value.get("uk"):
            raise ValueError("a Ukrainian text is required")
        return value

    def is_open(self, moment: datetime) -> bool:
        """Whether the working group answers at this moment (Kyiv time)."""
        local = moment.astimezone(city_zone())
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def described(self, locale: str) -> str:
        return localized(self.text, locale)


class CannedAnswer(Model):
    code: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,24}$")]
    title: Texts
    text: Texts

    def title_in(self, locale: str) -> str:
        return localized(self.title, locale)

    def text_in(self, locale: str) -> str:
        return localized(self.text, locale)


class HandoffContent(Model):
    hours: WorkingHours
    canned: list[CannedAnswer] = Field(default_factory=list)

    def answer(self, code: str) -> CannedAnswer | None:
        return next((a for a in self.canned if a.code == code), None)


class ContentError(ContentInvalid):
    """The content file cannot be used; every problem names the file and its line."""


def read(path: Path) -> HandoffContent:
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError([Problem(path.name, 0, "", f"cannot be read: {error}")]) from error
    try:
        doc = load_yaml(source, path.name)
    except ContentInvalid as invalid:
        raise ContentError(invalid.problems) from invalid
    problems = Problems(doc)
    content = validate(HandoffContent, doc, problems)
    problems.unique(("canned", "*"), "code", "canned answer code")
    if problems.errors:
        raise ContentError(problems.errors)
    assert content is not None
    return content


@cache
def load() -> HandoffContent:
    """The shipped content/handoff.yaml."""
    return read(CONTENT)
