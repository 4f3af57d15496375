"""Reporting a problem in the city («📷 Повідомити про проблему»): a missed waste
collection, an overflowing container, an illegal dump, a broken bench — with the place, up
to three photos and a description; the working group sets its status and the reporter is
told.

  service.py   the ONLY implementation: categories (content/reports.yaml), making a report,
               "my reports", the working group's list, status changes (audited, the
               reporter notified through the outbox), missed collections by zone and day
  flow.py      the resident's screens (`reports`, the main menu, /myreports, «Не вивезли
               сміття» under a waste schedule)
  operator.py  the working group's screens in the chat (`/reports`)
  export.py    CSV for spreadsheets and GeoJSON for the city's geoportal

Photos are the core's attachments (bot/core/attachments.py): checked, cleaned of metadata,
stored with an expiry, shown to operators only. docs/reports.md.
"""

from bot.core.engine import Registry
from bot.core.features import Feature
from dialogs.reports import flow, operator


def register(registry: Registry) -> None:
    flow.register(registry)
    operator.register(registry)


FEATURE = Feature("reports", register)
