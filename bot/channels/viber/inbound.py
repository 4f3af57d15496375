"""Viber callbacks in: the signature check, then viberbot's request parsing, then what the
core understands (`Incoming`) or a delivery status of one of our messages.

Callback → result
    conversation_started → Incoming LIFECYCLE conversation_started (args = deep-link context)
    subscribed / unsubscribed → Incoming LIFECYCLE subscribed / unsubscribed
    message: text → Incoming TEXT/COMMAND; text starting `BUTTON_PREFIX` → BUTTON (payload);
             text starting `COMMAND_PREFIX` → COMMAND; location → LOCATION; contact →
             CONTACT; picture → ATTACHMENT photo, file → ATTACHMENT document (the media
             URL to fetch it from); sticker, video, url, … → UNSUPPORTED (media = type)
    delivered / seen / failed → StatusUpdate
    webhook → Ack (Viber checking the URL)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from viberbot.api.messages import ContactMessage, LocationMessage, TextMessage
from viberbot.api.viber_requests import (
    ViberConversationStartedRequest,
    ViberDeliveredRequest,
    ViberFailedRequest,
    ViberMessageRequest,
    ViberSeenRequest,
    ViberSubscribedRequest,
    ViberUnsubscribedRequest,
    create_request,
)

from bot.channels.viber.messages import BUTTON_PREFIX, COMMAND_PREFIX
from bot.core.messages import (
    Address,
    Attachment,
    Contact,
    Incoming,
    Kind,
    Lifecycle,
    Location,
)

log = logging.getLogger(__name__)
CHANNEL = "viber"
HANDLED_EVENTS = frozenset(
    ("message", "conversation_started", "subscribed", "unsubscribed", "delivered", "seen", "failed")
)
MEDIA_TYPES = ("picture", "sticker", "file", "video", "url", "rich_media", "keyboard")


def signature(body: bytes, token: str) -> str:
    return hmac.new(token.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, token: str, header: str | None) -> bool:
    """`X-Viber-Content-Signature` is the hex HMAC-SHA256 of the raw body, keyed with the
    auth token; compared in constant time."""
    if not header:
        return False
    return hmac.compare_digest(signature(body, token).encode(), header.strip().encode())


class BadCallback(ValueError):
    """A signed body that is not a Viber callback we can read."""


@dataclass(frozen=True, slots=True)
class Ack:
    """A callback that needs only a 200 (the `webhook` check, an event we do not use)."""

    event: str


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    message_token: str
    user_id: str
    status: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ResidentCallback:
    """A resident's callback (a message, a conversation opened, a subscription change):
    one turn of the engine."""

    incoming: Incoming
    event_id: str


Callback = Ack | StatusUpdate | ResidentCallback


def parse(body: bytes) -> Callback:
    """Parse a verified body. Raises BadCallback for a body that is not a Viber callback."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadCallback("body is not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise BadCallback("no event in the callback")
    event = data["event"]
    if event not in HANDLED_EVENTS:
        return Ack(event)  # `webhook`, or an event Viber may add later: acknowledge it
    if event == "message" and isinstance(data.get("message"), dict):
        kind = data["message"].get("type")
        if kind not in ("text", "location", "contact"):
            return _media(data, str(kind))
    try:
        request = create_request(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadCallback(f"{event} callback is missing {exc}") from exc
    except Exception as exc:  # viberbot raises a bare Exception for unknown types
        raise BadCallback(f"{event} callback: {exc}") from exc
    return _convert(request, data)


def _event_id(data: dict[str, Any], event: str, user_id: str) -> str:
    token = data.get("message_token")
    if token is not None:
        return str(token)
    # Viber sends a token with every callback we record; this is a fallback for one without.
    return f"{event}:{user_id}:{data.get('timestamp')}"


def _user_extra(profile: Any) -> dict[str, Any]:
    return {
        "language_hint": getattr(profile, "language", None),
        "display_name": getattr(profile, "name", None),
    }


def _media(data: dict[str, Any], kind: str) -> ResidentCallback:
    sender = data.get("sender")
    if not isinstance(sender, dict) or not isinstance(sender.get("id"), str):
        raise BadCallback("message callback without a sender id")
    address = Address(CHANNEL, sender["id"])
    event_id = _event_id(data, "message", sender["id"])
    extra: dict[str, Any] = {
        "event_id": event_id,
        "language_hint": sender.get("language"),
        "display_name": sender.get("name"),
    }
    attachment = _attachment(data["message"], kind)
    if attachment is not None:
        caption = data["message"].get("text")
        incoming = Incoming(
            address,
            Kind.ATTACHMENT,
            attachment=attachment,
            text=caption[:1024] if isinstance(caption, str) else "",
            **extra,
        )
    else:
        incoming = Incoming(
            address, Kind.UNSUPPORTED, media=kind if kind in MEDIA_TYPES else "unknown", **extra
        )
    return ResidentCallback(incoming, event_id)


def _attachment(message: dict[str, Any], kind: str) -> Attachment | None:
    """A picture or a file with the media URL Viber gives for it (valid for a while)."""
    if kind not in ("picture", "file"):
        return None
    media = message.get("media")
    if not isinstance(media, str) or not media.startswith(("https://", "http://")):
        return None
    size = message.get("size")
    name = message.get("file_name")
    return Attachment(
        "photo" if kind == "picture" else "document",
        media[:2048],
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
        name=name[:128] if isinstance(name, str) else "",
    )


def _convert(request: Any, data: dict[str, Any]) -> Callback:
    if isinstance(request, ViberMessageRequest):
        return _message(request, data)
    if isinstance(request, ViberConversationStartedRequest):
        user = request.user
        event_id = _event_id(data, "conversation_started", user.id)
        context = request.context if isinstance(request.context, str) else ""
        incoming = Incoming(
            Address(CHANNEL, user.id),
            Kind.LIFECYCLE,
            event=Lifecycle.CONVERSATION_STARTED,
            args=context,
            event_id=event_id,
            **_user_extra(user),
        )
        return ResidentCallback(incoming, event_id)
    if isinstance(request, ViberSubscribedRequest):
        user = request.user
        event_id = _event_id(data, "subscribed", user.id)
        incoming = Incoming(
            Address(CHANNEL, user.id),
            Kind.LIFECYCLE,
            event=Lifecycle.SUBSCRIBED,
            event_id=event_id,
            **_user_extra(user),
        )
        return ResidentCallback(incoming, event_id)
    if isinstance(request, ViberUnsubscribedRequest):
        event_id = _event_id(data, "unsubscribed", request.user_id)
        incoming = Incoming(
            Address(CHANNEL, request.user_id),
            Kind.LIFECYCLE,
            event=Lifecycle.UNSUBSCRIBED,
            event_id=event_id,
        )
        return ResidentCallback(incoming, event_id)
    if isinstance(request, ViberFailedRequest):
        return StatusUpdate(
            str(request.message_token), str(request.user_id), "failed", str(request.desc)[:500]
        )
    if isinstance(request, ViberDeliveredRequest | ViberSeenRequest):
        return StatusUpdate(
            str(request.message_token), str(request.user_id or ""), str(request.event_type)
        )
    return Ack(str(request.event_type))


def _message(request: ViberMessageRequest, data: dict[str, Any]) -> ResidentCallback:
    sender = request.sender
    if not isinstance(sender.id, str):
        raise BadCallback("message callback without a sender id")
    address = Address(CHANNEL, sender.id)
    event_id = _event_id(data, "message", sender.id)
    extra = _user_extra(sender) | {"event_id": event_id}
    message = request.message
    incoming: Incoming
    if isinstance(message, TextMessage):
        text = message.text if isinstance(message.text, str) else ""
        if text.startswith(BUTTON_PREFIX):
            incoming = Incoming(
                address, Kind.BUTTON, payload=text.removeprefix(BUTTON_PREFIX), **extra
            )
        elif text.startswith(COMMAND_PREFIX):
            incoming = Incoming.text_message(
                address, "/" + text.removeprefix(COMMAND_PREFIX), **extra
            )
        else:
            incoming = Incoming.text_message(address, text, **extra)
    elif isinstance(message, LocationMessage):
        location = _location(message, data)
        if location is None:
            incoming = Incoming(address, Kind.UNSUPPORTED, media="location", **extra)
        else:
            incoming = Incoming(address, Kind.LOCATION, location=location, **extra)
    elif isinstance(message, ContactMessage) and message.contact is not None:
        contact = message.contact
        phone = str(contact.phone_number or "").strip()
        name = str(contact.name or "")
        if not phone:
            incoming = Incoming(address, Kind.UNSUPPORTED, media="contact", **extra)
        else:
            # A share-phone button sends the resident's own card, named as in their profile.
            own = bool(sender.name) and name == sender.name
            incoming = Incoming(
                address, Kind.CONTACT, contact=Contact(phone, name[:128], own=own), **extra
            )
    else:
        incoming = Incoming(address, Kind.UNSUPPORTED, media="unknown", **extra)
    return ResidentCallback(incoming, event_id)


def _location(message: LocationMessage, data: dict[str, Any]) -> Location | None:
    loc = message.location
    if loc is None:
        return None
    try:
        lat, lon = float(loc.latitude), float(loc.longitude)
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    raw = data["message"].get("location", {})
    address = raw.get("address") if isinstance(raw, dict) else None
    return Location(lat, lon, address=str(address)[:300] if address else "")
