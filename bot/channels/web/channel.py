"""The web chat: a page at `/` (and a widget script that embeds it) talking to the engine.

One action's path:

    POST /web/api/send (JSON, same origin, signed cookie) → the inbound runner
    (bot/core/inbound.py, `run_now`) records the action in the inbox under the page's
    action id (a retried request has no effect) and runs the engine turn → the replies
    come back in the response body. A body that is not JSON in UTF-8 text
    (nested too deeply, lone surrogates) → 400 with a sentence in the visitor's language;
    the database down → 503 with Retry-After (bot.app.database_unavailable), and the page
    may send the action again.

Proactive messages (`deliver`, called by the outbox sender): the message is stored in
`web_pending` and every open page of that resident is woken; a page reads its messages over
server-sent events (`GET /web/api/events`) and confirms each one it has shown
(`POST /web/api/ack`), which deletes it. A page that is closed gets them on its next load;
a page served by another instance finds them within one heartbeat (it reads the table then).
So `deliver` answers SENT once the row is stored: from there on the message cannot be lost.

The operator console lives under `/admin` (bot/channels/web/admin); it works on the whole
service, so the composition root hands the channel a builder for it (`CONSOLE_BUILDER`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from aiohttp import web

from bot.channels.web import wire
from bot.channels.web.clients import NewIdentityLimit, client_address
from bot.channels.web.pages import (
    BASE_HEADERS,
    CHAT_CSP,
    LANG_COOKIE,
    STATIC,
    environment,
    render,
    secure_cookies,
    translator,
    ui_locale,
)
from bot.channels.web.session import COOKIE, MAX_AGE, USER_ID, CookieSigner, secret_or_random
from bot.channels.web.wire import CHANNEL, BadRequest
from bot.config import Network, parse_networks
from bot.core.attachments import AttachmentProblem
from bot.core.capabilities import WEB
from bot.core.inbound import InboundRunner
from bot.core.messages import Address, Attachment, Reply
from bot.core.ports import DeliveryResult, DeliveryStatus, InboundPort
from storage import clock
from storage.db import DATABASE_ERRORS
from storage.repos.access import DownloadRepo
from storage.repos.residents import ResidentRepo
from storage.repos.web import WebPendingRepo

if TYPE_CHECKING:
    import jinja2

log = logging.getLogger(__name__)
MAX_BODY = 16 * 1024
# What a failing database looks like from here (as in the Telegram channel): SQLAlchemy's
# errors, and the driver's connection errors that reach us unwrapped.
PENDING_KEPT = timedelta(days=30)  # a resident who never comes back: drop after a month
# Strings the page's script needs (labels it adds itself); the rest is in the HTML.
SCRIPT_STRINGS = (
    "web-you",
    "web-svoi",
    "web-sending",
    "web-send-failed",
    "web-too-many-new-chats",
    "web-offline",
    "web-online",
    "web-location-asking",
    "web-location-denied",
    "web-location-unsupported",
    "web-location-sent",
    "web-phone-label",
    "web-phone-send",
    "web-download",
    "web-map-link",
    "web-new-messages",
    "web-photo-sent",
    "web-photo-too-large",
)


class ConsoleRoutes(Protocol):
    """The console as the chat sees it: the routes it added (for the access tests)."""

    @property
    def routes(self) -> list[tuple[str, str]]: ...


class ConsoleBuilder(Protocol):
    """Builds the operator console on the chat's app, templates and cookie settings."""

    def __call__(
        self,
        app: web.Application,
        env: jinja2.Environment,
        *,
        secret: str,
        secure: bool,
        trusted_proxies: list[Network],
    ) -> ConsoleRoutes: ...


# Set by the composition root (bot.app.build_web_app): the web channel adds the console.
CONSOLE_BUILDER: web.AppKey[ConsoleBuilder] = web.AppKey("console")


