"""`/admin/waste`: move or cancel a collection day (→ subscribers notified), over
`dialogs.waste.service.change_collection`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.web.admin.operator import Operator, Route, form_date
from bot.core.actions import Refused
from bot.core.i18n import localized
from dialogs.waste.schedule import local_today
from dialogs.waste.service import change_collection
from storage import clock
from storage.repos.waste import WasteRepo

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console


def routes(console: Console) -> list[Route]:
    page = WastePages(console)
    return [
        ("GET", "/admin/waste", page.waste),
        ("POST", "/admin/waste/exceptions", page.waste_exception),
    ]


class WastePages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    async def waste(
        self, request: web.Request, op: Operator, *, status: int = 200, error: str | None = None,
        form: Any = None,
    ) -> web.Response:  # fmt: skip
        today = local_today(clock.now())
        async with self.svoi.db.transaction() as session:
            repo = WasteRepo(session)
            zones = await repo.zones()
            types = await repo.types()
            exceptions = await repo.exceptions(since=today)
        names = {z.id: z for z in zones}
        return self.console.render(
            request,
            "admin/waste.html",
            operator=op,
            status=status,
            error=error,
            form=form or {},
            zones=zones,
            types=types,
            exceptions=exceptions,
            zone_of=names,
            type_of={t.code: t for t in types},  # the table shows names, never type codes
            today=today.isoformat(),
            localized=localized,
        )

    async def waste_exception(self, request: web.Request, op: Operator) -> web.Response:
        form = await request.post()
        try:
            original = form_date(str(form.get("date", "")))
            moved = form.get("action") == "move"
            moved_to = form_date(str(form.get("moved_to", ""))) if moved else None
            if original is None or (moved and moved_to is None):
                raise Refused("web-admin-error-date")
            zone_code = str(form.get("zone", ""))
            waste_type = str(form.get("type", ""))
            async with self.svoi.db.transaction() as session:
                await change_collection(
                    session,
                    self.svoi.i18n,
                    zone_code=zone_code,
                    waste_type=waste_type,
                    original=original,
                    moved_to=moved_to,
                    reason_uk=str(form.get("reason_uk", ""))[:500],
                    reason_en=str(form.get("reason_en", ""))[:500],
                    actor=op.actor,
                    now=clock.now(),
                )
        except Refused as refused:
            return await self.waste(
                request, op, status=400, error=self.console.error(op, refused), form=form
            )
        raise self.console.redirect("/admin/waste", "waste-saved")
