"""Svoi served over real HTTP with the Viber channel, talking to the fake Viber API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings, ViberSettings
from storage.db import Database
from tests.channels.viber.client import ViberService, start_service
from tests.fakes.viber_api import TOKEN, FakeViberApi


@pytest.fixture
async def fake_viber() -> AsyncIterator[FakeViberApi]:
    fake = await FakeViberApi().start()
    yield fake
    await fake.close()


def viber_settings(settings: Settings, fake: FakeViberApi, **viber: object) -> Settings:
    section = ViberSettings(
        auth_token=viber.pop("auth_token", TOKEN),  # type: ignore[arg-type]
        api_base=fake.url,
        bot_name="Свої",
        _env_file=None,  # type: ignore[call-arg]
        **viber,  # type: ignore[arg-type]
    )
    # A conversation script sends a dozen messages in a second: keep the flood limit away.
    update: dict[str, object] = {"viber": section}
    if "flood_max_messages" in Settings.model_fields:
        update["flood_max_messages"] = 1000
    return settings.model_copy(update=update)


@pytest.fixture
async def viber(
    settings: Settings, db: Database, fake_viber: FakeViberApi
) -> AsyncIterator[ViberService]:
    service = await start_service(viber_settings(settings, fake_viber), db, fake_viber)
    yield service
    await service.close()
