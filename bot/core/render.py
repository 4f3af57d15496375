"""Degrade replies to what a channel can show.

Too many buttons become a numbered list the resident answers by typing the number; rows are
re-wrapped to the channel's width; long labels are shortened; links and share-requests the
channel cannot show become text; long text is split at paragraph boundaries (then lines,
then words) with the buttons on the last part.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.core.capabilities import ChannelCapabilities
from bot.core.i18n import I18n, Translator
from bot.core.messages import AnyButton, Button, LinkButton, Reply


@dataclass(frozen=True, slots=True)
class RenderTexts:
    """Localized fragments rendering needs; the engine fills them for the resident's locale."""

    choose_number: str = "Type the number of your choice."
    share_location: str = "Send your location: /location <latitude> <longitude>"
    share_phone: str = "Send your phone number: /contact <number>"


def render_texts(i18n: I18n, locale: str, *, text_screen: bool = False) -> RenderTexts:
    """The fragments in the resident's language. On a screen that also takes typed text, a
    numbered list is answered with "#N", so a typed number stays the resident's input."""
    t = Translator(i18n, locale)
    return RenderTexts(
        choose_number=t("render-choose-number-hash" if text_screen else "render-choose-number"),
        share_location=t("render-share-location"),
        share_phone=t("render-share-phone"),
    )


@dataclass(slots=True)
class Rendered:
    replies: list[Reply] = field(default_factory=list)
    numbered: list[str] = field(default_factory=list)

    def offered(self) -> list[str]:
        return [p for reply in self.replies for p in reply.payloads()] + self.numbered


def split_text(text: str, limit: int) -> list[str]:
    """Split at paragraph boundaries, falling back to lines, words and finally characters."""
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        parts = text.split(separator)
        if len(parts) == 1:
            continue
        chunks: list[str] = []
        current = ""
        for part in parts:
            candidate = part if not current else current + separator + part
            if len(candidate) <= limit:
                current = candidate
                continue
            if current:
                chunks.append(current)
            if len(part) <= limit:
                current = part
            else:
                pieces = split_text(part, limit)
                chunks.extend(pieces[:-1])
                current = pieces[-1]
        if current:
            chunks.append(current)
        return chunks
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def _shorten(label: str, limit: int) -> str:
    """A button label that fits `limit` characters, cut at a word boundary, then «…».

    The words that fit are kept whole, without the punctuation or dash they ended on
    («↪️ Не наше: куди…», not «↪️ Не наше: куди зверн…»); a label whose first word alone is
    too long (nothing readable would be left) is cut inside that word."""
    if len(label) <= limit:
        return label
    room = max(1, limit - 1)  # the «…» takes one character
    head = label[:room]
    if not label[room].isspace():  # the cut falls inside a word: drop that word
        head = head[: max(head.rfind(" "), 0)]
    head = head.rstrip(" ,.;:·—–-")
    if not any(char.isalnum() for char in head):
        head = label[:room].rstrip()
    return head + "…"


def _rewrap(rows: list[list[AnyButton]], per_row: int) -> list[list[AnyButton]]:
    wrapped: list[list[AnyButton]] = []
    for row in rows:
        for start in range(0, len(row), per_row):
            wrapped.append(row[start : start + per_row])
    return wrapped


def render(replies: list[Reply], caps: ChannelCapabilities, texts: RenderTexts) -> Rendered:
    out = Rendered()
    for reply in replies:
        text = reply.text
        buttons = [list(row) for row in reply.buttons if row]
        if not caps.link_buttons:
            links = [b for row in buttons for b in row if isinstance(b, LinkButton)]
            if links:
                text += "\n\n" + "\n".join(f"{b.label}: {b.url}" for b in links)
            buttons = [[b for b in row if isinstance(b, Button)] for row in buttons]
            buttons = [row for row in buttons if row]
        count = sum(len(row) for row in buttons)
        if count and count > caps.max_buttons:
            lines = []
            kept: list[list[AnyButton]] = []
            for row in buttons:
                for b in row:
                    if isinstance(b, Button):
                        out.numbered.append(b.payload)
                        lines.append(f"{len(out.numbered)}. {b.label}")
                    else:
                        kept.append([b])
            text += "\n\n" + "\n".join(lines) + "\n\n" + texts.choose_number
            buttons = kept if caps.link_buttons else []
        buttons = [
            [replace(b, label=_shorten(b.label, caps.max_button_label)) for b in row]
            for row in _rewrap(buttons, max(1, caps.max_buttons_per_row))
        ]
        requests = list(reply.requests)
        for req in reply.requests:
            supported = (
                caps.location_request if req.request.value == "location" else caps.phone_request
            )
            if not supported:
                requests.remove(req)
                hint = (
                    texts.share_location if req.request.value == "location" else (texts.share_phone)
                )
                text += "\n\n" + hint
        chunks = split_text(text, caps.max_text_length)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            out.replies.append(
                replace(
                    reply,
                    text=chunk,
                    buttons=buttons if last else [],
                    requests=requests if last else [],
                    location=reply.location if last else None,
                    document=reply.document if last else None,
                    replace_screen=reply.replace_screen and index == 0,
                )
            )
    return out
