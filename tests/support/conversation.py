"""A conversation client for tests: it "sends" and "presses" like a resident and keeps what
Svoi answered, through the real engine and database (a channel that records replies)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.core.capabilities import TEST, ChannelCapabilities
from bot.core.engine import Engine
from bot.core.messages import (
    Address,
    Button,
    Contact,
    Incoming,
    Kind,
    Lifecycle,
    Location,
    Reply,
)

_ids = itertools.count(1)


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
