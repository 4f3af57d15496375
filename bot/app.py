"""Composition root: settings → database → engine → channels → HTTP app (→ scheduler)."""

from __future__ import annotations

import asyncio
import ctypes
import errno
import gc
import hmac
import ipaddress
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

import dialogs
import handlers
from bot import metrics
from bot.channels.web.channel import CONSOLE_BUILDER, ConsoleBuilder
from bot.channels.web.pages import BASE_HEADERS, ui_locale
from bot.config import Network, Settings
from bot.core.attachments import AttachmentSource
from bot.core.capabilities import CONSOLE, ChannelCapabilities
from bot.core.engine import Engine, Registry
from bot.core.i18n import I18n
from bot.core.messages import Incoming, Reply
from bot.core.ports import ChannelAdapter
from bot.delivery import alerts
from storage import clock, migrate
from storage.db import DATABASE_ERRORS, Database
from storage.repos.access import DownloadRepo

if TYPE_CHECKING:
    import jinja2
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

    from bot.channels import ChannelRuntime
    from bot.channels.web.admin import Console
    from bot.delivery.service import DeliveryService

log = logging.getLogger(__name__)
SVOI_KEY: web.AppKey[Svoi] = web.AppKey("svoi")
SHUTDOWN_SECONDS = 10.0
# Of the shutdown budget, what is kept for closing the channels, the web server and the
# database after the senders have stopped; the senders get the rest.
CLOSING_SECONDS = 2.0


def build_registry() -> Registry:
    registry = Registry()
    handlers.register(registry)
    dialogs.register(registry)
    return registry


@dataclass
class Svoi:
    """The running service: what every command and test gets hold of. Channel adapters see
    it only as their narrow port (`InboundPort`: record an event, run a turn, settings,
    message catalogues, the database)."""

    settings: Settings
    db: Database
    i18n: I18n
    engine: Engine
    channels: dict[str, ChannelAdapter] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, db: Database | None = None) -> Svoi:
        clock.set_city_zone(settings.zone)
        database = db or Database(settings.database_url)
        i18n = I18n(settings.default_locale, settings.zone)
        engine = Engine(settings, database, i18n, build_registry())
        engine.register_channel("console", CONSOLE)
        return cls(settings, database, i18n, engine)

    # --- the channels' port (bot.core.ports.InboundPort) -----------------------------
    @property
    def capabilities(self) -> dict[str, ChannelCapabilities]:
        """What each running channel can show (the console's `ConsolePort`)."""
        return self.engine.capabilities

    async def record_event(self, channel: str, event_id: str, body: str) -> bool:
        return await self.engine.record_event(channel, event_id, body)

    async def run_turn(self, incoming: Incoming) -> list[Reply]:
        return await self.engine.handle(incoming)

    def add_channel(self, channel: ChannelAdapter) -> None:
        self.channels[channel.name] = channel
        self.engine.register_channel(channel.name, channel.capabilities)
        if isinstance(channel, AttachmentSource):
            self.engine.register_source(channel.name, channel)

    async def prepare_database(self) -> None:
        """Migrations are the only way the schema is made; the embedded SQLite default
        migrates itself so `make run` works on a fresh clone. PostgreSQL deployments run
        `python -m bot migrate` as a release step and refuse to start behind it."""
        current = await migrate.at_head(self.db)
        if self.db.is_sqlite and not current:
            # In a child process when the database is a file: Alembic, Mako and Pygments
            # (~30 MB) then never enter the service's memory (docs/benchmarks.md).
            if self.db.engine.url.database in (None, "", ":memory:"):
                await migrate.upgrade(self.db)
            else:
                await self.db.engine.dispose()
                await migrate.upgrade_in_child(self.db.url)
        elif not current:
            raise SystemExit(
                "svoi: the database schema is not current: run `python -m bot migrate`"
            )
        await load_default_content(self.db)
        migrate.head_revisions()  # parse the scripts now, not during the first /readyz

    async def close(self) -> None:
        await self.db.dispose()


