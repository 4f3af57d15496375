"""Reusable pieces of screens: a yes/no confirmation.

They only build buttons; the screen decides what a choice means. Features define their own
typed payloads (bot/core/payloads.py) for lists and paging.
"""

from __future__ import annotations

from bot.core.dialog import Turn
from bot.core.messages import AnyButton, Button

YES = "yes"
NO = "no"


def confirm_row(turn: Turn) -> list[AnyButton]:
    return [Button(turn.t("btn-yes"), YES), Button(turn.t("btn-no"), NO)]
