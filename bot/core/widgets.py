"""Reusable pieces of screens: a yes/no confirmation, an operator's inbox list.

They only build buttons; the screen decides what a choice means. Features define their own
typed payloads (bot/core/payloads.py) for lists and paging.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.core.dialog import Turn
from bot.core.messages import AnyButton, Button

T = TypeVar("T")

YES = "yes"
NO = "no"


def confirm_row(turn: Turn) -> list[AnyButton]:
    return [Button(turn.t("btn-yes"), YES), Button(turn.t("btn-no"), NO)]


def inbox_list(
    turn: Turn,
    items: Sequence[T],
    button: Callable[[T], Button],
    *,
    title: str,
    empty: str,
    waiting: int,
) -> None:
    """An operator's inbox (questions, conversations, reports): one button per item, then
    the navigation row; `title` (a Fluent key with `$count`, the number waiting, which may
    be more than shown) or `empty` when there is nothing."""
    rows: list[list[AnyButton]] = [[button(item)] for item in items]
    rows.append(turn.nav_row(back=False))
    turn.say(turn.t(title, count=waiting) if items else turn.t(empty), rows)
