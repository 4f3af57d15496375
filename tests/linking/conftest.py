"""Fixtures for the linking tests: the plan's shipped content and long, fast conversations."""

from __future__ import annotations

import pytest

from bot.config import Settings
from tests.plan.conftest import plan

__all__ = ["plan"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Conversations here are long and fast; flood control has its own tests.
    return settings.model_copy(update={"flood_max_messages": 1000})
