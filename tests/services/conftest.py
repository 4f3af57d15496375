"""Fixtures for the services tests: the shipped catalogue loaded into the test database."""

from __future__ import annotations

import pytest

from bot.app import Svoi
from dialogs.services import ensure_default_catalogue
from storage.db import Database


@pytest.fixture
async def catalogue(db: Database) -> None:
    assert await ensure_default_catalogue(db) is True


@pytest.fixture
async def city(svoi: Svoi, catalogue: None) -> Svoi:
    """The running bot with the shipped catalogue."""
    return svoi
