"""The web channel: a resident chat page at `/` with an embeddable widget, and the operator
console under `/admin`. See docs/web.md."""

from bot.channels.web.channel import WebChannel

__all__ = ["WebChannel"]
