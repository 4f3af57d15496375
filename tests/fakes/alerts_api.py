"""A fake alerts.in.ua API (aiohttp on 127.0.0.1) speaking its documented JSON.

`GET /v1/iot/active_air_raid_alerts/<uid>.json` with `Authorization: Bearer <token>` (or
`?token=`) answers a JSON string: "A" (alert in the whole region), "P" (part of it), "N"
(none), with a `Last-Modified` header, as https://devs.alerts.in.ua documents; a wrong or
missing token gets 401 with `{"message": …}`, an unknown uid 404. Tests switch the alert
with `alert(uid, "A")` / `all_clear(uid)` and make the feed fail with `failing = 500` (that
status for every request) or `failing = -1` (the connection is dropped). Every request is
recorded in `requests` (uid, status answered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import formatdate

from aiohttp import web

KHMELNYTSKA_OBLAST = "3"  # the uid alerts.in.ua gives Хмельницька область


@dataclass
class FakeAlertsAPI:
    token: str = "test-alerts-token"
    states: dict[str, str] = field(default_factory=dict)
    failing: int | None = None
    requests: list[tuple[str, int]] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    url: str = ""

    def alert(self, uid: str = KHMELNYTSKA_OBLAST, letter: str = "A") -> None:
        self.states[uid] = letter

    def all_clear(self, uid: str = KHMELNYTSKA_OBLAST) -> None:
        self.states[uid] = "N"

    async def start(self) -> FakeAlertsAPI:
        app = web.Application()
        app.router.add_get("/v1/iot/active_air_raid_alerts/{uid}.json", self._status)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        sockets = site._server.sockets if site._server is not None else []  # type: ignore[union-attr]
        port = sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _status(self, request: web.Request) -> web.StreamResponse:
        uid = request.match_info["uid"]
        if self.failing is not None:
            self.requests.append((uid, self.failing))
            if self.failing < 0:
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            return web.json_response({"message": "Internal server error"}, status=self.failing)
        header = request.headers.get("Authorization", "")
        given = header.removeprefix("Bearer ") if header else request.query.get("token", "")
        if given != self.token:
            self.requests.append((uid, 401))
            return web.json_response({"message": "API token required"}, status=401)
        if not uid.isdigit():
            self.requests.append((uid, 404))
            return web.json_response({"message": "Not found"}, status=404)
        self.requests.append((uid, 200))
        return web.json_response(
            self.states.get(uid, "N"),
            headers={"Last-Modified": formatdate(usegmt=True)},
        )
