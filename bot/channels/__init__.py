"""Channel adapters. Each package is the only place that imports its platform's SDK."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from aiohttp import web

from bot.core.ports import ChannelAdapter

if TYPE_CHECKING:
    from bot.app import Svoi


class ChannelRuntime(ChannelAdapter, Protocol):
    """A channel the service runs: it adds its webhook routes, then starts and stops."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def enabled_channels(svoi: Svoi, app: web.Application) -> list[ChannelRuntime]:
    """Channels whose tokens are configured, with their routes added to `app`."""
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
