"""`/admin/alerts`: the air-raid alert switch («тривога / відбій»), over
`bot.delivery.alerts.switch` (the chat's `/alert` uses the same; both are audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.web.admin.operator import Operator, Route
from bot.delivery import alerts
from storage import clock
from storage.repos.delivery import AlertRepo

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console


def routes(console: Console) -> list[Route]:
    page = AlertPages(console)
    return [
        ("GET", "/admin/alerts", page.alerts),
        ("POST", "/admin/alerts", page.alerts_switch),
    ]


class AlertPages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    async def alerts(self, request: web.Request, op: Operator) -> web.Response:
        region = self.svoi.settings.alerts_region
        async with self.svoi.db.transaction() as session:
            state = await AlertRepo(session).get(region)
        active = state is not None and state.active
        return self.console.render(
            request,
            "admin/alerts.html",
            operator=op,
            active=active,
            state_text=(
                op.t(
                    "alerts-state-on",
                    since=self.svoi.i18n.datetime(op.locale, state.since),
                    who=op.t(f"alerts-source-{state.source}"),
                )
                if active and state is not None
                else op.t("alerts-state-off")
            ),
            feed=alerts.feed_status(self.svoi.db),
        )

    async def alerts_switch(self, request: web.Request, op: Operator) -> web.Response:
        form = await request.post()
        action = form.get("action")
        if action in ("on", "off"):
            async with self.svoi.db.transaction() as session:
                await alerts.switch(
                    session, self.svoi.settings.alerts_region, action == "on", op.actor, clock.now()
                )
        raise web.HTTPSeeOther("/admin/alerts")
