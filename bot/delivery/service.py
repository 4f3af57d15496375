"""The delivery service: one sender per registered channel adapter, plus the broadcast
supervisor (starts scheduled broadcasts, closes finished ones and reports to their author),
the air-raid alert monitor and, with `ALERTS_API_TOKEN`, the alerts.in.ua feed poller.

    service = DeliveryService(svoi)
    await service.start()   # after the channels are added to svoi.channels
    ...
    await service.stop()    # SIGTERM: stop claiming, finish in-flight sends, within 8 s
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.delivery import broadcasts
from bot.delivery.alerts import AlertFeed, AlertMonitor, AlertsClient, AlertSettings
from bot.delivery.limits import Clock
from bot.delivery.quiet import QuietHours
from bot.delivery.sender import ChannelSender, SenderConfig

if TYPE_CHECKING:
    from bot.app import Svoi

log = logging.getLogger(__name__)
VIBER_BROADCAST_BATCH = 300  # Viber's broadcast_message takes at most 300 receivers


def sender_config(channel: str, settings: Settings) -> SenderConfig:
    """The limits of a channel's token, from the settings."""
    common = {
        "concurrency": settings.delivery_concurrency,
        "max_attempts": settings.delivery_max_attempts,
        "lease_seconds": settings.delivery_lease_seconds,
    }
    if channel == "viber":
        return SenderConfig(
            rate_per_second=settings.delivery_viber_rate_per_second,
            chat_interval=0.0,
            broadcast_batch=VIBER_BROADCAST_BATCH if settings.viber.broadcast_enabled else 0,
            **common,  # type: ignore[arg-type]
        )
    return SenderConfig(
        rate_per_second=settings.telegram.rate_per_second,
        chat_interval=settings.delivery_chat_interval,
        **common,  # type: ignore[arg-type]
    )


def token_id(channel: str, settings: Settings) -> str:
    """A fingerprint of the channel's token (never the token), so the advisory lock is per
    token: two bots sharing one database do not block each other."""
    secret = None
    if channel == "telegram" and settings.telegram.bot_token is not None:
        secret = settings.telegram.bot_token.get_secret_value()
    elif channel == "viber" and settings.viber.auth_token is not None:
        secret = settings.viber.auth_token.get_secret_value()
    return hashlib.sha256(secret.encode()).hexdigest()[:16] if secret else ""


class DeliveryService:
    SUPERVISE_EVERY = 2.0
    STOP_WITHIN = 8.0
    # Of `stop(within)`, kept for cutting off the sends still in flight and recording them.
    RECORD_SECONDS = 1.0

    def __init__(
        self,
        svoi: Svoi,
        *,
        configs: dict[str, SenderConfig] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.svoi = svoi
        self.configs = configs or {}
        self.clock = clock
        self.senders: dict[str, ChannelSender] = {}
        settings = svoi.settings
        self.alert_settings = AlertSettings.of(settings)
        self.alerts = AlertMonitor(
            svoi.db,
            self.alert_settings.region,
            stale_after=self.alert_settings.stale_after,
            reminder_max_age=self.alert_settings.reminder_max_age,
        )
        self.alert_feed: AlertFeed | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    def quiet_hours(self) -> QuietHours:
        settings = self.svoi.settings
        return QuietHours(settings.quiet_hours_start, settings.quiet_hours_end, settings.zone)

    async def start(self) -> None:
        settings = self.svoi.settings
        # The alert state first: a sender's first claim already knows about an alert.
        with contextlib.suppress(Exception):
            await self.alerts.refresh()
        self._tasks.append(
            asyncio.create_task(self.alerts.run(self._stopping), name="alert-monitor")
        )
        if self.alert_settings.token:
            self.alert_feed = AlertFeed(
                self.svoi.db,
                AlertsClient(self.alert_settings.api_base, self.alert_settings.token),
                self.alert_settings.region,
                interval=self.alert_settings.poll_seconds,
                count_partly=self.alert_settings.count_partly,
                monitor=self.alerts,
            )
            self._tasks.append(
                asyncio.create_task(self.alert_feed.run(self._stopping), name="alert-feed")
            )
        for name, adapter in self.svoi.channels.items():
            config = self.configs.get(name) or sender_config(name, settings)
            sender = ChannelSender(
                self.svoi.db,
                self.svoi.i18n,
                adapter,
                config,
                self.quiet_hours(),
                clock=self.clock,
                token_id=token_id(name, settings),
                alerts=self.alerts,
            )
            self.senders[name] = sender
            self._tasks.append(asyncio.create_task(sender.run(), name=f"sender-{name}"))
        self._tasks.append(asyncio.create_task(self._supervise(), name="broadcast-supervisor"))
        log.info("delivery started for %s", ", ".join(self.senders) or "no channels")

    def status(self) -> dict[str, str]:
        return {name: sender.state for name, sender in self.senders.items()}

    async def stop(self, within: float = STOP_WITHIN) -> None:
        """Stop claiming and give back the rows no request has left for; let the sends in
        flight finish for up to `within - RECORD_SECONDS` seconds, then cut them off as
        `unknown`; write every outcome. Returns within `within` seconds. The channels' HTTP
        sessions must stay open until this returns: the sends in flight use them."""
        self._stopping.set()
        grace = max(0.0, within - self.RECORD_SECONDS)
        for sender in self.senders.values():
            sender.stop_nowait(grace)
        if not self._tasks:
            return
        _, late = await asyncio.wait(self._tasks, timeout=within)
        for task in late:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        if late:
            log.warning("delivery: %d tasks cancelled at shutdown", len(late))

    async def _supervise(self) -> None:
        channels = list(self.svoi.channels)
        while not self._stopping.is_set():
            try:
                await broadcasts.tick(
                    self.svoi.db, channels, settings_role=self.svoi.engine.settings_role
                )
            except Exception:
                log.exception("broadcast supervisor tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.SUPERVISE_EVERY)
