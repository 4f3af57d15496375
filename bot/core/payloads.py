"""Typed button payloads: a channel-neutral codec in the spirit of aiogram's `CallbackData`.

A payload class names its prefix and its fields; `pack()` writes `<prefix>:<field>:<field>`
and `unpack()` reads it back, or gives None for anything else (another screen's payload,
a forged or stale one, a wrong type). A packed payload must fit Telegram's 64 bytes, so a
field that would overflow it is refused when the button is built, not when it is pressed.

    @dataclass(frozen=True, slots=True)
    class PickCommitment(Payload, prefix="pc"):
        code: str

    Button(title, PickCommitment("c3").pack())          # "pc:c3"
    if (picked := PickCommitment.unpack(payload)) is not None:
        ... picked.code ...

Fields are `str`, `int` or `bool` (written 1/0); a `str` may not contain the separator.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self, get_type_hints

SEPARATOR = ":"
MAX_BYTES = 64  # Telegram's callback_data limit; Viber and the web take more


class PayloadError(ValueError):
    """A payload that cannot be written: a separator inside a value, or over 64 bytes."""


class Payload:
    """Base class of a typed payload; subclasses are frozen dataclasses with a `prefix`."""

    prefix: ClassVar[str]
    _fields: ClassVar[tuple[tuple[str, type], ...]] = ()

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        prefix = prefix or cls.__dict__.get("prefix", "")  # `slots=True` rebuilds the class
        if not prefix or SEPARATOR in prefix:
            raise TypeError(f"{cls.__name__}: a payload needs a prefix without {SEPARATOR!r}")
        cls.prefix = prefix

    @classmethod
    def _field_types(cls) -> tuple[tuple[str, type], ...]:
        if not cls.__dict__.get("_resolved"):
            hints = get_type_hints(cls)
            fields = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
            for name, kind in fields:
                if kind not in (str, int, bool):
                    raise TypeError(f"{cls.__name__}.{name}: str, int or bool, not {kind}")
            cls._fields = fields
            cls._resolved = True  # type: ignore[attr-defined]
        return cls._fields

    def pack(self) -> str:
        parts = [self.prefix]
        for name, kind in self._field_types():
            value = getattr(self, name)
            if kind is bool:
                parts.append("1" if value else "0")
                continue
            text = str(value)
            if SEPARATOR in text:
                raise PayloadError(f"{type(self).__name__}.{name} contains {SEPARATOR!r}")
            parts.append(text)
        packed = SEPARATOR.join(parts)
        if len(packed.encode()) > MAX_BYTES:
            raise PayloadError(f"{type(self).__name__} is over {MAX_BYTES} bytes: {packed!r}")
        return packed

    @classmethod
    def unpack(cls, payload: str) -> Self | None:
        """The payload as this class, or None if it is not one (never raises)."""
        fields = cls._field_types()
        parts = payload.split(SEPARATOR)
        if parts[0] != cls.prefix or len(parts) != len(fields) + 1:
            return None
        values: dict[str, Any] = {}
        for (name, kind), text in zip(fields, parts[1:], strict=True):
            if kind is int:
                digits = text[1:] if text.startswith("-") else text
                if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
                    return None
                values[name] = int(text)
            elif kind is bool:
                if text not in ("0", "1"):
                    return None
                values[name] = text == "1"
            else:
                if not text:
                    return None
                values[name] = text
        return cls(**values)

    @classmethod
    def matches(cls, payload: str) -> bool:
        return cls.unpack(payload) is not None
