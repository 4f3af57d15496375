"""content/handoff.yaml: the working group's hours for residents' conversations and the
canned answers to frequent questions, by language. Read once, when first needed; a broken
file fails at start-up (`load` raises with the file and what is wrong), not mid-conversation.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.core.i18n import localized
from storage.clock import CITY_ZONE

CONTENT = Path(__file__).resolve().parents[2] / "content" / "handoff.yaml"
Texts = dict[str, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkingHours(_Strict):
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
        local = moment.astimezone(CITY_ZONE)
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def described(self, locale: str) -> str:
        return localized(self.text, locale)


class CannedAnswer(_Strict):
    code: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,24}$")]
    title: Texts
    text: Texts

    def title_in(self, locale: str) -> str:
        return localized(self.title, locale)

    def text_in(self, locale: str) -> str:
        return localized(self.text, locale)


class HandoffContent(_Strict):
    hours: WorkingHours
    canned: list[CannedAnswer] = []

    def answer(self, code: str) -> CannedAnswer | None:
        return next((a for a in self.canned if a.code == code), None)


class ContentError(ValueError):
    """The content file cannot be used; the message names the file and the problem."""


def read(path: Path) -> HandoffContent:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        content = HandoffContent.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise ContentError(f"{path}: {error}") from error
    codes = [a.code for a in content.canned]
    if len(set(codes)) != len(codes):
        raise ContentError(f"{path}: a canned answer's code is used twice")
    return content


@cache
def load() -> HandoffContent:
    """The shipped content/handoff.yaml."""
    return read(CONTENT)
