"""Rendering degrades a reply to what a channel can show."""

from __future__ import annotations

from bot.core.capabilities import CONSOLE, TELEGRAM, ChannelCapabilities
from bot.core.messages import Button, LinkButton, Reply, Request, RequestButton
from bot.core.render import RenderTexts, _shorten, render, split_text

TEXTS = RenderTexts(choose_number="Pick a number.", share_location="LOC", share_phone="PHONE")
NARROW = ChannelCapabilities(
    max_text_length=50, max_buttons=4, max_buttons_per_row=2, max_button_label=8, link_buttons=True
)


def test_too_many_buttons_become_a_numbered_list() -> None:
    reply = Reply("Choose", [[Button(f"Option {i}", f"o:{i}")] for i in range(1, 7)])
    out = render([reply], NARROW, TEXTS)
    assert out.numbered == [f"o:{i}" for i in range(1, 7)]
    assert all(r.buttons == [] for r in out.replies)
    whole = "\n\n".join(r.text for r in out.replies)
    assert "1. Option 1" in whole and "6. Option 6" in whole
    assert out.replies[-1].text.endswith("Pick a number.")


def test_rows_are_rewrapped_and_labels_shortened() -> None:
    reply = Reply("Hi", [[Button("A", "a"), Button("B", "b"), Button("Very long label", "c")]])
    out = render([reply], NARROW, TEXTS)
    rows = out.replies[0].buttons
    assert [len(row) for row in rows] == [2, 1]
    assert rows[1][0].label == "Very…"  # cut between words, never inside one
    assert out.offered() == ["a", "b", "c"]


def test_links_and_requests_become_text_where_unsupported() -> None:
    reply = Reply(
        "Card",
        [[Button("Next", "n"), LinkButton("Site", "https://cnap.khm.gov.ua")]],
        requests=[RequestButton("Share", Request.LOCATION)],
    )
    out = render([reply], CONSOLE, TEXTS)
    text = out.replies[0].text
    assert "Site: https://cnap.khm.gov.ua" in text and "LOC" in text and "1. Next" in text
    assert out.replies[0].requests == []
    kept = render([reply], TELEGRAM, TEXTS).replies[0]
    assert kept.requests and any(isinstance(b, LinkButton) for row in kept.buttons for b in row)


def test_long_text_splits_at_paragraphs_and_buttons_go_last() -> None:
    paragraphs = ["First paragraph here.", "Second one is here.", "Third para."]
    reply = Reply("\n\n".join(paragraphs), [[Button("OK", "ok")]])
    caps = ChannelCapabilities(max_text_length=45, max_buttons=5, max_buttons_per_row=3)
    out = render([reply], caps, TEXTS)
    assert [r.text for r in out.replies] == [
        "First paragraph here.\n\nSecond one is here.",
        "Third para.",
    ]
    assert out.replies[0].buttons == [] and out.replies[1].buttons == [[Button("OK", "ok")]]


def test_split_never_loses_text_and_respects_the_limit() -> None:
    text = ("слово " * 500 + "\n\n" + "x" * 9000 + "\nкінець").strip()
    for limit in (50, 4096, 7000):
        parts = split_text(text, limit)
        assert all(0 < len(p) <= limit for p in parts)
        assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
            " ", ""
        )


def test_numbering_continues_across_replies_of_one_turn() -> None:
    replies = [Reply("a", [[Button("x", "1")]]), Reply("b", [[Button("y", "2")]])]
    out = render(replies, CONSOLE, TEXTS)
    assert out.numbered == ["1", "2"]
    assert "2. y" in out.replies[1].text


def test_button_labels_are_cut_between_words() -> None:
    """A label that does not fit loses its last words, not the end of a word (UKRAINIAN.md:
    buttons never cut mid-word), and the punctuation they hung on; a single long word is the
    only thing cut inside."""
    label = "↪️ Не до нас: куди звернутися"
    assert _shorten(label, 28) == "↪️ Не до нас: куди…"
    assert _shorten(label, 16) == "↪️ Не до нас…"  # not «↪️ Не до нас:…»
    assert _shorten("📋 Стежать за зобовʼязанням", 20) == "📋 Стежать за…"
    assert _shorten("Коротка назва", 28) == "Коротка назва"
    assert _shorten("Коротка назва", 13) == "Коротка назва"
    assert _shorten("Коротка назва", 12) == "Коротка…"
    assert _shorten("Незвичайнодовгеслово", 8) == "Незвича…"
    assert _shorten("📍 Незвичайнодовгеслово", 8) == "📍 Незви…"
    for limit in range(2, 30):
        for text in (label, "Вивезення відходів: графік на рік", "a b c d e f g"):
            cut = _shorten(text, limit)
            assert len(cut) <= limit
            if cut != text:
                kept = cut.removesuffix("…")
                assert text.startswith(kept)
                word_cut = text[len(kept)].isalnum() and kept[-1:].isalnum()
                # only when no whole word fits (an icon alone would say nothing)
                whole_words = text[: max(text.rfind(" ", 0, limit), 0)]
                assert not word_cut or not any(c.isalnum() for c in whole_words), cut
