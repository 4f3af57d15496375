"""Horizontal bar charts as data for inline SVG (templates/admin/_chart.html).

Geometry is computed here so templates only place rectangles; every chart is also given as
a table next to it, for screen readers and for copying figures into reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 220
LABEL_CHARS = 30  # at 13 px, what fits in LABEL_WIDTH
BAR_AREA = 360
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # the whole label (table, tooltip)
    short: str  # what fits left of the bar
    value: float
    shown: str  # the value as printed after the bar ("12", "4.2 (15)", "40%")
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def empty(self) -> bool:
        return not self.bars


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float, str]],
    *,
    maximum: float | None = None,
) -> Chart:
    """`items` are (label, value, value as shown); bars scale to `maximum` (default: the
    largest value)."""
    top = maximum if maximum is not None else max((v for _, v, _ in items), default=0.0)
    bars = []
    for index, (label, value, shown) in enumerate(items):
        width = round(BAR_AREA * value / top) if top > 0 else 0
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        bars.append(Bar(label, short, value, shown, index * ROW_HEIGHT + 4, max(width, 0)))
    height = len(bars) * ROW_HEIGHT + 8
    return Chart(title, bars, LABEL_WIDTH + BAR_AREA + 80, height)
