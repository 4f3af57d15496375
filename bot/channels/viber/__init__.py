"""The Viber channel: the only package that imports viberbot (its request parsing and
message models); HTTP both ways is aiohttp. See docs/viber.md."""

from bot.channels.viber.channel import WEBHOOK_PATH, ViberChannel

__all__ = ["WEBHOOK_PATH", "ViberChannel"]
