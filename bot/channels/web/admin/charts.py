"""Horizontal bar charts as data for inline SVG (templates/admin/_chart.html).

Geometry is computed here so templates only place rectangles; every chart is also given as
a table next to it, for screen readers and for copying figures into reports.

Each chart has two layouts, and the console's CSS shows one of them:

* wide (desktop): the label left of its bar, shortened to what fits there;
* narrow (a phone, below 40rem): the label above its bar across the whole width, wrapped
  over up to three lines, the SVG as wide as the screen (`width="100%"` and a viewBox).

Widths are estimated from the number of characters at a generous width per character, so
that wide letters (Ukrainian «Ш», «Ж», «Ю») do not push a label out of the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FONT_SIZE = 13
LABEL_WIDTH = 220
LABEL_CHARS = 27  # at 13 px, what fits in LABEL_WIDTH (8 px a character, with a margin)
BAR_AREA = 360
ROW_HEIGHT = 28
BAR_HEIGHT = 18
CHAR_WIDTH = 8  # px at 13 px: wider than the average letter, so estimates err on the safe side
VALUE_GAP = 6

NARROW_WIDTH = 320  # viewBox units; about a phone's width less the page's margins
NARROW_CHARS = 38  # a line of a label in the narrow layout
NARROW_LINES = 3
LINE_HEIGHT = 16
NARROW_BAR = 14
NARROW_GAP = 12  # between one bar and the next label


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    y: int  # baseline


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # the whole label (table, tooltip)
    short: str  # what fits left of the bar
    value: float
    shown: str  # the value as printed after the bar ("12", "4.2 (15)", "40%")
    y: int
    width: int
    lines: tuple[Line, ...] = ()  # narrow layout: the label, wrapped, above the bar
    narrow_y: int = 0  # narrow layout: the bar's top
    narrow_width: int = 0  # narrow layout: the bar's length


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    narrow_width: int = NARROW_WIDTH
    narrow_height: int = 0
    narrow_bar: int = NARROW_BAR
    font_size: int = FONT_SIZE

    @property
    def empty(self) -> bool:
        return not self.bars


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, at a word's end where one is near."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:—-") + "…"


def wrap(text: str, limit: int = NARROW_CHARS, lines: int = NARROW_LINES) -> list[str]:
    """`text` in lines of at most `limit` characters, broken between words (a word longer
    than a line is cut); past `lines` lines the last one ends with an ellipsis."""
    words: list[str] = []
    for word in text.split():
        while len(word) > limit:
            words.append(word[:limit])
            word = word[limit:]
        words.append(word)
    result: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            result.append(current)
            current = word
    if current or not result:
        result.append(current)
    if len(result) > lines:
        rest = " ".join(result[lines - 1 :])
        result = [*result[: lines - 1], shorten(rest, limit)]
    return result


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float, str]],
    *,
    maximum: float | None = None,
) -> Chart:
    """`items` are (label, value, value as shown); bars scale to `maximum` (default: the
    largest value)."""
    top = maximum if maximum is not None else max((v for _, v, _ in items), default=0.0)
    # Narrow: the bars share the width with the longest value printed after them.
    value_room = max((len(shown) for _, _, shown in items), default=0) * CHAR_WIDTH + VALUE_GAP
    narrow_area = NARROW_WIDTH - value_room
    bars = []
    y = 4
    for index, (label, value, shown) in enumerate(items):
        share = value / top if top > 0 else 0.0
        lines = []
        for text in wrap(label):
            y += LINE_HEIGHT
            lines.append(Line(text, y - 3))
        bars.append(
            Bar(
                label,
                shorten(label, LABEL_CHARS),
                value,
                shown,
                index * ROW_HEIGHT + 4,
                max(round(BAR_AREA * share), 0),
                tuple(lines),
                y + 2,
                max(round(narrow_area * share), 0),
            )
        )
        y += 2 + NARROW_BAR + NARROW_GAP
    height = len(bars) * ROW_HEIGHT + 8
    return Chart(title, bars, LABEL_WIDTH + BAR_AREA + 80, height, narrow_height=y - NARROW_GAP + 6)
