"""aiogram's aiohttp session, with the response models it builds kept alive.

aiogram validates every Bot API answer with `Response[<the method's return type>]`. pydantic
caches such parametrized models only weakly, and nothing else holds them, so each one was
garbage-collected between calls and built again — schema and all — for the next call: about
8 % of the sender's CPU at 1,000 messages/s (py-spy, bench/delivery_broadcast.py). Holding
one reference per return type makes pydantic's cache hit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods.base import Response, TelegramMethod, TelegramType

if TYPE_CHECKING:
    from aiogram import Bot


class Session(AiohttpSession):
    # Return types are a handful of aiogram classes (Message, bool, list[Update], ...).
    pinned: ClassVar[dict[Any, type[Response[Any]]]] = {}

    def check_response(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        status_code: int,
        content: str,
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self.pinned:
            self.pinned[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)
