"""Reading rate limits off a fake server's recorded arrival times."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


def max_in_window(times: Iterable[float], window: float = 1.0) -> int:
    """The most arrivals inside any half-open window [t, t + window)."""
    ordered = sorted(times)
    best = 0
    for index, start in enumerate(ordered):
        end = bisect.bisect_left(ordered, start + window, lo=index)
        best = max(best, end - index)
    return best
