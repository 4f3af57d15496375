"""A channel adapter for tests that talks HTTP to the fake platform (tests/delivery/
fake_platform.py): the real delivery engine sends through it before the Telegram and Viber
adapters exist. It classifies answers the way those adapters must (see bot/core/ports.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp

from bot.core.capabilities import TELEGRAM, ChannelCapabilities
from bot.core.messages import Button, LinkButton, Reply
from bot.core.ports import DeliveryResult, DeliveryStatus


def _buttons(reply: Reply) -> list[list[dict[str, str]]]:
    rows = []
    for row in reply.buttons:
        cells = []
        for button in row:
            if isinstance(button, Button):
                cells.append({"text": button.label, "callback_data": button.payload})
            elif isinstance(button, LinkButton):
                cells.append({"text": button.label, "url": button.url})
        rows.append(cells)
    return rows


class FakePlatformAdapter:
    def __init__(
        self,
        base_url: str,
        name: str = "fake",
        capabilities: ChannelCapabilities = TELEGRAM,
        read_timeout: float = 1.0,
        tag: str = "",
    ) -> None:
        self.tag = tag  # which sender process sent a message (multi-instance tests)
        self.name = name
        self.capabilities = capabilities
        self.base_url = base_url
        self.read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(sock_connect=2.0, sock_read=self.read_timeout),
                connector=aiohttp.TCPConnector(limit=200),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        async with self.session().post(self.base_url + path, json=body) as response:
            return response.status, await response.json()

    async def deliver(self, user_id: str, reply: Reply) -> DeliveryResult:
        body = {
            "chat_id": user_id,
            "text": reply.text,
            "buttons": _buttons(reply),
            "sender": self.tag,
        }
        try:
            status, answer = await self._post("/send", body)
        except aiohttp.ConnectionTimeoutError as exc:
            return DeliveryResult(DeliveryStatus.TRANSIENT, error=type(exc).__name__)
        except (aiohttp.SocketTimeoutError, TimeoutError) as exc:
            # The request went out; the answer did not come: it may have arrived.
            return DeliveryResult(DeliveryStatus.UNKNOWN, error=type(exc).__name__)
        except aiohttp.ClientError as exc:
            return DeliveryResult(DeliveryStatus.TRANSIENT, error=type(exc).__name__)
        return classify(status, answer)

    async def broadcast(
        self, user_ids: Sequence[str], reply: Reply, *, locale: str | None = None
    ) -> DeliveryResult | Mapping[str, DeliveryResult]:
        body = {"user_ids": list(user_ids), "text": reply.text}
        try:
            status, answer = await self._post("/broadcast", body)
        except aiohttp.ClientError as exc:
            return DeliveryResult(DeliveryStatus.TRANSIENT, error=type(exc).__name__)
        if status != 200:
            return classify(status, answer)
        return {
            str(item["receiver"]): DeliveryResult(DeliveryStatus.GONE, error="not subscribed")
            for item in answer.get("failed_list", [])
        }


def classify(status: int, answer: dict[str, Any]) -> DeliveryResult:
    description = str(answer.get("description", ""))
    if status == 200 and answer.get("ok"):
        return DeliveryResult(DeliveryStatus.SENT, message_id=str(answer["result"]["message_id"]))
    if status == 429:
        retry = float((answer.get("parameters") or {}).get("retry_after", 1))
        return DeliveryResult(DeliveryStatus.RATE_LIMITED, retry_after=retry, error=description)
    if status == 403 or (status == 400 and "chat not found" in description):
        return DeliveryResult(DeliveryStatus.GONE, error=description or str(status))
    if status == 401:
        return DeliveryResult(DeliveryStatus.CONFIG, error="unauthorized")
    if status >= 500:
        return DeliveryResult(DeliveryStatus.TRANSIENT, error=f"HTTP {status}")
    return DeliveryResult(DeliveryStatus.PERMANENT, error=f"HTTP {status} {description}")
