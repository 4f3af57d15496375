"""Waste collection: schedules by address, reminders, change notices, calendar export.

Modules: `schedule` (pure RRULE expansion), `addresses` (pure address matching), `service`
(loading schedules, change notices, the operators' collection changes), `reminders` (the
one-minute tick), `calendar` (.ics and its HTTP route), `content` (import/export, the shipped
data), `flow` (the resident's dialog), `operator` (the working group's screens). `FEATURE`
gives the application `add_routes` and `ensure_default_waste`; bot/scheduler.py runs `tick`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.engine import MenuEntry, Registry
from bot.core.features import Feature

if TYPE_CHECKING:
    from datetime import datetime

    from aiohttp import web

    from bot.app import Svoi
    from bot.config import Settings
    from bot.core.i18n import I18n
    from storage.db import Database


def register(registry: Registry) -> None:
    from bot.delivery.broadcasts import add_audience_source
    from dialogs.waste import flow, operator, service

    registry.add_flow(flow.WASTE_FLOW)
    registry.add_flow(operator.WASTE_OPS_FLOW)
    add_audience_source(service.ZONE_AUDIENCE)  # broadcasts to a zone's subscribers
    registry.add_menu_entry(MenuEntry("menu-waste", flow.WASTE_FLOW.name, 30))
    registry.add_global_action(service.STOP_ACTION, flow.stop_action)
    registry.add_global_action(service.EDIT_ACTION, flow.edit_action)
    registry.add_interrupt("waste", flow.waste_command)


def add_routes(app: web.Application, svoi: Svoi) -> None:
    """Serve residents' calendar files at their unguessable links."""
    from dialogs.waste import calendar

    calendar.add_routes(app, svoi)


async def ensure_default_waste(db: Database) -> bool:
    """Import content/waste.yaml into a database without waste data (idempotent)."""
    from dialogs.waste import content

    return await content.ensure_default_waste(db)


async def tick(db: Database, i18n_or_settings: I18n | Settings, now: datetime) -> int:
    """Enqueue the reminders due since the last tick (see dialogs.waste.reminders)."""
    from dialogs.waste import reminders

    return await reminders.tick(db, i18n_or_settings, now)


FEATURE = Feature("waste", register, shipped_content=ensure_default_waste, add_routes=add_routes)
