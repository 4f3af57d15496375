"""Channel adapters. Each package is the only place that imports its platform's SDK.

An adapter gets the service only as its narrow port (bot.core.ports.InboundPort) and runs
its platform's events through the inbound runner (bot.core.inbound); which channels run is
decided by the composition root (bot.app.enabled_channels)."""

from __future__ import annotations

from typing import Protocol

from bot.core.ports import ChannelAdapter


class ChannelRuntime(ChannelAdapter, Protocol):
    """A channel the service runs: it adds its webhook routes, then starts and stops."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
