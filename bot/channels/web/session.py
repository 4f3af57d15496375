"""The web resident's identity: a random user id in a cookie signed with HMAC-SHA256.

The cookie is `<user id>.<issued at, unix seconds>.<signature>`; the signature covers the
first two parts, keyed with a key derived from WEB_SECRET_KEY for this purpose only. A
cookie that does not verify is treated as absent (the page gets a new identity). When
WEB_SECRET_KEY is empty a random key is made at start-up, so sessions end at a restart.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets

from storage import clock

log = logging.getLogger(__name__)

COOKIE = "svoi_web"
MAX_AGE = 365 * 24 * 3600  # a resident keeps their conversation (and subscriptions) a year
USER_ID = re.compile(r"^w[A-Za-z0-9_-]{16,40}$")


def derive_key(secret: str, purpose: str) -> bytes:
    """A separate key per purpose, so a value signed for one use is not valid in another."""
    return hmac.new(secret.encode(), f"svoi-web:{purpose}".encode(), hashlib.sha256).digest()


def secret_or_random(configured: str) -> tuple[str, bool]:
    """The configured secret, or a random one (True when random)."""
    if configured:
        return configured, False
    return secrets.token_urlsafe(48), True


class CookieSigner:
    def __init__(self, secret: str) -> None:
        self._key = derive_key(secret, "resident-cookie")

    def _signature(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def new_user_id(self) -> str:
        return "w" + secrets.token_urlsafe(18)

    def sign(self, user_id: str, issued_at: int | None = None) -> str:
        body = f"{user_id}.{int(clock.now().timestamp()) if issued_at is None else issued_at}"
        return f"{body}.{self._signature(body)}"

    def verify(self, value: str | None, now: float | None = None) -> str | None:
        """The user id of a valid, unexpired cookie, else None."""
        if not value or len(value) > 200:
            return None
        parts = value.split(".")
        if len(parts) != 3:
            return None
        user_id, issued, signature = parts
        if not USER_ID.match(user_id) or not issued.isdigit():
            return None
        expected = self._signature(f"{user_id}.{issued}")
        if not hmac.compare_digest(expected, signature):
            return None
        if (clock.now().timestamp() if now is None else now) - int(issued) > MAX_AGE:
            return None
        return user_id