async def load_default_content(db: Database) -> None:
    """Each feature's shipped content (plan, services catalogue, waste schedules), into a
    database without it only: what the city's staff imported or edited is never overwritten."""
    for feature in dialogs.features():
        if feature.shipped_content is not None and await feature.shipped_content(db):
            log.info("loaded the shipped %s content", feature.name)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    svoi = request.app[SVOI_KEY]
    checks: dict[str, str] = {}
    try:
        await svoi.db.ping()
        checks["database"] = "ok"
        checks["migrations"] = "ok" if await migrate.at_head(svoi.db) else "behind"
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        log.warning("readiness check failed: %s", type(exc).__name__)
        checks["database"] = "unreachable"
    ok = all(value == "ok" for value in checks.values())
    body: dict[str, object] = {"status": "ok" if ok else "unavailable", "checks": checks}
    # A channel whose token or webhook the platform rejected still serves its other
    # residents' webhooks, so it does not take the instance out of the load balancer; it is
    # reported here (and logged) for the IT staff to fix.
    channels = {
        name: f"config: {error}" if (error := getattr(channel, "config_error", None)) else "ok"
        for name, channel in svoi.channels.items()
    }
    if channels:
        body["channels"] = channels
    # The air-raid alert feed: when it fails, notifications are sent as usual (fail open),
    # so "degraded" is reported without taking the instance out of service.
    body["alerts"] = alerts.feed_status(svoi.db)
    return web.json_response(body, status=200 if ok else 503)


async def download(request: web.Request) -> web.Response:
    """A file behind an unguessable, expiring link (data exports, calendars for Viber)."""
    svoi = request.app[SVOI_KEY]
    token = request.match_info["token"]
    if not 20 <= len(token) <= 64:
        raise web.HTTPNotFound()
    async with svoi.db.transaction() as session:
        row = await DownloadRepo(session).get(token)
        if row is None:
            raise web.HTTPNotFound()
        filename, mime_type, content = row.filename, row.mime_type, row.content
    return web.Response(
        body=content,
        content_type=mime_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def metrics_allowed(request: web.Request, token: str) -> bool:
    """Who may read /metrics: with METRICS_TOKEN set, whoever sends it as a bearer token;
    without, a direct request (no proxy's forwarding header) from a loopback or private
    address (Prometheus on the same host or network). Anyone else gets a 404."""
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        peer = ipaddress.ip_address(request.remote or "")
    except ValueError:
        return False
    if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped is not None:
        peer = peer.ipv4_mapped
    return peer.is_loopback or peer.is_private


async def prometheus(request: web.Request) -> web.Response:
    svoi = request.app[SVOI_KEY]
    if not metrics_allowed(request, svoi.settings.metrics_token.get_secret_value()):
        raise web.HTTPNotFound()
    try:
        await metrics.refresh_outbox_gauge(svoi.db)
    except Exception as exc:  # noqa: BLE001 - metrics must answer even with the database down
        log.warning("outbox gauge not refreshed: %s", type(exc).__name__)
    return web.Response(
        body=metrics.exposition(),
        headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"},
    )


RETRY_AFTER_SECONDS = 10
PING_SECONDS = 2.0  # how long the middleware waits for the database to answer a ping


@web.middleware
async def database_unavailable(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every page, file and web-chat call answers 503 with Retry-After while the database is
    down, in the visitor's language (JSON to a client that speaks JSON): never a 500 with a
    traceback. (The webhooks, whose platforms read only the status, and the web chat's event
    stream, which must stay open, catch the error themselves.) An error that
    only looks like one — a client gone mid-upload, a missing file, a constraint violated —
    is not the database being down: the database is asked, and the error goes on as it is."""
    try:
        return await handler(request)
    except DATABASE_ERRORS as exc:
        if not await _database_down(exc, request.app[SVOI_KEY].db):
            raise
        log.warning("%s: database unavailable, answered 503: %s", request.path, type(exc).__name__)
        svoi = request.app[SVOI_KEY]
        message = svoi.i18n.t(ui_locale(request, svoi.i18n), "web-unavailable")
        headers = {
            **BASE_HEADERS,
            "Retry-After": str(RETRY_AFTER_SECONDS),
            "Cache-Control": "no-store",
        }
        if request.content_type == "application/json" or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return web.json_response({"error": message}, status=503, headers=headers)
        return web.Response(text=message, status=503, headers=headers)


async def _database_down(exc: BaseException, db: Database) -> bool:
    """Whether `exc` means the database cannot serve: the driver's operational and interface
    errors say so themselves; a socket error or a timeout may come from elsewhere (a client,
    a file), so the database is asked; a connection lost mid-statement is an outage too; any
    other SQLAlchemy error is a bug, not an outage."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        # The connection was lost under the statement (a pooled connection is trusted when
        # it was in use a moment ago, storage/db.py): a retry a moment later gets a new one.
        return True
    if isinstance(exc, SQLAlchemyError):
        return False
    try:
        await asyncio.wait_for(db.ping(), PING_SECONDS)
    except DATABASE_ERRORS:
        return True
    return False


def build_web_app(svoi: Svoi) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024, middlewares=[database_unavailable])
    app[SVOI_KEY] = svoi
    app[CONSOLE_BUILDER] = console_builder(svoi)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/files/{token}", download)
    app.router.add_get("/metrics", prometheus)
    for feature in dialogs.features():
        if feature.add_routes is not None:
            feature.add_routes(app, svoi)
    return app


def console_builder(svoi: Svoi) -> ConsoleBuilder:
    """The operator console works on the whole service; the web channel, which sees only
    its port, adds it with this (its app, templates and cookie settings)."""
    from bot.channels.web.admin import Console

    def build(
        app: web.Application,
        env: jinja2.Environment,
        *,
        secret: str,
        secure: bool,
        trusted_proxies: list[Network],
    ) -> Console:
        return Console(
            svoi, app, env, secret=secret, secure=secure, trusted_proxies=trusted_proxies
        )

    return build


def enabled_channels(svoi: Svoi, app: web.Application) -> list[ChannelRuntime]:
    """Channels whose tokens are configured, with their routes added to `app` and their
    capabilities registered; each gets the service as its narrow port (`InboundPort`)."""
    channels: list[ChannelRuntime] = []
    from bot.channels.web import WebChannel  # always on: the web chat needs no token

    channels.append(WebChannel(svoi, app))
    if svoi.settings.telegram.enabled:
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(svoi, app))
    if svoi.settings.viber.enabled:
        from bot.channels.viber import ViberChannel

        channels.append(ViberChannel(svoi, app))
    for channel in channels:
        svoi.add_channel(channel)
    return channels


