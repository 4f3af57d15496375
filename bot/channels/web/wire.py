"""What travels between the web page and the service, as JSON.

From the page (`POST /web/api/send`), one object:
    {"id": "<uuid>", "type": "text", "text": "…"}
    {"id": …, "type": "button", "payload": "…"}
    {"id": …, "type": "location", "latitude": 49.42, "longitude": 26.98}
    {"id": …, "type": "contact", "phone": "+380…"}
    {"id": …, "type": "start"}                      (a new page: /start)
    {"id": …, "type": "resume"}                     (a returning visitor's new tab: /menu)
From the page (`POST /web/api/photo?id=<action id>`), a picture as the body; the event is
recorded as {"id": …, "type": "photo", "size": <bytes>} (the bytes are never recorded).
`id` is the page's own id for the action; a repeat (a retried request) has no effect.

To the page, each message:
    {"text": "…", "buttons": [[{"label", "payload"} | {"label", "url"}]],
     "requests": [{"label", "request": "location" | "phone"}],
     "location": {"latitude", "longitude", "title", "address"} | null,
     "document": {"filename", "url"} | null}
"""

from __future__ import annotations

import math
import re
from typing import Any

from bot.core.messages import (
    Address,
    Attachment,
    Button,
    Contact,
    Incoming,
    Kind,
    LinkButton,
    Location,
    Reply,
)

CHANNEL = "web"
ACTION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
PHONE = re.compile(r"^\+?[0-9 ()-]{5,20}$")
MAX_PAYLOAD = 64
# Links the page may open: web addresses and our own paths, never `javascript:` and the like.
SAFE_URL = re.compile(r"^(https?://|/(?!/))", re.IGNORECASE)


class BadRequest(ValueError):
    """The page sent something that is not one of the actions above."""


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise BadRequest("text must be a string")
    if len(value) > limit:
        # The engine answers "too long" in the resident's language; beyond a generous
        # bound the body is refused before it reaches the engine at all.
        raise BadRequest("text too long")
    return value


def _coordinate(value: Any, bound: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest("coordinates must be numbers")
    number = float(value)
    if not math.isfinite(number) or not -bound <= number <= bound:
        raise BadRequest("coordinates out of range")
    return number


def incoming(
    address: Address, body: Any, *, language_hint: str | None, text_limit: int
) -> Incoming:
    """Read one action from the page; BadRequest when it is not valid."""
    if not isinstance(body, dict):
        raise BadRequest("expected a JSON object")
    action_id = body.get("id")
    if not isinstance(action_id, str) or not ACTION_ID.match(action_id):
        raise BadRequest("id must be 8-64 characters of A-Z, a-z, 0-9, _ and -")
    event_id = f"{address.user_id}:{action_id}"
    common: dict[str, Any] = {"event_id": event_id, "language_hint": language_hint}
    kind = body.get("type")
    if kind == "text":
        return Incoming.text_message(address, _text(body.get("text"), text_limit * 2), **common)
    if kind == "start":
        return Incoming(address, Kind.COMMAND, text="/start", command="start", **common)
    if kind == "resume":
        # A page with no transcript of its own for a resident we know: the menu (or the
        # language choice, if none was made yet), never an empty page.
        return Incoming(address, Kind.COMMAND, text="/menu", command="menu", **common)
    if kind == "button":
        payload = body.get("payload")
        if not isinstance(payload, str) or not 0 < len(payload.encode()) <= MAX_PAYLOAD:
            raise BadRequest("payload must be 1-64 bytes")
        return Incoming(address, Kind.BUTTON, payload=payload, **common)
    if kind == "location":
        location = Location(
            _coordinate(body.get("latitude"), 90), _coordinate(body.get("longitude"), 180)
        )
        return Incoming(address, Kind.LOCATION, location=location, **common)
    if kind == "photo":
        size = body.get("size")
        photo = Attachment(
            "photo", event_id, size=size if isinstance(size, int) else None, name="web upload"
        )
        return Incoming(address, Kind.ATTACHMENT, attachment=photo, **common)
    if kind == "contact":
        phone = body.get("phone")
        if not isinstance(phone, str) or not PHONE.match(phone.strip()):
            raise BadRequest("phone must be 5-20 digits")
        return Incoming(address, Kind.CONTACT, contact=Contact(phone.strip()), **common)
    raise BadRequest("type must be text, start, resume, button, location or contact")


def message(reply: Reply, document_url: str | None = None) -> dict[str, Any]:
    """One reply as the page shows it (documents already stored behind `document_url`)."""
    rows: list[list[dict[str, str]]] = []
    for row in reply.buttons:
        out: list[dict[str, str]] = []
        for button in row:
            if isinstance(button, Button):
                out.append({"label": button.label, "payload": button.payload})
            elif isinstance(button, LinkButton) and SAFE_URL.match(button.url):
                out.append({"label": button.label, "url": button.url})
        if out:
            rows.append(out)
    data: dict[str, Any] = {
        "text": reply.text,
        "buttons": rows,
        "requests": [{"label": r.label, "request": r.request.value} for r in reply.requests],
        "location": None,
        "document": None,
    }
    if reply.location is not None:
        loc = reply.location
        data["location"] = {
            "latitude": loc.latitude,
            "longitude": loc.longitude,
            "title": loc.title,
            "address": loc.address,
        }
    if reply.document is not None and document_url is not None:
        data["document"] = {"filename": reply.document.filename, "url": document_url}
    return data
