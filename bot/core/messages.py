"""The neutral objects a turn is made of: what a resident sent (`Incoming`) and what Svoi
answers (`Reply`). Adapters translate platform updates into `Incoming` and `Reply` back into
platform calls; nothing here knows a platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "text"
    BUTTON = "button"
    COMMAND = "command"
    LOCATION = "location"
    CONTACT = "contact"
    ATTACHMENT = "attachment"
    UNSUPPORTED = "unsupported"
    LIFECYCLE = "lifecycle"


class Lifecycle(StrEnum):
    CONVERSATION_STARTED = "conversation_started"
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBED = "unsubscribed"
    BLOCKED = "blocked"
    UNBLOCKED = "unblocked"


@dataclass(frozen=True, slots=True)
class Address:
    """A resident's chat on one channel."""

    channel: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float
    title: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str
    name: str = ""
    own: bool = True


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo or a file a resident sent, as its channel names it: what the channel's
    adapter needs to fetch it later (`ref`: Telegram's file id, Viber's media URL, the web
    chat's upload id, a path in the terminal chat) and what the platform declared about it.
    Nothing here is trusted: the core checks the bytes themselves (bot/core/attachments.py)."""

    kind: str  # "photo" | "document"
    ref: str
    mime: str = ""
    size: int | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a resident did: typed, pressed, shared, or a change of subscription."""

    address: Address
    kind: Kind
    text: str = ""
    payload: str = ""
    command: str = ""
    args: str = ""
    location: Location | None = None
    contact: Contact | None = None
    media: str = ""
    attachment: Attachment | None = None
    event: Lifecycle | None = None
    event_id: str | None = None
    language_hint: str | None = None
    display_name: str | None = None
    message_ref: str | None = None

    @classmethod
    def text_message(cls, address: Address, text: str, **extra: Any) -> Incoming:
        """A text message, recognising `/command args` the way every channel writes them."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1 and not stripped[1].isspace():
            head, _, rest = stripped.partition(" ")
            command = head[1:].split("@", 1)[0].lower()
            return cls(
                address, Kind.COMMAND, text=text, command=command, args=rest.strip(), **extra
            )
        return cls(address, Kind.TEXT, text=text, **extra)


@dataclass(frozen=True, slots=True)
class Button:
    """A button that comes back to the bot as `payload` (kept short: Telegram allows 64 bytes)."""

    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class LinkButton:
    label: str
    url: str


class Request(StrEnum):
    LOCATION = "location"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class RequestButton:
    """Asks the resident's app to share their location or phone number."""

    label: str
    request: Request


@dataclass(frozen=True, slots=True)
class Document:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


AnyButton = Button | LinkButton


@dataclass(slots=True)
class Reply:
    """One message from Svoi. Text is plain: adapters escape it for their markup."""

    text: str
    buttons: list[list[AnyButton]] = field(default_factory=list)
    requests: list[RequestButton] = field(default_factory=list)
    remove_keyboard: bool = False
    location: Location | None = None
    document: Document | None = None
    replace_screen: bool = False

    def payloads(self) -> list[str]:
        return [b.payload for row in self.buttons for b in row if isinstance(b, Button)]
