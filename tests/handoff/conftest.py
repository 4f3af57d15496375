"""Fixtures for conversations with a person: settings that serve the web chat and the
console too (a signed-cookie secret, no quiet hours) with the test operator."""

from __future__ import annotations

import pytest

from bot.config import Settings
from tests.conftest import OPERATOR
from tests.web.conftest import web_settings


@pytest.fixture
def settings(db_url: str) -> Settings:
    return web_settings(db_url, operators=f"{OPERATOR[0]}:{OPERATOR[1]}")
