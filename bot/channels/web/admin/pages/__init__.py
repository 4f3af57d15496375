"""The console's pages, one module per feature. Each module's `routes(console)` returns its
`(method, path, handler)` triples; the shell guards every handler (session, role, CSRF) and
calls it as `handler(request, operator)`. A feature's console page is its module plus one
line in PAGES."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.channels.web.admin.operator import Route
from bot.channels.web.admin.pages import (
    alerts,
    broadcasts,
    dashboard,
    files,
    handoff,
    plan,
    questions,
    reports,
    services,
    waste,
)

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console

PAGES: tuple[Callable[[Console], list[Route]], ...] = (
    dashboard.routes,
    plan.routes,
    questions.routes,
    handoff.routes,
    reports.routes,
    broadcasts.routes,
    waste.routes,
    services.routes,
    alerts.routes,
    files.routes,
)