def same_origin(request: web.Request, public_base_url: str = "") -> bool:
    """A browser's `Origin` (when it sends one) must be this service's own."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    try:
        host = urlsplit(origin).netloc.lower()
    except ValueError:  # not a URL ("http://[::1"): not ours either
        return False
    allowed = {request.host.lower()}
    if public_base_url:
        allowed.add(urlsplit(public_base_url).netloc.lower())
    return host in allowed


class WebChannel:
    name = CHANNEL
    capabilities = WEB

    def __init__(self, port: InboundPort, app: web.Application, *, heartbeat: float = 15.0) -> None:
        self.port = port
        self.inbound = InboundRunner(port, CHANNEL)
        self.heartbeat = heartbeat
        settings = port.settings
        secret, generated = secret_or_random(settings.web_secret_key.get_secret_value())
        if generated:
            log.warning(
                "WEB_SECRET_KEY is not set: a random key was made, so web chat sessions and "
                "console logins will not survive a restart"
            )
        self.secret = secret
        self.signer = CookieSigner(secret)
        self.secure = secure_cookies(settings.public_base_url)
        self.trusted_proxies = parse_networks(settings.trusted_proxies)
        self.new_chats = NewIdentityLimit(settings.web_new_chats_per_hour)
        self.env = environment()
        self._listeners: dict[str, set[asyncio.Event]] = {}
        # Photos being taken by a turn, by their reference: the upload's request runs the
        # turn (`run_now`), so they live exactly as long as that request.
        self._uploads: dict[str, bytes] = {}
        self._stopping = asyncio.Event()
        app.router.add_get("/", self.page)
        app.router.add_get("/web/widget.js", self.widget)
        app.router.add_post("/web/api/send", self.send)
        app.router.add_post("/web/api/photo", self.photo)
        app.router.add_get("/web/api/events", self.events)
        app.router.add_post("/web/api/ack", self.ack)
        app.router.add_static("/web/static/", STATIC, name="web-static", append_version=True)
        build_console = app.get(CONSOLE_BUILDER)
        self.console = (
            None
            if build_console is None
            else build_console(
                app,
                self.env,
                secret=secret,
                secure=self.secure,
                trusted_proxies=self.trusted_proxies,
            )
        )

    # --- lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        settings = self.port.settings
        base = settings.public_base_url.rstrip("/") or (
            f"http://{settings.http_host}:{settings.http_port}"
        )
        async with self.port.db.transaction() as session:
            dropped = await WebPendingRepo(session).purge_older_than(clock.now() - PENDING_KEPT)
        if dropped:
            log.info("web: dropped %d messages nobody came back for", dropped)
        print(
            f"  • Web chat: {base}/   (operator console: {base}/admin)",
            flush=True,
        )

    async def stop(self) -> None:
        self._stopping.set()
        for events in self._listeners.values():
            for event in events:
                event.set()

    # --- identity -------------------------------------------------------------------
    def _user(self, request: web.Request) -> str | None:
        return self.signer.verify(request.cookies.get(COOKIE))

    def _set_identity(self, response: web.StreamResponse, user_id: str) -> None:
        value = self.signer.sign(user_id)
        if not self.secure:
            response.set_cookie(
                COOKIE, value, max_age=MAX_AGE, path="/", httponly=True, samesite="Lax"
            )
            return
        # An embedded page (the widget's iframe on the council's site) is a third-party
        # context: its cookie must be SameSite=None; Secure, and Partitioned (CHIPS) so it
        # still works where third-party cookies are blocked. Python 3.11's cookie module
        # does not know `Partitioned`, so the header is written here (the value is
        # base64url and dots: nothing to quote).
        response.headers.add(
            "Set-Cookie",
            f"{COOKIE}={value}; Max-Age={MAX_AGE}; Path=/; HttpOnly; Secure; "
            "SameSite=None; Partitioned",
        )

    # --- the page -------------------------------------------------------------------
    async def page(self, request: web.Request) -> web.Response:
        """The chat page in the resident's language: a language picked on the page (`?lang=`)
        becomes the resident's; once a resident has chosen a language (here or in the chat)
        it wins over the language cookie, the widget's hint (`?hl=`, the language of the
        site that embeds the chat) and the browser's Accept-Language."""
        user_id = self._user(request)
        fresh = user_id is None
        i18n = self.port.i18n
        picked = request.query.get("lang")
        picked = picked if picked in i18n.locales else None
        resident_locale: str | None = None
        if user_id is not None:
            async with self.port.db.transaction() as session:
                resident = await ResidentRepo(session).get(CHANNEL, user_id)
                if resident is not None and picked is not None and resident.locale != picked:
                    # The page's language link is a choice like the chat's: the bot's
                    # answers follow it, not only the page around them.
                    resident.locale = picked
                if resident is not None and resident.locale_chosen:
                    resident_locale = resident.locale
            if resident is None:
                fresh = True
        user_id = user_id or self.signer.new_user_id()
        hint = request.query.get("hl")
        locale = picked or resident_locale or ui_locale(request, i18n, hint)
        t = translator(i18n, locale)
        strings = {key: t(key) for key in SCRIPT_STRINGS}
        response = render(
            self.env,
            "chat.html",
            {
                "t": t,
                "lang": locale,
                "other_lang": "en" if locale == "uk" else "uk",
                "embed": request.query.get("embed") == "1",
                "fresh": fresh,
                "strings": json.dumps(strings, ensure_ascii=False),
            },
            headers={
                **BASE_HEADERS,
                "Content-Security-Policy": CHAT_CSP,
                "Cache-Control": "no-store",
            },
        )
        self._set_identity(response, user_id)
        if (picked or resident_locale) and request.cookies.get(LANG_COOKIE) != locale:
            # The cookie follows the choice, so every answer of this service (errors, the
            # first message of a new chat) speaks it too.
            response.set_cookie(
                LANG_COOKIE,
                locale,
                max_age=MAX_AGE,
                path="/",
                httponly=True,
                secure=self.secure,
                samesite="Lax",
            )
        return response

    async def widget(self, request: web.Request) -> web.Response:
        response = web.FileResponse(STATIC / "widget.js")
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response  # type: ignore[return-value]

    # --- actions --------------------------------------------------------------------
    def _refuse_cross_site(self, request: web.Request) -> web.Response | None:
        # A JSON body cannot be posted across sites without a CORS preflight, which this
        # service never grants; the Origin check covers browsers that send it anyway.
        if not same_origin(request, self.port.settings.public_base_url):
            return web.json_response({"error": "cross-site request"}, status=403)
        if request.content_type != "application/json":
            return web.json_response({"error": "send application/json"}, status=415)
        return None

    async def _json(self, request: web.Request) -> tuple[Any, str]:
        """The body as JSON, and as the text it came in. BadRequest unless it is JSON in
        UTF-8 whose strings are Unicode text (JSON can escape a lone surrogate, which no
        database can store) and which is nested shallowly enough to parse."""
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(
                max_size=MAX_BODY, actual_size=request.content_length
            )
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=len(body))
        try:
            text = body.decode("utf-8")
            data = json.loads(text)
            json.dumps(data, ensure_ascii=False).encode("utf-8")  # lone surrogates fail here
        except RecursionError:
            raise BadRequest("JSON nested too deeply") from None
        except UnicodeError:  # before ValueError: UnicodeError is one
            raise BadRequest("not UTF-8 text") from None
        except ValueError:
            raise BadRequest("not JSON") from None
        return data, text

    def _bad_request(self, request: web.Request, exc: BadRequest) -> web.Response:
        """400 with a sentence the page can show in the visitor's language, and the detail."""
        t = translator(self.port.i18n, ui_locale(request, self.port.i18n))
        return web.json_response(
            {"error": t("web-bad-request"), "detail": str(exc)},
            status=400,
            headers=BASE_HEADERS,
        )

    async def send(self, request: web.Request) -> web.Response:
        refused = self._refuse_cross_site(request)
        if refused is not None:
            return refused
        try:
            body, raw = await self._json(request)
        except BadRequest as exc:
            return self._bad_request(request, exc)
        return await self._act(request, body, raw)

    async def photo(self, request: web.Request) -> web.Response:
        """`POST /web/api/photo?id=<action id>` with the picture as the body: the same turn
        as a photo sent in a messenger (the core checks the bytes, strips metadata and
        keeps it only if the screen takes photos). Bodies over ATTACHMENT_MAX_MB: 413."""
        if not same_origin(request, self.port.settings.public_base_url):
            return web.json_response({"error": "cross-site request"}, status=403)
        if self._user(request) is None:
            # A photo is never a first message: the page starts (or resumes) the chat first.
            return self._bad_request(request, BadRequest("start the chat first"))
        limit = int(self.port.settings.attachment_max_mb * 1024 * 1024)
        too_large = web.json_response(
            {
                "error": translator(self.port.i18n, ui_locale(request, self.port.i18n))(
                    "web-photo-too-large"
                )
            },
            status=413,
            headers=BASE_HEADERS,
        )
        if request.content_length is not None and request.content_length > limit:
            return too_large
        data = await request.content.read(limit + 1)
        if len(data) > limit:
            return too_large
        if not data:
            return self._bad_request(request, BadRequest("empty photo"))
        body = {"id": request.query.get("id"), "type": "photo", "size": len(data)}
        raw = json.dumps(body)
        ref = f"{self._user(request)}:{body['id']}"
        self._uploads[ref] = data
        try:
            return await self._act(request, body, raw)
        finally:
            self._uploads.pop(ref, None)

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """The photo of the upload whose turn is running (`photo`)."""
        data = self._uploads.get(attachment.ref)
        if data is None:
            raise AttachmentProblem("unavailable", "upload is gone")
        if len(data) > limit:
            raise AttachmentProblem("too-large", f"{len(data)} bytes")
        return data

    async def _act(self, request: web.Request, body: Any, raw: str) -> web.Response:
        user_id = self._user(request)
        new_identity = user_id is None
        i18n = self.port.i18n
        # A first message starts a resident, with or without the cookie the page handed out.
        if self.new_chats.enabled and (new_identity or not await self._known(user_id)):
            refused = self._admit_new_identity(request)
            if refused is not None:
                return refused
        user_id = user_id or self.signer.new_user_id()
        address = Address(CHANNEL, user_id)
        try:
            incoming = wire.incoming(
                address,
                body,
                language_hint=ui_locale(request, i18n),
                text_limit=self.port.settings.max_text_length,
            )
        except BadRequest as exc:
            return self._bad_request(request, exc)
        replies = await self.inbound.run_now(incoming, raw)
        messages = [await self._message(user_id, reply) for reply in replies]
        response = web.json_response({"messages": messages}, headers=BASE_HEADERS)
        if new_identity:
            self._set_identity(response, user_id)
        return response

    async def _known(self, user_id: str | None) -> bool:
        async with self.port.db.transaction() as session:
            return await ResidentRepo(session).get(CHANNEL, user_id or "") is not None

    def _admit_new_identity(self, request: web.Request) -> web.Response | None:
        """A first message starts a new resident: at most `WEB_NEW_CHATS_PER_HOUR` of those
        per client address (a script dropping its cookies, or fetching a fresh one from the
        page each time, would otherwise add a resident per request). Residents never wait."""
        wait = self.new_chats.admit(client_address(request, self.trusted_proxies))
        if wait:
            log.warning("web chat: new chats refused for one client address for %d s", wait)
            t = translator(self.port.i18n, ui_locale(request, self.port.i18n))
            return web.json_response(
                {"error": t("web-too-many-new-chats")},
                status=429,
                headers={**BASE_HEADERS, "Retry-After": str(wait)},
            )
        return None

    async def _message(self, user_id: str, reply: Reply) -> dict[str, Any]:
        """The reply as JSON; a document is stored behind a one-day download link."""
        url = None
        if reply.document is not None:
            document = reply.document
            async with self.port.db.transaction() as session:
                resident = await ResidentRepo(session).get(CHANNEL, user_id)
                token = await DownloadRepo(session).create(
                    resident.id if resident else None,
                    document.filename,
                    document.mime_type,
                    document.content,
                )
            url = f"/files/{token}"
        data = wire.message(reply, url)
        data["replace"] = reply.replace_screen
        return data

    # --- proactive messages -----------------------------------------------------------
    async def deliver(self, user_id: str, reply: Reply) -> DeliveryResult:
        if not USER_ID.match(user_id):
            return DeliveryResult(DeliveryStatus.GONE, error="not a web user id")
        data = await self._message(user_id, reply)
        async with self.port.db.transaction() as session:
            row_id = await WebPendingRepo(session).add(CHANNEL, user_id, data, clock.now())
        self._wake(user_id)
        return DeliveryResult(DeliveryStatus.SENT, message_id=str(row_id))

    def _wake(self, user_id: str) -> None:
        for event in self._listeners.get(user_id, ()):
            event.set()

    def open_pages(self, user_id: str) -> int:
        return len(self._listeners.get(user_id, ()))

    async def events(self, request: web.Request) -> web.StreamResponse:
        user_id = self._user(request)
        if user_id is None:
            return web.json_response({"error": "no session"}, status=401)
        after = _after(request.headers.get("Last-Event-ID") or request.query.get("after"))
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",  # nginx: pass events through at once
                **BASE_HEADERS,
            }
        )
        await response.prepare(request)
        wake = asyncio.Event()
        self._listeners.setdefault(user_id, set()).add(wake)
        failing = False
        try:
            await response.write(b"retry: 3000\n: connected\n\n")
            while not self._stopping.is_set():
                wake.clear()
                try:
                    async with self.port.db.transaction() as session:
                        rows = await WebPendingRepo(session).after(user_id, after)
                except DATABASE_ERRORS as exc:
                    # The stream stays open (a browser gives up on an EventSource answered
                    # with an error status) and reads again after the next heartbeat.
                    if not failing:
                        log.warning(
                            "web: pending messages unreadable, retrying every heartbeat: %s",
                            type(exc).__name__,
                            extra={"channel": CHANNEL},
                        )
                    failing, rows = True, []
                else:
                    failing = False
                for row in rows:
                    after = row.id
                    payload = json.dumps({"id": row.id, **row.message}, ensure_ascii=False)
                    await response.write(f"id: {row.id}\ndata: {payload}\n\n".encode())
                if rows:
                    continue  # there may be more than one page of them
                try:
                    await asyncio.wait_for(wake.wait(), timeout=self.heartbeat)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
        except ConnectionResetError:
            # The page went away; its unacknowledged messages stay for the next load.
            log.debug("web: a page closed its event stream", extra={"channel": CHANNEL})
        finally:
            listeners = self._listeners.get(user_id)
            if listeners is not None:
                listeners.discard(wake)
                if not listeners:
                    del self._listeners[user_id]
        return response

    async def ack(self, request: web.Request) -> web.Response:
        refused = self._refuse_cross_site(request)
        if refused is not None:
            return refused
        user_id = self._user(request)
        if user_id is None:
            return web.json_response({"error": "no session"}, status=401)
        try:
            body, _raw = await self._json(request)
            ids = body.get("ids") if isinstance(body, Mapping) else None
            if not isinstance(ids, list) or len(ids) > 200 or not all(_is_id(i) for i in ids):
                raise BadRequest("ids must be a list of message ids")
        except BadRequest as exc:
            return self._bad_request(request, exc)
        async with self.port.db.transaction() as session:
            count = await WebPendingRepo(session).acknowledge(user_id, [int(i) for i in ids])
        return web.json_response({"acknowledged": count}, headers=BASE_HEADERS)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**62


def _after(value: str | None) -> int:
    # isascii: str.isdigit() is also true of "²" (which int() refuses) and "١٢" (which it reads).
    if value is None or not (value.isascii() and value.isdigit()) or len(value) >= 19:
        return 0
    return int(value)
