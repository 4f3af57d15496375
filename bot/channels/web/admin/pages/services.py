"""`/admin/services`: import the services catalogue with a validation report, over
`dialogs.services.service.import_services`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.web.admin.operator import Operator, Route
from dialogs.services.service import import_services
from storage.repos.access import AuditRepo
from storage.repos.services import ServiceRepo

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console


def routes(console: Console) -> list[Route]:
    page = ServicePages(console)
    return [
        ("GET", "/admin/services", page.services),
        ("POST", "/admin/services/import", page.services_import),
    ]


class ServicePages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    async def services(
        self, request: web.Request, op: Operator, *, status: int = 200, report: Any = None,
        error: str | None = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            repo = ServiceRepo(session)
            catalogue = await repo.catalogue()
            counts = {
                "services": len(await repo.all_services()),
                "categories": len(await repo.categories()),
                "offices": len(await repo.all_offices()),
            }
        return self.console.render(
            request,
            "admin/services.html",
            operator=op,
            status=status,
            error=error,
            catalogue=catalogue,
            counts=counts,
            report=report,
        )

    async def services_import(self, request: web.Request, op: Operator) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            return await self.services(request, op, status=400, error=op.t("web-admin-error-file"))
        content = upload.file.read(900_000)
        dry_run = form.get("dry_run") == "1"
        report = await import_services(self.svoi.db, upload.filename, content, dry_run=dry_run)
        async with self.svoi.db.transaction() as session:
            AuditRepo(session).write(
                op.account,
                op.role,
                "services-import",
                upload.filename[:160],
                "refused" if report.problems else "done",
                via="web",
                dry_run=dry_run,
                problems=len(report.problems),
                summary=report.summary,
            )
        return await self.services(
            request, op, status=400 if report.problems else 200, report=report
        )
