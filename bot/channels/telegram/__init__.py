"""The Telegram channel on aiogram 3: the only package that imports aiogram.

`inbound` reads updates, `outbound` builds Bot API calls and classifies errors, `channel`
runs the webhook, polling, the sweeper and sending. See docs/telegram.md.
"""

from bot.channels.telegram.channel import WEBHOOK_PATH, TelegramChannel, webhook_secret

__all__ = ["WEBHOOK_PATH", "TelegramChannel", "webhook_secret"]