def _no_channel_hint(settings: Settings) -> str:
    base = f"http://{settings.http_host}:{settings.http_port}"
    return (
        "No Telegram or Viber token is configured: Svoi runs with its local channels.\n"
        f"  • Chat in the browser: {base}/   (operator console: {base}/admin)\n"
        "  • Chat in this terminal: make chat   (python -m bot chat)\n"
        "  • Telegram: set TELEGRAM_BOT_TOKEN (and TELEGRAM_WEBHOOK_URL + "
        "TELEGRAM_WEBHOOK_SECRET, or TELEGRAM_MODE=polling)\n"
        "  • Viber: set VIBER_AUTH_TOKEN and VIBER_WEBHOOK_URL\n"
        "  See README.md, section Configuration."
    )


GC_YOUNG_THRESHOLD = 10_000


def settle_heap() -> None:
    """Call once start-up is done: move everything alive now (modules, the ORM's metadata,
    message catalogues, the service catalogue) out of the cyclic garbage collector's reach.
    Its full collections otherwise walk those objects again and again, pausing the event
    loop for 120–140 ms each (measured in the sender), long enough to bunch a paced
    broadcast into a burst the platform answers with 429.

    Then the young generation is collected after 10,000 new container objects instead of
    700: a turn makes a few thousand (ORM rows, aiogram models, HTTP messages), so the
    default ran a collection several times a turn — 0.06 ms a turn under a burst, about 2 %
    of its CPU (timed with `gc.callbacks`); now about one in every few turns."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)
    release_free_memory()


def release_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc's `malloc_trim`): start-up
    (imports, migrations, content files) leaves tens of MB free inside the heap that the
    resident size would otherwise keep counting. Nothing happens on another C library."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


def make_runner(app: web.Application, settings: Settings) -> web.AppRunner:
    """The HTTP server's runner. aiohttp's keep-alive timer also runs from the moment a
    connection opens, so `keepalive_timeout` bounds how long a client may take to send a
    request's headers (a slow-loris client is closed) as well as idle keep-alive time."""
    return web.AppRunner(
        app,
        handle_signals=False,
        # Handlers still running when the server closes get what the shutdown keeps for
        # closing (see `shutdown`), not more: the whole shutdown must fit SHUTDOWN_SECONDS.
        shutdown_timeout=CLOSING_SECONDS * 0.75,
        keepalive_timeout=settings.http_header_timeout,
    )


