"""Reusable pieces of screens: choice lists, paging, yes/no confirmation.

They only build buttons and read payloads; the screen decides what a choice means. Payloads
stay short (`<prefix>:<value>`, `page:<n>`, `yes`/`no`) to fit Telegram's 64 bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.dialog import Turn
from bot.core.messages import AnyButton, Button

PAGE = "page:"
YES = "yes"
NO = "no"


def choice_rows(
    options: Sequence[tuple[str, str]], prefix: str, per_row: int = 1
) -> list[list[AnyButton]]:
    """Buttons for (label, value) options, `per_row` to a row, payload `<prefix>:<value>`."""
    buttons = [Button(label, f"{prefix}:{value}") for label, value in options]
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), max(1, per_row))]


def chosen(payload: str, prefix: str) -> str | None:
    """The value of a choice payload made by `choice_rows`, or None for another payload."""
    head, sep, value = payload.partition(":")
    return value if sep and head == prefix and value else None


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    count: int
    start: int
    stop: int


def page_of(total: int, number: int, size: int) -> Page:
    """Clamp a page number to what exists (a stale button may ask for a vanished page)."""
    count = max(1, -(-total // size))
    number = min(max(0, number), count - 1)
    return Page(number, count, number * size, min(total, (number + 1) * size))


def paging_row(turn: Turn, page: Page) -> list[AnyButton]:
    row: list[AnyButton] = []
    if page.number > 0:
        row.append(Button(turn.t("btn-prev"), f"{PAGE}{page.number - 1}"))
    if page.number + 1 < page.count:
        row.append(Button(turn.t("btn-more"), f"{PAGE}{page.number + 1}"))
    return row


def page_requested(payload: str) -> int | None:
    if payload.startswith(PAGE) and payload[len(PAGE) :].isdigit():
        return int(payload[len(PAGE) :])
    return None


def confirm_row(turn: Turn) -> list[AnyButton]:
    return [Button(turn.t("btn-yes"), YES), Button(turn.t("btn-no"), NO)]
