"""The typed payload codec and typed flow state: what a flow writes it reads back, and
anything else (another screen's payload, a forged one, a stale state row) reads as nothing
or as the default, never as an exception."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.core.payloads import MAX_BYTES, Payload, PayloadError
from bot.core.state import FlowState


@dataclass(frozen=True, slots=True)
class Pick(Payload, prefix="pk"):
    code: str
    page: int
    urgent: bool


@dataclass(frozen=True, slots=True)
class Other(Payload, prefix="ot"):
    code: str


def test_a_payload_packs_and_unpacks() -> None:
    packed = Pick("c3", 2, True).pack()
    assert packed == "pk:c3:2:1"
    assert Pick.unpack(packed) == Pick("c3", 2, True)
    assert Pick.unpack(Pick("c3", -1, False).pack()) == Pick("c3", -1, False)


@pytest.mark.parametrize(
    "payload",
    [
        "ot:c3",
        "pk:c3:2",
        "pk:c3:2:1:9",
        "pk:c3:x:1",
        "pk:c3:²:1",  # a digit to Python, not a number
        "pk:c3:2:yes",
        "pk::2:1",
        "",
        "pk",
        "g:menu",
    ],
)
def test_anything_else_unpacks_to_none(payload: str) -> None:
    assert Pick.unpack(payload) is None
    assert not Pick.matches(payload)


def test_a_payload_that_cannot_be_written_is_refused_when_built() -> None:
    with pytest.raises(PayloadError):
        Other("a:b").pack()
    with pytest.raises(PayloadError):
        Other("я" * MAX_BYTES).pack()  # 2 bytes a letter in UTF-8


def test_a_payload_class_needs_a_prefix_and_simple_fields() -> None:
    with pytest.raises(TypeError):

        @dataclass(frozen=True)
        class NoPrefix(Payload):
            code: str

    @dataclass(frozen=True)
    class Listy(Payload, prefix="ls"):
        codes: list[str]

    with pytest.raises(TypeError):
        Listy(["a"]).pack()


@dataclass
class Draft(FlowState):
    code: str | None = None
    progress: int | None = None
    options: list[str] = field(default_factory=list)
    urgent: bool = False


def test_state_reads_back_what_was_kept() -> None:
    state = Draft(code="c2", progress=40, options=["так", "ні"], urgent=True)
    assert Draft.from_data(state.to_data()) == state


def test_stale_or_foreign_values_read_as_defaults() -> None:
    stored = {"code": 17, "progress": "40", "options": "так", "urgent": "yes", "other": 1}
    assert Draft.from_data(stored) == Draft()
    assert Draft.from_data({}) == Draft()
    assert Draft.from_data({"code": "c1", "progress": True}) == Draft(code="c1")
