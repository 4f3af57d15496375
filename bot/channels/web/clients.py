"""Who is asking: the client's address behind trusted reverse proxies, and a limit on how
many new web-chat identities one address may start per hour.

A web resident is a random id in a signed cookie, so a script that drops its cookies starts
a new resident with every message: a row per request. The limit caps that per client
address without touching residents who keep their cookie.

Behind a reverse proxy every request comes from the proxy, so the address is taken from
`X-Forwarded-For` — but only when the peer is a trusted proxy (`TRUSTED_PROXIES`, loopback by
default), walking the header from the right past further trusted hops; anyone else could
write any address there.
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable

from aiohttp import web

from bot.config import Network

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _ip(address: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in networks)


def client_address(request: web.Request, trusted: list[Network]) -> str:
    """The address of the client, seen through trusted proxies only.

    A hop that is not an IP address (`unknown`, `1.2.3.4:5678`, any text a client wrote)
    makes the header worthless: it is ignored and the peer's address is used, so neither
    the new-chat limit nor the audit log ever keys on text from the request."""
    peer = request.remote or ""
    if not _trusted(peer, trusted):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getall("X-Forwarded-For", [])
        for hop in header.split(",")
        if hop.strip()
    ]
    ip = None
    for hop in reversed(hops):  # only the hops up to the client are read: the rest is theirs
        ip = _ip(hop)
        if ip is None:
            return peer
        if not any(ip in network for network in trusted):
            return str(ip)
    return str(ip) if ip is not None else peer  # every hop a proxy: the farthest one


def limit_key(address: str) -> str:
    """What one client is counted as: an IPv4 address, or an IPv6 address's /64 (one
    household or server usually holds a whole /64 and could walk through it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class NewIdentityLimit:
    """At most `per_hour` new identities per client (`limit_key`) in any hour (0: no limit).
    Kept in memory: each instance counts its own clients, and a restart forgets."""

    WINDOW = 3600.0
    # Clients tracked (the least recently seen are forgotten first): ≤ ~2 KB each at the
    # default 60 per hour, so at most ~40 MB however many addresses a flood comes from.
    MAX_TRACKED = 20_000

    def __init__(self, per_hour: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_hour = per_hour
        self.clock = clock
        self._starts: OrderedDict[str, deque[float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.per_hour > 0

    def admit(self, address: str) -> int:
        """Count a new identity from `address` and return 0, or, when its allowance is
        spent, count nothing and return the seconds until it may start another."""
        if not self.enabled:
            return 0
        key = limit_key(address)
        now = self.clock()
        starts = self._starts.setdefault(key, deque())
        self._starts.move_to_end(key)
        while starts and starts[0] <= now - self.WINDOW:
            starts.popleft()
        if len(starts) >= self.per_hour:
            return max(1, int(starts[0] + self.WINDOW - now) + 1)
        starts.append(now)
        while len(self._starts) > self.MAX_TRACKED:
            self._starts.popitem(last=False)
        return 0
