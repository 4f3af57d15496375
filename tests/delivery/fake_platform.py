"""A small fake messaging platform on 127.0.0.1: the edge the delivery tests talk to.

`POST /send {"chat_id", "text", "buttons"}` delivers one message and answers
`{"ok": true, "result": {"message_id": n}}`; `POST /broadcast {"user_ids", "text"}` delivers
to many (Viber's `broadcast_message` style, answering a `failed_list`). The server records
every request and every accepted message with its arrival time, and can misbehave the way
real platforms do:

- a total rate limit per one-second sliding window and a one-per-second-per-chat limit,
  both answered with 429 and `retry_after` (Telegram's behaviour);
- blocked chats (403 "bot was blocked by the user");
- scripted answers per chat: "429", "500", "401", "timeout" (the message IS delivered, then
  the answer hangs longer than the client waits).

Run alone (the benchmark does) with `python -m tests.delivery.fake_platform --port N`;
`GET /stats` then reports counts, duplicates and the busiest one-second window.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.rates import max_in_window


@dataclass(frozen=True, slots=True)
class Arrival:
    at: float
    chat_id: str
    text: str
    buttons: list[Any]
    sender: str = ""


def min_gap_per_chat(arrivals: list[Arrival]) -> float:
    """The shortest time between two messages to the same chat (inf if none repeat)."""
    last: dict[str, float] = {}
    gap = float("inf")
    for arrival in sorted(arrivals, key=lambda a: a.at):
        if arrival.chat_id in last:
            gap = min(gap, arrival.at - last[arrival.chat_id])
        last[arrival.chat_id] = arrival.at
    return gap


@dataclass
class FakePlatform:
    rate_limit: int | None = None
    chat_limit: bool = False
    retry_after: float = 1.0
    hang: float = 5.0
    scale: float = 1.0  # a compressed clock: virtual seconds per real second
    keep_text: bool = True
    blocked: set[str] = field(default_factory=set)
    script: dict[str, list[str]] = field(default_factory=dict)
    arrivals: list[Arrival] = field(default_factory=list)
    requests: list[tuple[float, str, int]] = field(default_factory=list)
    answers: Counter[str] = field(default_factory=Counter)
    batches: list[int] = field(default_factory=list)
    _window: deque[float] = field(default_factory=deque)
    _chat_last: dict[str, float] = field(default_factory=dict)
    _origin: float = field(default_factory=time.monotonic)
    _runner: web.AppRunner | None = None
    url: str = ""

    def now(self) -> float:
        return (time.monotonic() - self._origin) * self.scale

    # --- what the tests read ---------------------------------------------------------
    def delivered_to(self, chat_id: str) -> list[Arrival]:
        return [a for a in self.arrivals if a.chat_id == chat_id]

    def requests_to(self, chat_id: str) -> list[tuple[float, str, int]]:
        return [r for r in self.requests if r[1] == chat_id]

    def counts(self) -> Counter[str]:
        return Counter(a.chat_id for a in self.arrivals)

    def stats(self) -> dict[str, Any]:
        counts = self.counts()
        times = [a.at for a in self.arrivals]
        return {
            "delivered": len(self.arrivals),
            "distinct": len(counts),
            "duplicates": sum(n - 1 for n in counts.values()),
            "requests": len(self.requests),
            "answers": dict(self.answers),
            "max_in_window": max_in_window(times),
            "first": min(times, default=0.0),
            "last": max(times, default=0.0),
        }

    # --- the HTTP side ----------------------------------------------------------------
    def _answer(self, kind: str, status: int, body: dict[str, Any]) -> web.Response:
        self.answers[kind] += 1
        return web.json_response(body, status=status)

    def _too_many(self) -> web.Response:
        return self._answer(
            "429",
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry later",
                "parameters": {"retry_after": self.retry_after},
            },
        )

    def _over_limit(self, now: float, chat_id: str | None) -> bool:
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if self.rate_limit is not None and len(self._window) >= self.rate_limit:
            self.answers["429-total"] += 1
            return True
        if (
            chat_id is not None
            and self.chat_limit
            and chat_id in self._chat_last
            and now - self._chat_last[chat_id] < 1.0
        ):
            self.answers["429-chat"] += 1
            return True
        return False

    def _accept(self, now: float, chat_id: str, text: str, buttons: list[Any], sender: str) -> None:
        self._window.append(now)
        self._chat_last[chat_id] = now
        kept = text if self.keep_text else ""
        self.arrivals.append(Arrival(now, chat_id, kept, buttons if self.keep_text else [], sender))

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        now = self.now()
        chat_id = str(body.get("chat_id"))
        step = self.script.get(chat_id, [])
        forced = step.pop(0) if step else None
        if chat_id in self.blocked:
            self.requests.append((now, chat_id, 403))
            return self._answer(
                "403",
                403,
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
            )
        if forced == "429" or self._over_limit(now, chat_id):
            self.requests.append((now, chat_id, 429))
            return self._too_many()
        if forced in ("500", "401"):
            code = int(forced)
            self.requests.append((now, chat_id, code))
            return self._answer(forced, code, {"ok": False, "error_code": code})
        self.requests.append((now, chat_id, 200))
        self._accept(
            now,
            chat_id,
            str(body.get("text", "")),
            list(body.get("buttons") or []),
            str(body.get("sender", "")),
        )
        message_id = len(self.arrivals)
        if forced == "timeout":
            await asyncio.sleep(self.hang)
        return self._answer("200", 200, {"ok": True, "result": {"message_id": message_id}})

    async def broadcast(self, request: web.Request) -> web.Response:
        body = await request.json()
        now = self.now()
        if self._over_limit(now, None):
            self.requests.append((now, "*broadcast*", 429))
            return self._too_many()
        failed = []
        self.batches.append(len(body.get("user_ids", [])))
        for user in body.get("user_ids", []):
            user_id = str(user)
            self.requests.append((now, user_id, 200))
            if user_id in self.blocked:
                failed.append({"receiver": user_id, "status": 6, "status_message": "notSubscribed"})
            else:
                self._chat_last[user_id] = now
                self.arrivals.append(Arrival(now, user_id, str(body.get("text", "")), []))
        self._window.append(now)
        return self._answer("broadcast", 200, {"status": 0, "failed_list": failed})

    async def get_stats(self, _request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/send", self.send)
        app.router.add_post("/broadcast", self.broadcast)
        app.router.add_get("/stats", self.get_stats)
        return app

    async def start(self, port: int = 0) -> str:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def _serve(args: argparse.Namespace) -> None:
    # The fake stands in for the platform's servers. It keeps every arrival (100,000 in the
    # benchmark), so each full collection of the cyclic garbage collector would walk them all
    # and stall this process for 40–150 ms (measured); requests queued meanwhile would be
    # stamped together, a burst the sender never made. Young generations still run.
    gc.set_threshold(*gc.get_threshold()[:2], 1_000_000_000)
    platform = FakePlatform(
        rate_limit=args.limit,
        chat_limit=True,
        retry_after=args.retry_after,
        scale=args.scale,
        keep_text=False,
    )
    url = await platform.start(args.port)
    print(url, flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--scale", type=float, default=1.0)
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
