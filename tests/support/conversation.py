"""A conversation client for tests: it "sends" and "presses" like a resident and keeps what
Svoi answered, through the real engine and database (a channel that records replies)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.core.attachments import AttachmentProblem
from bot.core.capabilities import TEST, ChannelCapabilities
from bot.core.engine import Engine
from bot.core.messages import (
    Address,
    Attachment,
    Button,
    Contact,
    Incoming,
    Kind,
    Lifecycle,
    Location,
    Reply,
)

_ids = itertools.count(1)


class SentFiles:
    """The files residents of the test channel "sent": what a platform would hand out when
    the adapter asks for them (the test channel has no platform; the core's checks,
    cleaning and storage run as for every channel)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.fetched: list[str] = []

    def put(self, data: bytes) -> str:
        ref = f"file-{next(_ids)}"
        self.files[ref] = data
        return ref

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        self.fetched.append(attachment.ref)
        data = self.files.get(attachment.ref)
        if data is None:
            raise AttachmentProblem("unavailable", attachment.ref)
        if len(data) > limit:
            raise AttachmentProblem("too-large", attachment.ref)
        return data


def sent_files(engine: Engine, channel: str = "test") -> SentFiles:
    """The channel's file store, registered as its attachment source on first use."""
    source = engine.sources.get(channel)
    if not isinstance(source, SentFiles):
        source = SentFiles()
        engine.register_source(channel, source)
    return source


@dataclass
class Resident:
    engine: Engine
    user_id: str = field(default_factory=lambda: f"u{next(_ids)}")
    channel: str = "test"
    language: str | None = "uk"
    last: list[Reply] = field(default_factory=list)
    history: list[Reply] = field(default_factory=list)

    @classmethod
    def on(
        cls,
        engine: Engine,
        channel: str = "test",
        caps: ChannelCapabilities = TEST,
        **kwargs: object,
    ) -> Resident:
        if channel not in engine.capabilities:
            engine.register_channel(channel, caps)
        return cls(engine, channel=channel, **kwargs)  # type: ignore[arg-type]

    @property
    def address(self) -> Address:
        return Address(self.channel, self.user_id)

    async def _do(self, incoming: Incoming) -> list[Reply]:
        self.last = await self.engine.handle(incoming)
        self.history.extend(self.last)
        return self.last

    async def send(self, text: str, **extra: object) -> list[Reply]:
        return await self._do(
            Incoming.text_message(self.address, text, language_hint=self.language, **extra)
        )

    async def press(self, label_or_payload: str) -> list[Reply]:
        """Press a button of the last answer, by (part of) its label or its exact payload."""
        payload = self.find_payload(label_or_payload)
        return await self.press_payload(payload)

    async def press_payload(self, payload: str, event_id: str | None = None) -> list[Reply]:
        return await self._do(
            Incoming(
                self.address,
                Kind.BUTTON,
                payload=payload,
                language_hint=self.language,
                event_id=event_id,
            )
        )

    async def share_location(self, lat: float, lon: float) -> list[Reply]:
        return await self._do(Incoming(self.address, Kind.LOCATION, location=Location(lat, lon)))

    async def share_contact(self, phone: str) -> list[Reply]:
        return await self._do(Incoming(self.address, Kind.CONTACT, contact=Contact(phone)))

    async def send_photo(
        self, data: bytes, *, kind: str = "photo", mime: str = "", name: str = ""
    ) -> list[Reply]:
        """Send a picture (or, with kind="document", a file) as the messengers do: the
        bytes stay with the "platform" until the screen that takes them asks for them."""
        ref = sent_files(self.engine, self.channel).put(data)
        return await self.send_attachment(
            Attachment(kind, ref, mime=mime, size=len(data), name=name)
        )

    async def send_attachment(self, attachment: Attachment) -> list[Reply]:
        return await self._do(Incoming(self.address, Kind.ATTACHMENT, attachment=attachment))

    async def send_media(self, media: str) -> list[Reply]:
        return await self._do(Incoming(self.address, Kind.UNSUPPORTED, media=media))

    async def lifecycle(self, event: Lifecycle, args: str = "") -> list[Reply]:
        return await self._do(Incoming(self.address, Kind.LIFECYCLE, event=event, args=args))

    async def onboard(self, locale: str = "uk") -> list[Reply]:
        await self.send("/start")
        return await self.press_payload(f"lang:{locale}")

    # --- reading the answer --------------------------------------------------------
    @property
    def text(self) -> str:
        return "\n\n".join(reply.text for reply in self.last)

    @property
    def buttons(self) -> list[Button]:
        return [
            b for reply in self.last for row in reply.buttons for b in row if isinstance(b, Button)
        ]

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self.buttons]

    def find_payload(self, label_or_payload: str) -> str:
        for button in self.buttons:
            if button.payload == label_or_payload:
                return button.payload
        matches = [b for b in self.buttons if label_or_payload.lower() in b.label.lower()]
        if len(matches) != 1:
            raise AssertionError(
                f"expected one button matching {label_or_payload!r}, got "
                f"{[b.label for b in matches]} among {self.labels}"
            )
        return matches[0].payload
