"""The console channel: chat with Svoi in a terminal over the same engine and database.

Buttons are shown numbered and pressed by typing the number. `/location <lat> <lon>` shares
a location, `/contact <phone>` a phone number, `/photo <path>` sends a picture from this
computer (as a resident sends a photo: the core checks and cleans it), `/quit` (or end of
input) leaves.

The terminal is also a delivery target: proactive messages (broadcasts, reminders, answers)
wait in the outbox and are shown before the next prompt, then recorded sent
(bot/channels/console/pending.py).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from bot.core.attachments import AttachmentProblem
from bot.core.capabilities import CONSOLE
from bot.core.messages import Address, Attachment, Contact, Incoming, Kind, Location, Reply
from bot.core.ports import DeliveryResult, DeliveryStatus

CHANNEL = "console"


def parse_line(address: Address, line: str) -> Incoming | None:
    """Turn one typed line into an `Incoming`; None for /quit."""
    stripped = line.strip()
    head, _, rest = stripped.partition(" ")
    if head == "/quit":
        return None
    if head == "/location":
        parts = rest.replace(",", " ").split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            return Incoming.text_message(address, line)
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Incoming(address, Kind.LOCATION, location=Location(lat, lon))
    if head == "/contact" and rest:
        return Incoming(address, Kind.CONTACT, contact=Contact(phone=rest.strip()))
    if head == "/photo" and rest:
        path = Path(rest.strip().strip("'\"")).expanduser()
        photo = Attachment("photo", ref=str(path), name=path.name[:128])
        return Incoming(address, Kind.ATTACHMENT, attachment=photo)
    return Incoming.text_message(address, line)


def format_reply(reply: Reply) -> str:
    lines = [reply.text]
    if reply.location is not None:
        loc = reply.location
        lines.append(f"📍 {loc.title} {loc.latitude:.5f}, {loc.longitude:.5f}".replace("  ", " "))
    if reply.document is not None:
        lines.append(f"📎 {reply.document.filename} ({len(reply.document.content)} B)")
    return "\n".join(lines)


class ConsoleChannel:
    name = CHANNEL
    capabilities = CONSOLE

    def __init__(self, out: TextIO) -> None:
        self.out = out

    async def deliver(self, user_id: str, reply: Reply) -> DeliveryResult:
        self.out.write(format_reply(reply) + "\n\n")
        self.out.flush()
        return DeliveryResult(DeliveryStatus.SENT)

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """A `/photo` file from this computer's disk (the terminal's user is its owner)."""
        return await asyncio.to_thread(read_local_file, Path(attachment.ref), limit)


def read_local_file(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise AttachmentProblem("unavailable", f"{type(exc).__name__}: {path}") from exc
    if len(data) > limit:
        raise AttachmentProblem("too-large", str(path))
    return data


async def _read_line(stream: TextIO) -> str:
    return await asyncio.to_thread(stream.readline)


async def chat(
    engine_handle: object, user_id: str, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> None:
    """Read lines until /quit or end of input; print each turn's replies."""
    from bot.channels.console.pending import holder, show_pending
    from bot.core.engine import Engine

    assert isinstance(engine_handle, Engine)
    channel = ConsoleChannel(stdout)
    engine_handle.register_source(CHANNEL, channel)
    address = Address(CHANNEL, user_id)
    mark = holder()
    interactive = stdin.isatty()
    if interactive:
        stdout.write("Svoi — local chat. Type /start to begin, /quit to leave.\n\n")
    while True:
        await show_pending(engine_handle, channel, user_id, mark)
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await _read_line(stdin)
        if not line:
            break
        incoming = parse_line(address, line.rstrip("\n"))
        if incoming is None:
            break
        if not interactive:
            stdout.write(f"> {line.rstrip()}\n")
        for reply in await engine_handle.handle(incoming):
            await channel.deliver(user_id, reply)
