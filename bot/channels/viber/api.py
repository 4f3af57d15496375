"""The Viber REST Bot API over aiohttp: one POST per call, the token in the
`X-Viber-Auth-Token` header, bounded timeouts, and every answer classified as a
`DeliveryResult` the senders understand.

viberbot's own client is synchronous `requests` without timeouts (it would block the event
loop) and has no broadcast call, so only its message models are used, in `messages.py`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.core.attachments import FETCH_TIMEOUT, AttachmentProblem, check_size
from bot.core.ports import DeliveryResult, DeliveryStatus

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 30_000  # Viber: "maximum total JSON size of the request is 30 KB"
BROADCAST_BATCH = 300  # receivers per broadcast_message call
RATE_LIMIT_PAUSE = 60.0  # status 12 carries no hint; the senders back off at least this long

OK = 0
GONE_STATUSES = {5: "receiverNotRegistered", 6: "receiverNotSubscribed"}
RATE_LIMITED_STATUS = 12
# Our token, account, webhook or billing is wrong: retrying cannot help, an operator must act.
CONFIG_STATUSES = {
    2: "invalidAuthToken",
    7: "publicAccountBlocked",
    8: "publicAccountNotFound",
    9: "publicAccountSuspended",
    10: "webhookNotSet",
    15: "publicAccountNotAuthorized",
    20: "broadcastNotAllowed",
    23: "freeMessagesExceeded",
    24: "noBalance",
}
# The request itself or this recipient's app can never take this message.
PERMANENT_STATUSES = {
    1: "invalidUrl",
    3: "badData",
    4: "missingData",
    11: "receiverNoSuitableDevice",
    13: "apiVersionNotSupported",
    14: "incompatibleWithVersion",
    21: "unsupportedCountry",
}


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 5.0
    read: float = 10.0
    total: float = 20.0


@dataclass(slots=True)
class Answer:
    """One API call's outcome: the classified result and the decoded body (if any)."""

    result: DeliveryResult
    body: dict[str, Any] = field(default_factory=dict)


def classify(status: int, message: str) -> DeliveryResult:
    """Turn a Viber `status` into what the sender should do about it."""
    error = f"viber status {status}: {message}"[:300]
    if status in GONE_STATUSES:
        return DeliveryResult(DeliveryStatus.GONE, error=error)
    if status == RATE_LIMITED_STATUS:
        return DeliveryResult(
            DeliveryStatus.RATE_LIMITED, retry_after=RATE_LIMIT_PAUSE, error=error
        )
    if status in CONFIG_STATUSES:
        return DeliveryResult(DeliveryStatus.CONFIG, error=error)
    if status in PERMANENT_STATUSES:
        return DeliveryResult(DeliveryStatus.PERMANENT, error=error)
    # An undocumented code ("general error"): worth a bounded number of retries.
    return DeliveryResult(DeliveryStatus.TRANSIENT, error=error)


def encode(payload: dict[str, Any]) -> bytes:
    """JSON as Viber counts it: UTF-8, not \\u-escaped (Cyrillic would triple in size)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ViberApi:
    def __init__(self, base: str, token: str, timeouts: Timeouts | None = None) -> None:
        self.base = base.rstrip("/")
        self._token = token
        self.timeouts = timeouts or Timeouts()
        self._session: aiohttp.ClientSession | None = None
        self._media: aiohttp.ClientSession | None = None  # no auth token: media is elsewhere

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(
                    total=self.timeouts.total,
                    sock_connect=self.timeouts.connect,
                    sock_read=self.timeouts.read,
                ),
                headers={"X-Viber-Auth-Token": self._token},
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._media is not None:
            await self._media.close()
            self._media = None

    async def download(self, url: str, limit: int) -> bytes:
        """A resident's picture or file from the media URL of its callback (Viber's CDN;
        the bot's token is not sent there). At most `limit` bytes are read."""
        if not url.lower().startswith(("https://", "http://")):
            raise AttachmentProblem("unavailable", "not an HTTP media URL")
        if self._media is None or self._media.closed:
            self._media = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=FETCH_TIMEOUT, sock_connect=5)
            )
        data = bytearray()
        try:
            async with self._media.get(url, raise_for_status=True) as response:
                check_size(response.content_length, limit)
                async for chunk in response.content.iter_chunked(65536):
                    data += chunk
                    if len(data) > limit:
                        raise AttachmentProblem("too-large", f"over {limit} bytes")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise AttachmentProblem("unavailable", _describe(exc)) from exc
        return bytes(data)

    async def call(self, endpoint: str, payload: dict[str, Any]) -> Answer:
        """POST one call. Errors before the request left are TRANSIENT; a timeout or a
        dropped connection after it left is UNKNOWN (the message may have arrived)."""
        body = encode(payload)
        if len(body) > MAX_BODY_BYTES:
            return Answer(
                DeliveryResult(
                    DeliveryStatus.PERMANENT, error=f"request of {len(body)} bytes is over 30 KB"
                )
            )
        try:
            async with self._client().post(
                f"{self.base}/{endpoint}",
                data=body,
                headers={"Content-Type": "application/json; charset=utf-8"},
            ) as response:
                raw = await response.read()
                http_status = response.status
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            return Answer(DeliveryResult(DeliveryStatus.TRANSIENT, error=_describe(exc)))
        except (TimeoutError, aiohttp.SocketTimeoutError, aiohttp.ServerDisconnectedError) as exc:
            return Answer(DeliveryResult(DeliveryStatus.UNKNOWN, error=_describe(exc)))
        except aiohttp.ClientError as exc:
            return Answer(DeliveryResult(DeliveryStatus.TRANSIENT, error=_describe(exc)))
        if http_status != 200:
            status = (
                DeliveryStatus.TRANSIENT
                if http_status >= 500 or http_status == 429
                else DeliveryStatus.PERMANENT
            )
            return Answer(DeliveryResult(status, error=f"HTTP {http_status} from {endpoint}"))
        try:
            decoded = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return Answer(
                DeliveryResult(DeliveryStatus.TRANSIENT, error=f"{endpoint}: answer is not JSON")
            )
        if not isinstance(decoded, dict) or not isinstance(decoded.get("status"), int):
            return Answer(
                DeliveryResult(DeliveryStatus.TRANSIENT, error=f"{endpoint}: no status in answer")
            )
        status_code: int = decoded["status"]
        if status_code != OK:
            return Answer(classify(status_code, str(decoded.get("status_message", ""))), decoded)
        token = decoded.get("message_token")
        return Answer(
            DeliveryResult(DeliveryStatus.SENT, message_id=None if token is None else str(token)),
            decoded,
        )


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
