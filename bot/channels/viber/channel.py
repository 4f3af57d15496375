"""The Viber channel: the signed webhook, one engine turn per callback, and sending.

Webhook (`POST /webhook/viber`)
    1. the `X-Viber-Content-Signature` is checked on the raw body; missing or wrong → 403;
    2. the body is parsed (viberbot's request classes); unreadable → 400;
    3. a turn's callback from a user id no Viber account has (empty, longer than its column,
       unprintable) → 200 and dropped: a resident with it would fail every turn;
    4. the inbound runner (bot/core/inbound.py, `run_now`) records a turn's callback in the
       inbox under its `message_token` before anything else (the database failing → 503,
       so Viber retries) and runs the turn; a repeat is passed on, and the engine's inbox
       check gives it no effect once the first delivery finished (a repeat of one that
       never finished, after a crash, runs it);
    5. `conversation_started` answers with the welcome message in the response body, other
       turns' replies go out with `send_message`, then 200.
    `delivered` / `seen` / `failed` update `viber_message_status` (idempotent, no inbox).

Keyboards (see docs/viber.md)
    Viber keeps the last keyboard on screen. Every message of a turn carries the turn's
    keyboard (the last one a reply offered), or, when the turn offered none, the persistent
    menu (🏠 Menu, ❓ Help), so a stale screen's buttons never stay visible. Proactive
    messages (`deliver` from the outbox) without buttons carry no keyboard, which leaves the
    resident's current, still valid screen in place; with buttons, the persistent menu is
    added under them so the resident can always leave.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot.channels.viber.api import (
    BROADCAST_BATCH,
    MAX_BODY_BYTES,
    Answer,
    Timeouts,
    ViberApi,
    classify,
    encode,
)
from bot.channels.viber.inbound import (
    CHANNEL,
    Ack,
    BadCallback,
    ResidentCallback,
    StatusUpdate,
    parse,
    signature_ok,
)
from bot.channels.viber.messages import (
    Keyboard,
    message_dicts,
    persistent_keyboard,
    reply_keyboard,
    sender,
    welcome_message,
)
from bot.core.capabilities import VIBER
from bot.core.inbound import InboundRunner
from bot.core.messages import Attachment, Lifecycle, Reply
from bot.core.ports import DeliveryResult, DeliveryStatus, InboundPort
from bot.core.render import split_text
from storage import clock
from storage.db import DATABASE_ERRORS
from storage.models.viber import RANK, ViberMessageStatus
from storage.repos.common import insert_ignoring_conflicts
from storage.repos.residents import ResidentRepo

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/webhook/viber"
WEBHOOK_EVENTS = (
    "delivered",
    "seen",
    "failed",
    "subscribed",
    "unsubscribed",
    "conversation_started",
)
SIGNATURE_HEADER = "X-Viber-Content-Signature"
# The columns a callback's ids go into: residents.user_id and inbound_events.event_id.
USER_ID_LENGTH = 128
EVENT_ID_LENGTH = 128


class ViberChannel:
    name = CHANNEL
    capabilities = VIBER

    def __init__(
        self, port: InboundPort, app: web.Application, *, timeouts: Timeouts | None = None
    ) -> None:
        settings = port.settings.viber
        if settings.auth_token is None or not settings.auth_token.get_secret_value():
            raise ValueError("VIBER_AUTH_TOKEN is not set")
        self.port = port
        self.settings = settings
        self.inbound = InboundRunner(port, CHANNEL)
        self._token = settings.auth_token.get_secret_value()
        self.api = ViberApi(settings.api_base, self._token, timeouts)
        self.config_error: str | None = None
        app.router.add_post(WEBHOOK_PATH, self.webhook)

    # --- health ---------------------------------------------------------------------
    @property
    def healthy(self) -> bool:
        """False after Viber said our token, account, webhook or balance is wrong."""
        return self.config_error is None

    def health(self) -> dict[str, str]:
        return {"viber": "ok" if self.config_error is None else f"config: {self.config_error}"}

    def _note(self, result: DeliveryResult, endpoint: str) -> None:
        if result.status is DeliveryStatus.CONFIG:
            if self.config_error != result.error:
                log.error(
                    "Viber configuration error on %s: %s. Check VIBER_AUTH_TOKEN, the bot "
                    "account's state and balance, and VIBER_WEBHOOK_URL.",
                    endpoint,
                    result.error,
                    extra={"channel": CHANNEL},
                )
            self.config_error = result.error
        elif result.status is DeliveryStatus.SENT and self.config_error is not None:
            log.info("Viber answers again: configuration error cleared")
            self.config_error = None

    # --- lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        """Register the webhook when `VIBER_WEBHOOK_URL` is set (Viber then calls it once
        with a signed `webhook` event, which this service must already be answering)."""
        url = self.settings.webhook_url
        if not url:
            log.info("VIBER_WEBHOOK_URL is not set: the webhook is left as it is")
            return
        answer = await self.api.call(
            "set_webhook",
            {"url": url, "event_types": list(WEBHOOK_EVENTS), "send_name": True},
        )
        self._note(answer.result, "set_webhook")
        if answer.result.ok:
            log.info("Viber webhook set", extra={"channel": CHANNEL})
        else:
            log.error(
                "could not set the Viber webhook: %s (%s)",
                answer.result.status.value,
                answer.result.error,
                extra={"channel": CHANNEL},
            )

    async def stop(self) -> None:
        await self.api.close()

    # --- inbound --------------------------------------------------------------------
    async def webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        # The signature is hex: a header with other characters (aiohttp hands bytes that are
        # not UTF-8 over as surrogates) is simply wrong.
        given = request.headers.get(SIGNATURE_HEADER)
        if given is None or not given.isascii() or not signature_ok(body, self._token, given):
            log.warning("Viber callback with a missing or wrong signature refused")
            return web.Response(status=403)
        if b"\x00" in body:
            # JSON in UTF-8 never holds a NUL byte; UTF-16 and UTF-32 (which `json.loads`
            # would read) always do, and their text would reach the inbox with NULs in it.
            log.warning("Viber callback that is not UTF-8 refused", extra={"channel": CHANNEL})
            return web.Response(status=400)
        try:
            callback = parse(body)
        except (BadCallback, RecursionError) as exc:  # RecursionError: nested too deeply
            log.warning("unreadable Viber callback: %r", exc, extra={"channel": CHANNEL})
            return web.Response(status=400)
        if isinstance(callback, Ack):
            return web.Response(status=200)
        if isinstance(callback, StatusUpdate):
            return await self._status(_printable_status(callback))
        user_id = callback.incoming.address.user_id
        if not _is_user_id(user_id):
            # Acknowledged, so Viber does not retry for an hour, and dropped: no Viber
            # account has such an id, and a resident made with it would fail every turn
            # (PostgreSQL refuses NUL, and values longer than the column).
            log.warning(
                "Viber callback refused: not a Viber user id (%d characters)",
                len(user_id),
                extra={"channel": CHANNEL},
            )
            return web.Response(status=200)
        return await self._turn(_bounded_event_id(callback), body)

    async def _turn(self, callback: ResidentCallback, body: bytes) -> web.StreamResponse:
        incoming = callback.incoming
        try:
            replies = await self.inbound.run_now(incoming, body.decode("utf-8", "replace"))
        except DATABASE_ERRORS as exc:
            log.error(
                "could not record a Viber callback, Viber will retry: %s",
                type(exc).__name__,
                extra={"channel": CHANNEL, "event_id": callback.event_id},
            )
            return web.Response(status=503)
        user_id = incoming.address.user_id
        keyboard = await self._turn_keyboard(user_id, replies) if replies else None
        if incoming.event is Lifecycle.CONVERSATION_STARTED:
            return self._welcome(replies, keyboard)
        for reply in replies:
            result = await self._send(user_id, message_dicts(reply, keyboard))
            if not result.ok:
                await self._failed_turn_reply(user_id, result, callback.event_id)
                break
        return web.Response(status=200)

    def _welcome(self, replies: Sequence[Reply], keyboard: Keyboard | None) -> web.Response:
        message, dropped = welcome_message(replies, keyboard)
        if dropped:
            log.warning(
                "%d welcome replies did not fit in one Viber message and were dropped", dropped
            )
        if message is None:
            return web.Response(status=200)
        message["sender"] = sender(self.settings.bot_name, self.settings.bot_avatar)
        return web.Response(body=encode(message), content_type="application/json")

    async def _failed_turn_reply(self, user_id: str, result: DeliveryResult, event_id: str) -> None:
        log.warning(
            "a reply to a Viber resident was not sent: %s (%s)",
            result.status.value,
            result.error,
            extra={"channel": CHANNEL, "event_id": event_id},
        )
        if result.status is DeliveryStatus.GONE:
            async with self.port.db.transaction() as session:
                await ResidentRepo(session).mark_inactive(CHANNEL, user_id)

    async def _status(self, update: StatusUpdate) -> web.StreamResponse:
        if update.status == "failed":
            log.warning(
                "Viber could not deliver message %s: %s",
                update.message_token,
                update.error,
                extra={"channel": CHANNEL},
            )
        try:
            await self.record_status(update)
        except DATABASE_ERRORS as exc:
            log.error("could not record a Viber delivery status: %s", type(exc).__name__)
            return web.Response(status=503)
        return web.Response(status=200)

    async def record_status(self, update: StatusUpdate) -> None:
        """Keep the furthest status per message; repeated or late callbacks change nothing."""
        now = clock.now()
        async with self.port.db.transaction() as session:
            inserted = await session.execute(
                insert_ignoring_conflicts(session, ViberMessageStatus)
                .values(
                    message_token=update.message_token[:32],
                    user_id=update.user_id[:128],
                    status=update.status,
                    error=update.error,
                    updated_at=now,
                )
                .returning(ViberMessageStatus.message_token)
            )
            if inserted.scalar_one_or_none() is not None:
                return
            row = (
                await session.execute(
                    select(ViberMessageStatus)
                    .where(ViberMessageStatus.message_token == update.message_token[:32])
                    .with_for_update()
                )
            ).scalar_one()
            if RANK.get(update.status, 0) > RANK.get(row.status, 0):
                row.status = update.status
                row.error = update.error
                row.updated_at = now

    # --- keyboards ------------------------------------------------------------------
    async def _locale(self, user_id: str) -> str:
        async with self.port.db.transaction() as session:
            resident = await ResidentRepo(session).get(CHANNEL, user_id)
        if resident is None:
            return self.port.settings.default_locale
        return resident.locale

    async def _persistent(self, user_id: str) -> Keyboard:
        locale = await self._locale(user_id)
        i18n = self.port.i18n
        return persistent_keyboard(i18n.t(locale, "btn-menu"), i18n.t(locale, "viber-help"))

    async def _turn_keyboard(self, user_id: str, replies: Sequence[Reply]) -> Keyboard:
        for reply in reversed(replies):
            keyboard = reply_keyboard(reply)
            if keyboard is not None:
                return keyboard
        return await self._persistent(user_id)

    # --- outbound -------------------------------------------------------------------
    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """A picture or file a resident sent: its media URL, from Viber's CDN."""
        return await self.api.download(attachment.ref, limit)

    async def deliver(self, user_id: str, reply: Reply) -> DeliveryResult:
        """Send one (proactive) reply with `send_message`; see the module doc for keyboards."""
        keyboard = reply_keyboard(reply)
        if keyboard is not None:
            keyboard = keyboard + await self._persistent(user_id)
        messages = message_dicts(reply, keyboard)
        if not messages:
            return DeliveryResult(DeliveryStatus.PERMANENT, error="nothing Viber can show")
        if reply.document is not None:
            log.warning("documents cannot be sent on Viber; the text went without it")
        return await self._send(user_id, messages)

    async def _send(self, user_id: str, messages: list[dict[str, Any]]) -> DeliveryResult:
        """Send messages in order; stop at the first that fails and return its result."""
        result = DeliveryResult(DeliveryStatus.PERMANENT, error="nothing to send")
        who = sender(self.settings.bot_name, self.settings.bot_avatar)
        for message in messages:
            for part in _fit(message | {"receiver": user_id, "sender": who}):
                answer = await self.api.call("send_message", part)
                self._note(answer.result, "send_message")
                if not answer.result.ok:
                    return answer.result
                result = answer.result
        return result

    async def broadcast(
        self, user_ids: Sequence[str], reply: Reply, *, locale: str | None = None
    ) -> dict[str, DeliveryResult]:
        """Send one reply to many residents with `broadcast_message`, ≤300 a call.

        Returns a result per user id. `locale` names the language of the reply (for the
        persistent menu's labels under its buttons). Needs VIBER_BROADCAST_ENABLED (Viber
        enables the call per bot account); without it every result is CONFIG."""
        if not self.settings.broadcast_enabled:
            off = DeliveryResult(
                DeliveryStatus.CONFIG, error="broadcast is disabled (VIBER_BROADCAST_ENABLED)"
            )
            return dict.fromkeys(user_ids, off)
        keyboard = reply_keyboard(reply)
        if keyboard is not None:
            lang = locale or self.port.settings.default_locale
            keyboard = keyboard + persistent_keyboard(
                self.port.i18n.t(lang, "btn-menu"), self.port.i18n.t(lang, "viber-help")
            )
        messages = message_dicts(reply, keyboard)
        results: dict[str, DeliveryResult] = {}
        who = sender(self.settings.bot_name, self.settings.bot_avatar)
        unique = list(dict.fromkeys(user_ids))
        for start in range(0, len(unique), BROADCAST_BATCH):
            batch = unique[start : start + BROADCAST_BATCH]
            pending = list(batch)
            for message in messages:
                if not pending:
                    break
                for part in _fit(message | {"sender": who}):
                    answer = await self.api.call(
                        "broadcast_message", part | {"broadcast_list": pending}
                    )
                    self._note(answer.result, "broadcast_message")
                    outcome = _broadcast_outcome(answer, pending)
                    results.update(outcome)
                    pending = [u for u in pending if outcome[u].ok]
        return results


