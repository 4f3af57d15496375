"""Telegram updates → what they mean for Svoi (`Incoming`, or something the adapter handles).

Only private chats are conversations: updates from groups, channels and other bots are
acknowledged and dropped. A callback query becomes a button press carrying the id of the
pressed message (`message_ref`), so the reply can replace that screen. Edited messages are
not re-run (a step may already have acted on the first version); the adapter answers them
with a hint instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, Update, User

from bot.core.messages import (
    Address,
    Attachment,
    Contact,
    Incoming,
    Kind,
    Lifecycle,
    Location,
)

CHANNEL = "telegram"

# The update kinds setWebhook/getUpdates ask for; everything Svoi understands.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


@dataclass(frozen=True, slots=True)
class Inbound:
    """One update, read: the chat it belongs to and what to do with it.

    `incoming` is the turn to run (None: nothing to run). `callback_id` must be answered
    whatever happens. `edited` asks the adapter to explain that edits are not processed.
    """

    chat_id: int | None
    incoming: Incoming | None = None
    callback_id: str | None = None
    edited: bool = False


def _extra(update_id: int, user: User) -> dict[str, object]:
    return {
        "event_id": str(update_id),
        "language_hint": user.language_code,
        "display_name": user.full_name[:128] or None,
    }


def _from_message(update_id: int, message: Message) -> Incoming | None:
    user = message.from_user
    if message.chat.type != "private" or user is None or user.is_bot:
        return None
    address = Address(CHANNEL, str(message.chat.id))
    extra = _extra(update_id, user)
    if message.text is not None:
        return Incoming.text_message(address, message.text, **extra)
    if message.location is not None:
        venue = message.venue
        location = Location(
            latitude=message.location.latitude,
            longitude=message.location.longitude,
            title=venue.title if venue is not None else "",
            address=venue.address if venue is not None else "",
        )
        return Incoming(address, Kind.LOCATION, location=location, **extra)  # type: ignore[arg-type]
    if message.contact is not None:
        shared = message.contact
        name = " ".join(part for part in (shared.first_name, shared.last_name) if part)
        contact = Contact(phone=shared.phone_number, name=name, own=shared.user_id == user.id)
        return Incoming(address, Kind.CONTACT, contact=contact, **extra)  # type: ignore[arg-type]
    attachment = _attachment(message)
    if attachment is not None:
        return Incoming(
            address,
            Kind.ATTACHMENT,
            attachment=attachment,
            text=(message.caption or "")[:1024],
            **extra,  # type: ignore[arg-type]
        )
    content = message.content_type
    media = content.value if isinstance(content, ContentType) else str(content)
    return Incoming(address, Kind.UNSUPPORTED, media=media, **extra)  # type: ignore[arg-type]


def _attachment(message: Message) -> Attachment | None:
    """A photo (the largest size Telegram made of it) or a file sent as a document (a photo
    sent "as a file" keeps its EXIF: the core strips it)."""
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return Attachment(
            "photo", largest.file_id, mime="image/jpeg", size=largest.file_size, name=""
        )
    document = message.document
    if document is not None:
        return Attachment(
            "document",
            document.file_id,
            mime=(document.mime_type or "")[:64],
            size=document.file_size,
            name=(document.file_name or "")[:128],
        )
    return None


def _from_callback(update_id: int, query: CallbackQuery) -> Inbound:
    message = query.message
    if message is not None and message.chat.type != "private":
        return Inbound(chat_id=None, callback_id=query.id)
    chat_id = message.chat.id if message is not None else query.from_user.id
    if query.data is None:  # a game button: nothing Svoi offers
        return Inbound(chat_id=chat_id, callback_id=query.id)
    incoming = Incoming(
        Address(CHANNEL, str(chat_id)),
        Kind.BUTTON,
        payload=query.data,
        # A message too old for Telegram to show us still has its id; editing it may fail,
        # and the adapter then sends the screen as a new message.
        message_ref=str(message.message_id) if message is not None else None,
        **_extra(update_id, query.from_user),  # type: ignore[arg-type]
    )
    return Inbound(chat_id=chat_id, incoming=incoming, callback_id=query.id)


def _from_member(update_id: int, change: ChatMemberUpdated) -> Inbound:
    if change.chat.type != "private":
        return Inbound(chat_id=None)
    old, new = str(change.old_chat_member.status), str(change.new_chat_member.status)
    if new == "kicked":
        event = Lifecycle.BLOCKED
    elif old == "kicked" and new == "member":
        event = Lifecycle.UNBLOCKED
    else:
        return Inbound(chat_id=change.chat.id)
    incoming = Incoming(
        Address(CHANNEL, str(change.chat.id)),
        Kind.LIFECYCLE,
        event=event,
        **_extra(update_id, change.from_user),  # type: ignore[arg-type]
    )
    return Inbound(chat_id=change.chat.id, incoming=incoming)


def read_update(update: Update) -> Inbound:
    """What an update means; chat_id None marks one that belongs to no private chat."""
    if update.message is not None:
        incoming = _from_message(update.update_id, update.message)
        return Inbound(
            chat_id=None if incoming is None else update.message.chat.id, incoming=incoming
        )
    if update.callback_query is not None:
        return _from_callback(update.update_id, update.callback_query)
    if update.my_chat_member is not None:
        return _from_member(update.update_id, update.my_chat_member)
    if update.edited_message is not None:
        edited = update.edited_message
        if edited.chat.type == "private" and edited.from_user is not None:
            return Inbound(chat_id=edited.chat.id, edited=True)
    return Inbound(chat_id=None)
