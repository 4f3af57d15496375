"""Fixtures for the plan tests: the shipped plan loaded, residents on each channel's
capabilities, and reading the outbox as a resident would see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Svoi
from bot.config import Settings
from bot.core.capabilities import TELEGRAM, VIBER
from bot.core.i18n import I18n
from dialogs.plan.content import ensure_default_content
from storage.db import Database
from storage.models import OutboxMessage
from tests.support.conversation import Resident

CHANNELS = {"telegram": TELEGRAM, "viber": VIBER}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Conversations here are long and fast; flood control has its own tests.
    return settings.model_copy(update={"flood_max_messages": 1000})


@pytest.fixture
async def plan(db: Database) -> None:
    assert await ensure_default_content(db) is True


@pytest.fixture(params=sorted(CHANNELS))
def on_channel(request: pytest.FixtureRequest, svoi: Svoi, plan: None) -> Resident:
    """A resident on Telegram's or Viber's capabilities (inline buttons vs. a keyboard)."""
    return Resident.on(svoi.engine, channel=request.param, caps=CHANNELS[request.param])


@dataclass
class Shown:
    text: str
    buttons: list[tuple[str, str]]


def show(i18n: I18n, row: OutboxMessage, locale: str) -> Shown:
    """An outbox row in the resident's language, as the sender will render it."""
    assert row.template_key is not None
    text = i18n.t(locale, row.template_key, row.template_args)
    buttons = [
        (i18n.t(locale, b["key"], b.get("args") or {}), b["payload"])
        for line in row.buttons
        for b in line
    ]
    return Shown(text, buttons)


async def outbox(db: Database, **where: Any) -> list[OutboxMessage]:
    async with db.transaction() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list((await session.execute(query)).scalars())


def plain(text: str) -> str:
    """Babel writes dates and numbers with (narrow) no-break spaces; compare with spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")
