"""Typed per-flow state: a flow declares what it keeps between turns as a dataclass, and
reads and writes it through `Turn.load` / `Turn.keep`, so mypy checks every use.

    @dataclass
    class Publish(FlowState):
        code: str | None = None
        progress: int | None = None

    state = turn.load(Publish)          # the stored values, checked; defaults for the rest
    state.progress = 40
    turn.keep(state)                    # written back in the turn's transaction

Stored state comes from the database and may be from an older release or a flow that changed
meanwhile: a value of the wrong type reads as the field's default instead of raising, so a
stale row shows the flow's start instead of an error. Keys of other flows are left alone.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Self, get_type_hints

from pydantic import TypeAdapter, ValidationError


class FlowState:
    """Base class of a flow's state; subclasses are dataclasses whose fields have defaults."""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for name, adapter in _adapters(cls).items():
            if name not in data:
                continue
            try:
                values[name] = adapter.validate_python(data[name], strict=True)
            except ValidationError:
                continue  # a stale or foreign value: the field's default
        return cls(**values)

    def to_data(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


_ADAPTERS: dict[type, dict[str, TypeAdapter[Any]]] = {}


def _adapters(cls: type) -> dict[str, TypeAdapter[Any]]:
    """One validator per field, built once per state class."""
    found = _ADAPTERS.get(cls)
    if found is None:
        hints = get_type_hints(cls)
        found = {f.name: TypeAdapter(hints[f.name]) for f in dataclasses.fields(cls)}
        _ADAPTERS[cls] = found
    return found
