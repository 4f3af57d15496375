"""The Telegram channel: webhook or polling in, Bot API calls out, nothing lost in between.

One update's path:

    POST /webhook/telegram → secret checked in constant time (401) → the update's id read
    (400 without one) → the inbound runner (bot/core/inbound.py, `accept`) records the raw
    update under its update_id (database down: 503, Telegram redelivers; already recorded:
    200 and nothing else) → 200 → in the background, in arrival order per chat: answer the
    callback query → engine turn (marks the inbox row done in the turn's transaction) →
    replies sent, the first one editing the pressed message when the core replaces a screen.

`sweep()` (the runner's) re-runs updates recorded but never processed (a crash between
recording and the turn, a failure outside the engine); the channel calls it every
`sweep_interval` seconds and the service may call it too. Polling mode
(`TELEGRAM_MODE=polling`) feeds getUpdates results into the same path and moves the offset
only past updates that were recorded.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
from contextlib import suppress
from dataclasses import replace
from datetime import timedelta
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import BotCommand, Message, Update
from aiogram.utils.token import TokenValidationError
from aiohttp import web
from pydantic import ValidationError
from sqlalchemy import select

from bot.channels.telegram.inbound import ALLOWED_UPDATES, CHANNEL, Inbound, read_update
from bot.channels.telegram.outbound import (
    NOT_MODIFIED,
    STORED_MARK,
    AnyMethod,
    classify,
    edit_call,
    send_calls,
    stored_key,
    stored_payloads,
)
from bot.channels.telegram.session import Session
from bot.config import TelegramSettings
from bot.core.attachments import FETCH_TIMEOUT, AttachmentProblem, check_size
from bot.core.capabilities import TELEGRAM
from bot.core.inbound import InboundRunner, Job
from bot.core.messages import Attachment, Incoming, Kind, Reply
from bot.core.ports import DeliveryResult, DeliveryStatus, InboundPort
from storage import clock
from storage.db import DATABASE_ERRORS
from storage.models.telegram import TelegramCallback
from storage.repos.common import dialect_insert
from storage.repos.residents import ResidentRepo

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
COMMANDS = ("start", "menu", "help", "settings", "language")
REPLY_RETRIES = 3
MAX_REPLY_WAIT = 30.0  # a reply waits out a 429 up to this long; the outbox waits longer


def webhook_secret(settings: TelegramSettings) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the token so every instance agrees."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    digest = hmac.new(token.encode(), b"svoi telegram webhook", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class TelegramChannel:
    """The Telegram adapter; see the module docstring for the path of one update."""

    name = CHANNEL
    capabilities = TELEGRAM

    def __init__(
        self,
        port: InboundPort,
        app: web.Application,
        *,
        request_timeout: float = 30.0,
        sweep_interval: float | None = 30.0,
        sweep_after: timedelta = timedelta(seconds=60),
        poll_timeout: int = 25,
        max_concurrent_turns: int | None = None,
    ) -> None:
        self.port = port
        self.settings = port.settings.telegram
        if self.settings.bot_token is None:
            raise SystemExit("svoi: configuration error: TELEGRAM_BOT_TOKEN is not set")
        try:
            self.bot = Bot(
                self.settings.bot_token.get_secret_value(),
                session=Session(
                    api=TelegramAPIServer.from_base(self.settings.api_base),
                    timeout=request_timeout,
                ),
                default=DefaultBotProperties(parse_mode=ParseMode.HTML),
            )
        except TokenValidationError:
            raise SystemExit(
                "svoi: configuration error: TELEGRAM_BOT_TOKEN: not a bot token "
                "(expected <digits>:<letters>, as @BotFather gives it)"
            ) from None
        self.secret = webhook_secret(self.settings).encode()
        self.sweep_interval = sweep_interval
        self.poll_timeout = poll_timeout
        # Updates of one chat run one after another, in the order they arrived.
        self.inbound = InboundRunner(
            port,
            CHANNEL,
            self._read,
            max_concurrent_turns=max_concurrent_turns,
            sweep_after=sweep_after,
        )
        self._loops: list[asyncio.Task[None]] = []
        self._paused_until = 0.0
        app.router.add_post(WEBHOOK_PATH, self.webhook)

    # --- inbound ---------------------------------------------------------------------
    async def webhook(self, request: web.Request) -> web.Response:
        # aiohttp decodes header bytes that are not UTF-8 as surrogates; `surrogateescape`
        # turns them back into the bytes that came over the wire, which then do not match.
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self.secret):
            log.warning("telegram webhook with a wrong or missing secret")
            return web.Response(status=401)
        try:
            body = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="not UTF-8")
        update_id = _update_id(body)
        if update_id is None:
            return web.Response(status=400, text="not a Telegram update")
        outcome = await self.accept(update_id, body)
        return web.Response(status=503 if outcome is None else 200)

    async def accept(self, update_id: int, body: str) -> bool | None:
        """Record one update and start processing it; False for a duplicate, None when the
        database could not record it (the sender must deliver it again)."""
        return await self.inbound.accept(str(update_id), body)

    def _read(self, update_id: str, body: str) -> Job | None:
        try:
            update = Update.model_validate_json(body, context={"bot": self.bot})
        except ValidationError as exc:
            log.warning("unreadable telegram update %s: %d errors", update_id, exc.error_count())
            return None
        inbound = read_update(update)
        if inbound.chat_id is not None and not _in_id_range(inbound.chat_id):
            # Telegram's chat ids fit in 52 bits; a longer one would be a resident whose
            # every turn fails on the user id column.
            log.warning("telegram update %s: chat id out of range", update_id)
            return None
        return Job(inbound.chat_id, lambda: self._process(update_id, inbound))

    async def _process(self, update_id: str, inbound: Inbound) -> None:
        if inbound.callback_id is not None:
            await self._answer_callback(inbound.callback_id)
        if inbound.incoming is None or inbound.chat_id is None:
            await self.inbound.close(update_id)
            if inbound.edited and inbound.chat_id is not None:
                await self._edited_hint(inbound.chat_id)
            return
        incoming = await self._resolve_payload(inbound.incoming)
        replies = await self.inbound.turn(incoming)
        await self._send_replies(inbound.chat_id, incoming, replies)

    async def _answer_callback(self, callback_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_id)
        except TelegramAPIError as exc:
            # Too old (the sweeper re-ran it) or Telegram unreachable: the turn still runs.
            log.info("could not answer callback query: %s", exc.message)

    async def _resolve_payload(self, incoming: Incoming) -> Incoming:
        if incoming.kind is not Kind.BUTTON or not incoming.payload.startswith(STORED_MARK):
            return incoming
        async with self.port.db.transaction() as session:
            payload = (
                await session.execute(
                    select(TelegramCallback.payload).where(
                        TelegramCallback.key == incoming.payload[len(STORED_MARK) :]
                    )
                )
            ).scalar_one_or_none()
        # An unknown key stays as it is: the engine answers it as an out-of-date menu.
        return incoming if payload is None else replace(incoming, payload=payload)

    async def _edited_hint(self, chat_id: int) -> None:
        async with self.port.db.transaction() as session:
            resident = await ResidentRepo(session).get(CHANNEL, str(chat_id))
        locale = resident.locale if resident is not None else self.port.settings.default_locale
        text = self.port.i18n.t(locale, "telegram-edited-ignored")
        await self._send_with_retries(chat_id, Reply(text))

    # --- sweeper ---------------------------------------------------------------------
    async def sweep(self, older_than: timedelta | None = None, limit: int = 100) -> int:
        """Re-run updates recorded at least `older_than` ago and still not processed;
        returns how many were run. Safe to call from any instance at any time."""
        return await self.inbound.sweep(older_than, limit)

    async def drain(self) -> None:
        """Wait until every update taken so far has been processed."""
        await self.inbound.drain()

    # --- outbound --------------------------------------------------------------------
    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """A resident's file: `getFile`, then its file URL, read up to `limit` bytes (bots
        may fetch files up to 20 MB; Telegram answers a larger one with "file is too big")."""
        try:
            found = await self.bot.get_file(attachment.ref)
        except TelegramBadRequest as exc:
            reason = "too-large" if "too big" in exc.message.lower() else "unavailable"
            raise AttachmentProblem(reason, exc.message) from exc
        except (TelegramAPIError, aiohttp.ClientError) as exc:
            raise AttachmentProblem("unavailable", type(exc).__name__) from exc
        check_size(found.file_size, limit)
        if not found.file_path:
            raise AttachmentProblem("unavailable", "no file_path")
        url = self.bot.session.api.file_url(self.bot.token, found.file_path)
        assert isinstance(self.bot.session, Session)
        http = await self.bot.session.create_session()
        data = bytearray()
        try:
            async with http.get(
                url, timeout=aiohttp.ClientTimeout(total=FETCH_TIMEOUT), raise_for_status=True
            ) as response:
                async for chunk in response.content.iter_chunked(65536):
                    data += chunk
                    if len(data) > limit:
                        raise AttachmentProblem("too-large", f"over {limit} bytes")
        except aiohttp.ClientError as exc:
            raise AttachmentProblem("unavailable", type(exc).__name__) from exc
        return bytes(data)

    async def deliver(self, user_id: str, reply: Reply) -> DeliveryResult:
        """Send one reply (the outbox's path): one attempt, classified; no waiting."""
        try:
            chat_id = int(user_id)
        except ValueError:
            return DeliveryResult(DeliveryStatus.PERMANENT, error=f"not a chat id: {user_id!r}")
        try:
            await self._store_payloads(reply)
        except DATABASE_ERRORS as exc:
            return DeliveryResult(DeliveryStatus.TRANSIENT, error=f"storing payloads: {exc}")
        result, _ = await self._execute(send_calls(chat_id, reply), 0)
        return result

    async def _send_replies(self, chat_id: int, incoming: Incoming, replies: list[Reply]) -> None:
        for index, reply in enumerate(replies):
            ref = incoming.message_ref
            replaces = index == 0 and reply.replace_screen and ref is not None and ref.isdigit()
            if replaces and await self._edit(chat_id, int(str(ref)), reply):
                continue
            result = await self._send_with_retries(chat_id, reply)
            if result.status is DeliveryStatus.GONE:
                async with self.port.db.transaction() as session:
                    await ResidentRepo(session).mark_inactive(CHANNEL, str(chat_id))
                return
            if not result.ok:
                log.warning(
                    "telegram reply not sent (%s): %s", result.status.value, result.error or ""
                )
                if result.status is DeliveryStatus.CONFIG:
                    return

    async def _edit(self, chat_id: int, message_id: int, reply: Reply) -> bool:
        """Replace the pressed message; False means "send it as a new message instead"."""
        call = edit_call(chat_id, message_id, reply)
        if call is None or self._pause_left() > 0:
            return False
        try:
            await self._store_payloads(reply)
        except DATABASE_ERRORS as exc:
            log.warning("long button payloads not stored: %s", type(exc).__name__)
            return False  # the send path tries again and reports the failure
        try:
            await self.bot(call)
        except TelegramBadRequest as exc:
            if NOT_MODIFIED in exc.message.lower():
                return True  # the screen already shows exactly this
            log.info("could not edit message %s, sending instead: %s", message_id, exc.message)
            return False
        except TelegramAPIError as exc:
            outcome = classify(exc)
            if outcome.status is DeliveryStatus.RATE_LIMITED:
                self._pause(outcome.retry_after or 1.0)
            log.info("editing failed (%s), sending instead", outcome.status.value)
            return False
        return True

    async def _send_with_retries(self, chat_id: int, reply: Reply) -> DeliveryResult:
        """Send a reply during a turn: wait out short 429s and retry transient failures,
        resuming after the last part that went out, so nothing is sent twice."""
        try:
            await self._store_payloads(reply)
        except DATABASE_ERRORS as exc:
            # Buttons whose payload could not be stored would be dead: send nothing rather
            # than a broken screen, and let the caller carry on with the other replies.
            log.warning("long button payloads not stored: %s", type(exc).__name__)
            return DeliveryResult(DeliveryStatus.TRANSIENT, error="payload store unavailable")
        calls = send_calls(chat_id, reply)
        done = 0
        for attempt in range(REPLY_RETRIES + 1):
            result, done = await self._execute(calls, done)
            if attempt == REPLY_RETRIES:
                break
            if result.status is DeliveryStatus.RATE_LIMITED:
                wait = result.retry_after or 1.0
                if wait > MAX_REPLY_WAIT:
                    break
                await asyncio.sleep(wait)
            elif result.status is DeliveryStatus.TRANSIENT:
                await asyncio.sleep(0.5 * 2**attempt)
            else:
                break
        return result

    async def _execute(self, calls: list[AnyMethod], start: int) -> tuple[DeliveryResult, int]:
        """Make calls[start:] in order; stop at the first failure. Returns the outcome and
        how many calls are done."""
        message_id: str | None = None
        for index in range(start, len(calls)):
            wait = self._pause_left()
            if wait > 0:
                result = DeliveryResult(
                    DeliveryStatus.RATE_LIMITED, retry_after=wait, error="waiting out a 429"
                )
                return result, index
            try:
                sent = await self.bot(calls[index])
            except TelegramAPIError as exc:
                outcome = classify(exc)
                if outcome.status is DeliveryStatus.RATE_LIMITED:
                    self._pause(outcome.retry_after or 1.0)
                return outcome, index
            if isinstance(sent, Message):
                message_id = str(sent.message_id)
        return DeliveryResult(DeliveryStatus.SENT, message_id=message_id), len(calls)

    def _pause(self, seconds: float) -> None:
        """After a 429 the whole token stops sending for `retry_after` seconds."""
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)

    def _pause_left(self) -> float:
        return max(0.0, self._paused_until - asyncio.get_running_loop().time())

    async def _store_payloads(self, reply: Reply) -> None:
        payloads = stored_payloads(reply)
        if not payloads:
            return
        now = clock.now()
        rows = [{"key": stored_key(p), "payload": p, "created_at": now} for p in payloads]
        async with self.port.db.transaction() as session:
            # `created_at` is about when a message last carried the payload, so retention only
            # drops payloads no recent message shows; refreshed at most daily, not rewritten on
            # every send of a menu.
            insert = dialect_insert(session, TelegramCallback).values(rows)
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=["key"],
                    set_={"created_at": insert.excluded.created_at},
                    where=TelegramCallback.created_at < now - timedelta(days=1),
                )
            )

    # --- start and stop --------------------------------------------------------------
    async def start(self) -> None:
        """Register the webhook (or start polling), the commands menu and descriptions,
        and the sweeper. A rejected token stops the service; an unreachable Telegram is
        retried in the background."""
        try:
            await self._configure()
        except (TelegramUnauthorizedError, TelegramNotFound) as exc:
            raise SystemExit(
                f"svoi: Telegram rejected TELEGRAM_BOT_TOKEN ({exc.message}); check the token"
            ) from None
        except TelegramAPIError as exc:
            log.error("telegram set-up failed, retrying in the background: %s", exc.message)
            self._loops.append(asyncio.create_task(self._configure_later()))
        if self.settings.mode == "polling":
            self._loops.append(asyncio.create_task(self._poll_forever()))
        if self.sweep_interval is not None:
            self.inbound.start_sweeping(self.sweep_interval)

    async def _configure(self) -> None:
        if self.settings.mode == "polling":
            await self.bot.delete_webhook(drop_pending_updates=False)
        elif self.settings.webhook_url:
            if not self.settings.webhook_url.rstrip("/").endswith(WEBHOOK_PATH):
                log.warning("TELEGRAM_WEBHOOK_URL does not end with %s", WEBHOOK_PATH)
            await self.bot.set_webhook(
                url=self.settings.webhook_url,
                secret_token=self.secret.decode(),
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            )
        else:
            log.warning("TELEGRAM_WEBHOOK_URL is not set: the webhook must be set elsewhere")
        i18n = self.port.i18n
        # The default (no language_code) serves every other language, in the default locale.
        for language in (None, *i18n.locales):
            locale = language or self.port.settings.default_locale
            commands = [
                BotCommand(command=command, description=i18n.t(locale, f"telegram-cmd-{command}"))
                for command in COMMANDS
            ]
            await self.bot.set_my_commands(commands, language_code=language)
            await self.bot.set_my_description(
                description=i18n.t(locale, "telegram-description")[:512], language_code=language
            )
            await self.bot.set_my_short_description(
                short_description=i18n.t(locale, "telegram-short-description")[:120],
                language_code=language,
            )

    async def _configure_later(self) -> None:
        delay = 5.0
        while True:
            await asyncio.sleep(delay)
            try:
                await self._configure()
            except TelegramAPIError as exc:
                log.error("telegram set-up failed again: %s", exc.message)
                delay = min(delay * 2, 300.0)
                continue
            log.info("telegram set-up done")
            return

    async def _poll_forever(self) -> None:
        offset: int | None = None
        backoff = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.poll_timeout,
                    allowed_updates=list(ALLOWED_UPDATES),
                    request_timeout=self.poll_timeout + 10,
                )
            except TelegramRetryAfter as exc:
                await asyncio.sleep(exc.retry_after)
                continue
            except (TelegramUnauthorizedError, TelegramNotFound) as exc:
                log.error("polling stopped: Telegram rejected the token (%s)", exc.message)
                return
            except TelegramConflictError as exc:
                # Another instance polls, or a webhook is set: wait, do not fight over it.
                log.error("polling conflict: %s", exc.message)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60.0)
                continue
            except TelegramAPIError as exc:
                log.warning("polling failed: %s", exc.message)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60.0)
                continue
            backoff = 1.0
            for update in updates:
                body = update.model_dump_json(exclude_none=True)
                if await self.accept(update.update_id, body) is None:
                    # Not recorded: do not confirm it; getUpdates returns it again.
                    await asyncio.sleep(backoff)
                    break
                offset = update.update_id + 1

    async def stop(self, grace: float = 10.0) -> None:
        """Stop polling and the sweeper, let running turns finish (up to `grace` seconds;
        unfinished ones stay in the inbox for the sweeper), close the HTTP session."""
        for task in self._loops:
            task.cancel()
        for task in self._loops:
            with suppress(asyncio.CancelledError):
                await task
        self._loops.clear()
        await self.inbound.stop(grace)
        await self.bot.session.close()


def _in_id_range(value: int) -> bool:
    return -(2**63) < value < 2**63


def _update_id(body: str) -> int | None:
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deeply
        return None
    value = data.get("update_id") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
        return value
    return None
