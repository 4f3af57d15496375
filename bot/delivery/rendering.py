"""What an outbox row looks like to its resident: text and buttons in their language, then
degraded to what the channel can show.

Buttons are stored as `[[{"key": "btn-…", "payload": "g:…", "args": {…}}]]`; a link button
is `{"label": "…", "url": "https://…"}` (an operator's own words) or `{"key": …, "url": …}`.
A row with a category gets a last button that mutes that category (`g:mute:<category>`), so
a resident can stop any kind of notification from the message itself — unless the feature
already put its own global action on the message (e.g. the plan's "unfollow").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.capabilities import ChannelCapabilities
from bot.core.i18n import I18n
from bot.core.messages import AnyButton, Button, LinkButton, Reply
from bot.core.render import render, render_texts

MUTE_ACTION = "mute"
UNMUTE_ACTION = "unmute"
# Categories ("waste", "plan:c2", "broadcast") travel inside a 64-byte callback payload
# ("g:unmute:" + category).
CATEGORY_PATTERN = re.compile(r"^[a-z0-9_.:-]{1,55}$")


def valid_category(category: str) -> bool:
    return bool(CATEGORY_PATTERN.match(category))


def mute_payload(category: str) -> str:
    return f"g:{MUTE_ACTION}:{category}"


def category_name(i18n: I18n, locale: str, category: str) -> str:
    """How a category is called in messages: "waste" → "вивезення відходів"."""
    key = "delivery-category-" + category.split(":", 1)[0]
    if i18n.has(key, locale):
        return i18n.t(locale, key, {"category": category})
    return i18n.t(locale, "delivery-category-other", {"category": category})


def _label(i18n: I18n, locale: str, spec: Mapping[str, Any]) -> str:
    if "key" in spec:
        return i18n.t(locale, str(spec["key"]), dict(spec.get("args") or {}))
    return str(spec.get("label", ""))


def compose(
    i18n: I18n,
    locale: str,
    *,
    text: str | None,
    template_key: str | None,
    template_args: Mapping[str, Any],
    buttons: Sequence[Any],
    category: str,
) -> Reply:
    """The message in the resident's language, before the channel's limits are applied."""
    body = text if text is not None else i18n.t(locale, template_key or "", dict(template_args))
    rows: list[list[AnyButton]] = []
    payloads: set[str] = set()
    for raw_row in buttons:
        row: list[AnyButton] = []
        for spec in raw_row if isinstance(raw_row, list) else []:
            if not isinstance(spec, Mapping):
                continue
            label = _label(i18n, locale, spec)
            if spec.get("url"):
                row.append(LinkButton(label, str(spec["url"])))
            elif spec.get("payload"):
                payloads.add(str(spec["payload"]))
                row.append(Button(label, str(spec["payload"])))
        if row:
            rows.append(row)
    own_action = any(p.startswith("g:") and p != "g:menu" for p in payloads)
    if category and valid_category(category) and not own_action:
        rows.append([Button(i18n.t(locale, "delivery-btn-mute"), mute_payload(category))])
    return Reply(text=body, buttons=rows)


def for_channel(reply: Reply, caps: ChannelCapabilities, i18n: I18n, locale: str) -> list[Reply]:
    """Split and degrade for the channel, exactly as a turn's replies are."""
    return render([reply], caps, render_texts(i18n, locale)).replies