def _port_problem(settings: Settings, exc: OSError) -> str:
    """One line for a start-up that cannot listen, worded like the configuration errors."""
    where = f"{settings.http_host}:{settings.http_port}"
    if exc.errno == errno.EADDRINUSE:
        return (
            f"svoi: HTTP_PORT {settings.http_port} is already in use on {settings.http_host} "
            f"(another Svoi or program listens there); stop it or choose a free port, "
            f"e.g. HTTP_PORT={settings.http_port + 1}"
        )
    return f"svoi: cannot listen on {where} (HTTP_HOST, HTTP_PORT): {exc.strerror or exc}"


async def serve(settings: Settings) -> None:
    """Run the service until SIGINT/SIGTERM, then stop within `SHUTDOWN_SECONDS`: stop
    accepting requests and the scheduler, drain the senders, let turns in flight finish,
    close the channels' sessions and the database (see `shutdown`)."""
    from bot.delivery.service import DeliveryService
    from bot.scheduler import build_scheduler

    svoi = Svoi.create(settings)
    await svoi.prepare_database()
    app = build_web_app(svoi)
    channels = enabled_channels(svoi, app)
    runner = make_runner(app, settings)
    await runner.setup()
    site = web.TCPSite(runner, settings.http_host, settings.http_port)
    try:
        await site.start()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        await runner.cleanup()
        await svoi.db.dispose()
        raise SystemExit(_port_problem(settings, exc)) from None
    log.info("Svoi listening on http://%s:%s", settings.http_host, settings.http_port)
    if not (settings.telegram.enabled or settings.viber.enabled):
        print(_no_channel_hint(settings), flush=True)
    for channel in channels:
        await channel.start()
    delivery = DeliveryService(svoi)
    await delivery.start()
    scheduler = build_scheduler(svoi)
    scheduler.start()
    settle_heap()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutting down")
    try:
        await asyncio.wait_for(
            shutdown(svoi, runner, site, channels, delivery, scheduler), SHUTDOWN_SECONDS
        )
    except TimeoutError:
        log.error("shutdown took longer than %s s; exiting anyway", SHUTDOWN_SECONDS)
    await svoi.close()


async def shutdown(
    svoi: Svoi,
    runner: web.AppRunner,
    site: web.TCPSite,
    channels: Sequence[ChannelRuntime],
    delivery: DeliveryService,
    scheduler: AsyncIOScheduler,
    budget: float = SHUTDOWN_SECONDS,
) -> None:
    """Stop in the order that neither loses nor repeats a message. The senders go first:
    they stop claiming, give back the rows they never started and let the sends in flight
    finish (those the budget cuts off are recorded `unknown`). Only then do the channels
    close their HTTP sessions: closed under a send in flight, the send fails as a dropped
    connection, its row goes back to pending and the message is sent again after the
    restart."""
    await site.stop()  # no new connections; requests in progress finish
    scheduler.shutdown(wait=False)
    await delivery.stop(within=max(0.0, budget - CLOSING_SECONDS))
    await asyncio.gather(*(channel.stop() for channel in channels))
    await runner.cleanup()
