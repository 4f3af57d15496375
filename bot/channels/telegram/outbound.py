"""`Reply` → Telegram Bot API calls, and Telegram's errors → `DeliveryResult`.

- Text goes out as HTML with everything escaped (the core's text is plain), split at 4096.
- Buttons become an inline keyboard; a payload over 64 bytes (Telegram's `callback_data`
  limit) is replaced by `~<key>`, the key derived from the payload and the payload kept in
  `telegram_callbacks`. Link buttons are URL buttons.
- Share-location / share-phone requests need a reply keyboard, which cannot sit on the same
  message as an inline keyboard: when a reply has both, the request keyboard follows in a
  second message whose text is the request labels. The keyboard is one-time, so it hides
  after use; `remove_keyboard` is honoured when the reply has no inline keyboard.
- A location becomes sendVenue (with a title or address) or sendLocation; a document
  sendDocument (multipart).
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    EditMessageText,
    SendDocument,
    SendLocation,
    SendMessage,
    SendVenue,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiohttp import ConnectionTimeoutError

from bot.core.messages import Button, LinkButton, Reply, Request
from bot.core.ports import DeliveryResult, DeliveryStatus
from bot.core.render import split_text

TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
STORED_MARK = "~"
# 403 means the chat is closed to the bot whatever the wording (blocked, deactivated, kicked,
# "can't initiate conversation"); among 400s only these say the recipient is gone.
GONE_400 = ("chat not found", "user not found", "peer_id_invalid", "group chat was upgraded")
NOT_MODIFIED = "message is not modified"

AnyMethod = TelegramMethod[Any]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def stored_key(payload: str) -> str:
    """A short, stable key for a payload: 96 bits of its SHA-256, URL-safe (16 characters)."""
    digest = hashlib.sha256(payload.encode("utf-8")).digest()[:12]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def needs_storing(payload: str) -> bool:
    return len(payload.encode("utf-8")) > CALLBACK_DATA_LIMIT or payload.startswith(STORED_MARK)


def callback_data(payload: str) -> str:
    return STORED_MARK + stored_key(payload) if needs_storing(payload) else payload


def stored_payloads(reply: Reply) -> list[str]:
    """Payloads of this reply that must be kept server-side before it is sent."""
    return [p for p in reply.payloads() if needs_storing(p)]


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    for row in reply.buttons:
        keys: list[InlineKeyboardButton] = []
        for button in row:
            if isinstance(button, Button):
                keys.append(
                    InlineKeyboardButton(
                        text=button.label, callback_data=callback_data(button.payload)
                    )
                )
            elif isinstance(button, LinkButton):
                keys.append(InlineKeyboardButton(text=button.label, url=button.url))
        if keys:
            rows.append(keys)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def request_keyboard(reply: Reply) -> ReplyKeyboardMarkup | None:
    if not reply.requests:
        return None
    keys = [
        KeyboardButton(
            text=request.label,
            request_location=request.request is Request.LOCATION or None,
            request_contact=request.request is Request.PHONE or None,
        )
        for request in reply.requests
    ]
    return ReplyKeyboardMarkup(keyboard=[keys], resize_keyboard=True, one_time_keyboard=True)


def send_calls(chat_id: int, reply: Reply) -> list[AnyMethod]:
    """The calls that show `reply` as new messages, in order."""
    calls: list[AnyMethod] = []
    inline = inline_keyboard(reply)
    requests = request_keyboard(reply)
    text = reply.text
    if not text.strip() and (inline is not None or requests is not None):
        text = "…"  # Telegram refuses a keyboard without text
    chunks = split_text(text, TEXT_LIMIT) if text.strip() else []
    for index, chunk in enumerate(chunks):
        markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None
        if index == len(chunks) - 1:
            if inline is not None:
                markup = inline
            elif requests is not None:
                markup = requests
            elif reply.remove_keyboard:
                markup = ReplyKeyboardRemove(remove_keyboard=True)
        calls.append(SendMessage(chat_id=chat_id, text=escape(chunk), reply_markup=markup))
    if inline is not None and requests is not None:
        labels = " · ".join(request.label for request in reply.requests)
        calls.append(SendMessage(chat_id=chat_id, text=escape(labels), reply_markup=requests))
    if reply.location is not None:
        place = reply.location
        if place.title or place.address:
            calls.append(
                SendVenue(
                    chat_id=chat_id,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    title=place.title or place.address,
                    address=place.address or place.title,
                )
            )
        else:
            calls.append(
                SendLocation(chat_id=chat_id, latitude=place.latitude, longitude=place.longitude)
            )
    if reply.document is not None:
        document = reply.document
        calls.append(
            SendDocument(
                chat_id=chat_id,
                document=BufferedInputFile(document.content, filename=document.filename),
            )
        )
    return calls


def edit_call(chat_id: int, message_id: int, reply: Reply) -> EditMessageText | None:
    """The call that turns the pressed message into `reply`, when one message can show it."""
    if (
        reply.requests
        or reply.location is not None
        or reply.document is not None
        or reply.remove_keyboard
        or not reply.text.strip()
        or len(reply.text) > TEXT_LIMIT
    ):
        return None
    return EditMessageText(
        chat_id=chat_id,
        message_id=message_id,
        text=escape(reply.text),
        reply_markup=inline_keyboard(reply),
    )


def classify(exc: TelegramAPIError) -> DeliveryResult:
    """What an error from the Bot API means for the message (see platform-facts.md)."""
    message = exc.message
    if isinstance(exc, TelegramRetryAfter):
        return DeliveryResult(
            DeliveryStatus.RATE_LIMITED, retry_after=float(exc.retry_after), error=message
        )
    if isinstance(exc, TelegramForbiddenError):
        return DeliveryResult(DeliveryStatus.GONE, error=message)
    if isinstance(exc, TelegramMigrateToChat):
        return DeliveryResult(DeliveryStatus.GONE, error=message)
    if isinstance(exc, TelegramBadRequest):
        lowered = message.lower()
        if any(marker in lowered for marker in GONE_400):
            return DeliveryResult(DeliveryStatus.GONE, error=message)
        return DeliveryResult(DeliveryStatus.PERMANENT, error=message)
    if isinstance(exc, TelegramUnauthorizedError | TelegramNotFound):
        return DeliveryResult(DeliveryStatus.CONFIG, error=message)
    if isinstance(exc, TelegramEntityTooLarge):
        return DeliveryResult(DeliveryStatus.PERMANENT, error=message)
    if isinstance(exc, TelegramServerError | TelegramConflictError):
        return DeliveryResult(DeliveryStatus.TRANSIENT, error=message)
    if isinstance(exc, TelegramNetworkError):
        cause = exc.__cause__
        if isinstance(cause, TimeoutError) and not isinstance(cause, ConnectionTimeoutError):
            # The request may have reached Telegram and the message may have been shown:
            # there is no idempotency key, so resending could duplicate it.
            return DeliveryResult(DeliveryStatus.UNKNOWN, error=message)
        # Connection refused or reset, DNS, a connect timeout: nothing was shown; retry.
        return DeliveryResult(DeliveryStatus.TRANSIENT, error=message)
    return DeliveryResult(DeliveryStatus.PERMANENT, error=message)
