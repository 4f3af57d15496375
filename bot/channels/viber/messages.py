"""Replies as Viber messages: the 6-column keyboard grid and the message JSON.

Keyboard layout
    Each row of a `Reply` is laid out on the 6-column grid. A label needs about one column
    per `CHARS_PER_COLUMN` characters. A row becomes the fewest grid lines in which buttons
    share the 6 columns equally (1, 2, 3 or 6 buttons to a line: 6+, 3+3, 2+2+2, 1×6; so 4
    buttons are two lines of 3+3, 5 are 2+2+2 and 3+3) and every label fits its width;
    a row of long labels ends up one button a line. A label longer than one line of its
    width makes its grid line `Rows: 2`. Share-location / share-phone requests come first.

Button kinds
    `Button` → `reply` with `ActionBody` = `BUTTON_PREFIX + payload`, `Silent` (the resident
    sees the answer, not the raw payload); `LinkButton` → `open-url`; `RequestButton` →
    `location-picker` / `share-phone`. `COMMAND_PREFIX + name` runs a command (used by the
    persistent menu's Help).

`min_api_version` is raised to what the keyboard needs: 3 for location-picker and
share-phone, 4 for `Silent`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from viberbot.api.messages import LocationMessage, TextMessage
from viberbot.api.messages.data_types.location import Location as ViberLocation

from bot.core.dialog import MENU
from bot.core.messages import AnyButton, Button, LinkButton, Reply, Request, RequestButton
from bot.core.render import split_text

GRID_COLUMNS = 6
CHARS_PER_COLUMN = 6  # a full-width button shows about 36 characters on one line
MAX_TEXT = 7000
MAX_LABEL = 250
BUTTON_PREFIX = "svoi:b:"
COMMAND_PREFIX = "svoi:c:"
API_SILENT = 4
API_REQUESTS = 3


@dataclass(frozen=True, slots=True)
class Keyboard:
    """A laid-out Viber keyboard and the API level it needs."""

    buttons: tuple[dict[str, Any], ...]
    min_api_version: int = 1

    def as_json(self) -> dict[str, Any]:
        return {
            "Type": "keyboard",
            "DefaultHeight": False,
            "Buttons": [dict(b) for b in self.buttons],
        }

    def __add__(self, other: Keyboard) -> Keyboard:
        return Keyboard(
            self.buttons + other.buttons, max(self.min_api_version, other.min_api_version)
        )


@dataclass(frozen=True, slots=True)
class CommandButton:
    """A Viber-only button that runs a command (`/help`) on any screen."""

    label: str
    command: str


_Item = AnyButton | RequestButton | CommandButton


def _need(label: str) -> int:
    return min(GRID_COLUMNS, max(1, math.ceil(len(label) / CHARS_PER_COLUMN)))


def _groups(row: Sequence[_Item]) -> list[list[_Item]]:
    """Split a row into the fewest grid lines whose buttons share 6 columns equally
    (1, 2, 3 or 6 to a line, so widths are 6, 3, 2 or 1) and whose labels fit."""
    n = len(row)
    for count in range(1, n + 1):
        size, extra = divmod(n, count)
        sizes = [size + 1] * extra + [size] * (count - extra)
        if any(GRID_COLUMNS % s for s in sizes):
            continue
        groups: list[list[_Item]] = []
        start = 0
        for s in sizes:
            groups.append(list(row[start : start + s]))
            start += s
        if all(_need(item.label) <= GRID_COLUMNS // len(g) for g in groups for item in g):
            return groups
    return [[item] for item in row]


def _button(item: _Item, columns: int, rows: int) -> dict[str, Any]:
    label = item.label[:MAX_LABEL]
    base: dict[str, Any] = {"Columns": columns, "Rows": rows, "Text": label}
    if isinstance(item, Button):
        return base | {
            "ActionType": "reply",
            "ActionBody": BUTTON_PREFIX + item.payload,
            "Silent": True,
        }
    if isinstance(item, CommandButton):
        return base | {
            "ActionType": "reply",
            "ActionBody": COMMAND_PREFIX + item.command,
            "Silent": True,
        }
    if isinstance(item, LinkButton):
        return base | {"ActionType": "open-url", "ActionBody": item.url}
    action = "location-picker" if item.request is Request.LOCATION else "share-phone"
    # Viber requires a non-empty ActionBody even though these buttons send no text.
    return base | {"ActionType": action, "ActionBody": item.request.value}


def layout(rows: Sequence[Sequence[_Item]]) -> Keyboard:
    """Lay rows of buttons out on the 6-column grid (see the module doc)."""
    buttons: list[dict[str, Any]] = []
    api = 1
    for row in rows:
        for line in _groups(row):
            width = GRID_COLUMNS // len(line)
            fits = all(len(item.label) <= width * CHARS_PER_COLUMN for item in line)
            for item in line:
                buttons.append(_button(item, width, 1 if fits else 2))
                if isinstance(item, Button | CommandButton):
                    api = max(api, API_SILENT)
                elif isinstance(item, RequestButton):
                    api = max(api, API_REQUESTS)
    return Keyboard(tuple(buttons), api)


def reply_keyboard(reply: Reply) -> Keyboard | None:
    """The reply's own keyboard: its share requests first, then its button rows."""
    rows: list[list[_Item]] = []
    if reply.requests:
        rows.extend([request] for request in reply.requests)
    rows.extend(list(row) for row in reply.buttons if row)
    return layout(rows) if rows else None


def persistent_keyboard(menu_label: str, help_label: str) -> Keyboard:
    """Menu and Help: valid on any screen (a global action and a command)."""
    return layout([[Button(menu_label, MENU), CommandButton(help_label, "help")]])


def sender(name: str, avatar: str | None) -> dict[str, str]:
    # Viber cuts the sender name at 28 characters.
    data = {"name": name[:28]}
    if avatar:
        data["avatar"] = avatar
    return data


def message_dicts(
    reply: Reply,
    keyboard: Keyboard | None,
    *,
    text_limit: int = MAX_TEXT,
) -> list[dict[str, Any]]:
    """The Viber messages for one reply: its text (split if over the limit), then its
    location. The keyboard rides on every message, so the screen never shows a stale one."""
    kb = None if keyboard is None else keyboard.as_json()
    api = None if keyboard is None or keyboard.min_api_version <= 1 else keyboard.min_api_version
    out: list[dict[str, Any]] = []
    if reply.text.strip():
        for chunk in split_text(reply.text, text_limit):
            message = TextMessage(text=chunk, keyboard=kb, min_api_version=api)
            if not message.validate():
                raise ValueError("a Viber text message needs text")
            out.append(message.to_dict())
    if reply.location is not None:
        location = LocationMessage(
            location=ViberLocation(reply.location.latitude, reply.location.longitude),
            keyboard=kb,
            min_api_version=api,
        )
        if location.validate():
            out.append(location.to_dict())
    return out


def welcome_message(
    replies: Sequence[Reply], keyboard: Keyboard | None
) -> tuple[dict[str, Any] | None, int]:
    """Viber allows one message in the `conversation_started` answer: the turn's texts are
    joined into it while they fit 7000 characters. Returns (message, replies left out)."""
    texts: list[str] = []
    used = 0
    for reply in replies:
        text = reply.text.strip()
        if not text:
            continue
        extra = len(text) + (2 if texts else 0)
        if used + extra > MAX_TEXT:
            break
        texts.append(text)
        used += extra
    dropped = sum(1 for r in replies if r.text.strip()) - len(texts)
    if not texts:
        return None, dropped
    [message] = message_dicts(Reply(text="\n\n".join(texts)), keyboard)
    return message, dropped
