"""Waste conversations are long scripts typed at machine speed: lift the flood limit."""

from __future__ import annotations

import pytest

from bot.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"flood_max_messages": 1000})
