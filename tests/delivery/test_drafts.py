"""One set of rules for a broadcast draft, whichever front end composes it: the chat, the
web console (dialogs.operations) and the CLI all refuse the same texts and links."""

from __future__ import annotations

import argparse

import pytest

from bot.commands.broadcast import _draft
from bot.delivery import broadcasts
from bot.delivery.broadcasts import DraftError
from dialogs.operations import Refused, draft

GOOD_LINKS = [
    ("Деталі | https://khm.gov.ua/news", ("Деталі", "https://khm.gov.ua/news")),
    ("  Сайт ради|http://khm.gov.ua  ", ("Сайт ради", "http://khm.gov.ua")),
    (
        "L" * 40 + " | https://khm.gov.ua/" + "x" * 400,
        ("L" * 40, "https://khm.gov.ua/" + "x" * 400),
    ),
]
BAD_LINKS = [
    "https://khm.gov.ua",  # no label
    " | https://khm.gov.ua",  # empty label
    "L" * 41 + " | https://khm.gov.ua",  # label too long
    "Деталі | ftp://khm.gov.ua",
    "Деталі | https://khm.gov.ua/a b",
    "Деталі | https://ab",
    "Деталі | https://" + "x" * 491,
    "Деталі | javascript:alert(1)",
]


@pytest.mark.parametrize(("value", "expected"), GOOD_LINKS)
def test_a_labelled_http_link_is_read(value: str, expected: tuple[str, str]) -> None:
    assert broadcasts.parse_link(value) == expected


@pytest.mark.parametrize("value", BAD_LINKS)
def test_every_front_end_refuses_the_same_links(value: str) -> None:
    with pytest.raises(DraftError) as refused:
        broadcasts.parse_link(value)
    assert refused.value.code == "link"
    with pytest.raises(Refused) as console:
        draft("Оголошення", "everyone", None, value, urgent=False)
    assert console.value.key == "web-admin-error-link"
    with pytest.raises(ValueError, match="--link must be"):
        _draft(_args(text="Оголошення", link=value))


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty"), (" \n\t ", "empty"), ("я" * 3501, "too-long")]
)
def test_every_front_end_refuses_the_same_texts(text: str, code: str) -> None:
    with pytest.raises(DraftError) as refused:
        broadcasts.checked_text(text)
    assert refused.value.code == code
    with pytest.raises(Refused) as console:
        draft(text, "everyone", None, "", urgent=False)
    assert console.value.key == f"web-admin-error-{code}"
    with pytest.raises(ValueError, match="empty" if code == "empty" else "limit is 3500"):
        _draft(_args(text=text))


def test_a_text_at_the_limit_is_kept_and_trimmed_of_outer_whitespace() -> None:
    text = "я" * broadcasts.TEXT_LIMIT
    assert broadcasts.checked_text(f"  {text}\n") == text
    made = _draft(_args(text=f" {text} ", link="Деталі | https://khm.gov.ua/news"))
    assert (made.text, made.link_label, made.link_url) == (
        text,
        "Деталі",
        "https://khm.gov.ua/news",
    )


def _args(*, text: str, link: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(text=text, link=link, audience="everyone", urgent=False)
