"""HTTP/1.1 over a bare socket, for requests no well-behaved client will send: header values
that are not UTF-8 (aiohttp's client refuses to encode them; aiohttp's server decodes them
with `surrogateescape`), a body no JSON library would write."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from aiohttp.test_utils import TestServer
from multidict import CIMultiDict


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: CIMultiDict[str]
    body: bytes


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";", 1)[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)


async def raw_request(
    host: str,
    port: int,
    method: str,
    path: str,
    headers: Sequence[tuple[str, bytes]] = (),
    body: bytes = b"",
    *,
    head_only: bool = False,
) -> RawAnswer:
    """Send one request exactly as given and read the whole answer (Connection: close), or
    only its status and headers (`head_only`, for a stream that does not end)."""
    reader, writer = await asyncio.open_connection(host, port)
    head = [f"{method} {path} HTTP/1.1".encode()]
    if not any(name.lower() == "host" for name, _ in headers):
        head.append(f"Host: {host}:{port}".encode())
    head += [b"Connection: close", f"Content-Length: {len(body)}".encode()]
    head += [name.encode("ascii") + b": " + value for name, value in headers]
    writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
    await writer.drain()
    try:
        if head_only:
            answer = await reader.readuntil(b"\r\n\r\n")
        else:
            answer = await reader.read(-1)
    finally:
        writer.close()
    raw_head, _, raw_body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = raw_head.decode("latin-1").split("\r\n")
    parsed: CIMultiDict[str] = CIMultiDict()
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed.add(name.strip(), value.strip())
    if parsed.get("Transfer-Encoding", "").lower() == "chunked":
        raw_body = _unchunk(raw_body)
    return RawAnswer(int(status_line.split(" ", 2)[1]), parsed, raw_body)


async def post_webhook(
    server: TestServer, path: str, header: str, value: bytes, body: bytes
) -> int:
    """POST a JSON body with one header given as raw bytes; the status, after checking that
    no traceback leaked into the answer."""
    answer = await raw_request(
        str(server.host),
        int(server.port or 0),
        "POST",
        path,
        [("Content-Type", b"application/json"), (header, value)],
        body,
    )
    assert b"Traceback" not in answer.body
    return answer.status


def deeply_nested(depth: int = 100_000) -> bytes:
    """A JSON array nested `depth` times: `json.loads` raises RecursionError on it."""
    return b"[" * depth + b"]" * depth