def _is_user_id(value: str) -> bool:
    """Viber user ids are short printable strings (base64 characters)."""
    return 0 < len(value) <= USER_ID_LENGTH and value.isprintable()


def _bounded_event_id(callback: ResidentCallback) -> ResidentCallback:
    """A callback's key in the inbox fits the column: Viber's `message_token` is a number,
    but the fallback key of a callback without one is built from its other fields, and a
    longer or unprintable key is replaced by its SHA-256 (the same callback, the same key)."""
    event_id = callback.event_id
    if len(event_id) <= EVENT_ID_LENGTH and event_id.isprintable():
        return callback
    digest = hashlib.sha256(event_id.encode("utf-8", "surrogatepass")).hexdigest()
    bounded = f"sha256:{digest}"
    return ResidentCallback(replace(callback.incoming, event_id=bounded), bounded)


def _printable_status(update: StatusUpdate) -> StatusUpdate:
    """A delivery status is kept for its message token; what cannot be stored is dropped."""

    def printable(value: str) -> str:
        return "".join(ch for ch in value if ch.isprintable())

    return StatusUpdate(
        printable(update.message_token),
        printable(update.user_id),
        update.status,
        None if update.error is None else printable(update.error),
    )


def _broadcast_outcome(answer: Answer, receivers: list[str]) -> dict[str, DeliveryResult]:
    if not answer.result.ok:
        return dict.fromkeys(receivers, answer.result)
    outcome = dict.fromkeys(receivers, answer.result)
    failed = answer.body.get("failed_list")
    for item in failed if isinstance(failed, list) else []:
        if isinstance(item, dict) and item.get("receiver") in outcome:
            status = item.get("status")
            outcome[item["receiver"]] = classify(
                status if isinstance(status, int) else -1, str(item.get("status_message", ""))
            )
    return outcome


def _fit(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Keep each call under Viber's 30 KB: a text too big in bytes (emoji, Cyrillic) is
    split further; the keyboard rides on every part."""
    if len(encode(payload)) <= MAX_BODY_BYTES or payload.get("type") != "text":
        return [payload]
    text = str(payload.get("text", ""))
    if len(text) < 2:
        return [payload]
    parts = split_text(text, len(text) // 2 + 1)
    return [piece for chunk in parts for piece in _fit(payload | {"text": chunk})]
