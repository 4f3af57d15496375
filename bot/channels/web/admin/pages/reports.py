"""Residents' reports on the console, over dialogs/reports/service.py: the list (newest first,
filtered by status and category) with a plan of where the reports are and the missed
collections grouped by zone and day → one report: its photos (served by pages/files.py,
metadata stripped when stored), its place (coordinates with a link to OpenStreetMap, the
address the resident typed, the waste zone), and the status form — the reporter is told
through the outbox in their language. The list also downloads as CSV (safe to open in a
spreadsheet) and as GeoJSON for the city's geoportal, the same export functions as
`python -m bot reports export`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aiohttp import web

from bot.channels.web.admin.operator import Operator, Route
from bot.core.actions import Refused
from dialogs.reports import service as reports
from dialogs.reports.export import to_csv, to_geojson
from storage import clock
from storage.repos.access import AuditRepo

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console

LIST_LIMIT = 200
EXPORT_LIMIT = 100_000
MISSED_DAYS = 14  # the missed-collection groups cover the last two weeks
OSM = "https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}"

# The plan of reports: an equirectangular box around the points, at least MIN_SPAN degrees
# wide (a single report is drawn in the middle, not blown up to the whole picture).
PLAN_WIDTH = 640
PLAN_HEIGHT = 420
PLAN_PAD = 24
MIN_SPAN = 0.02  # degrees of latitude, ~2.2 km


@dataclass(frozen=True, slots=True)
class Point:
    report_id: int
    reference: str
    label: str
    status: str
    x: float
    y: float


def plan(views: list[reports.ReportView], locale: str) -> list[Point]:
    """Positions on the plan for the reports that have coordinates. Longitude is scaled by
    cos(latitude) so that distances look right at Khmelnytskyi's 49° N."""
    placed = [v for v in views if v.latitude is not None and v.longitude is not None]
    if not placed:
        return []
    lats = [v.latitude for v in placed if v.latitude is not None]
    lons = [v.longitude for v in placed if v.longitude is not None]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    squeeze = math.cos(math.radians(mid_lat))  # ~0.656 at 49° N
    span = max(MIN_SPAN, max(lats) - min(lats), (max(lons) - min(lons)) * squeeze)
    inner_w, inner_h = PLAN_WIDTH - 2 * PLAN_PAD, PLAN_HEIGHT - 2 * PLAN_PAD
    scale = min(inner_w, inner_h) / span
    points = []
    for v in placed:
        assert v.latitude is not None and v.longitude is not None
        x = PLAN_WIDTH / 2 + (v.longitude - mid_lon) * squeeze * scale
        y = PLAN_HEIGHT / 2 - (v.latitude - mid_lat) * scale
        label = reports.category_label(v.category, locale)
        points.append(Point(v.id, v.reference, label, v.status.value, round(x, 1), round(y, 1)))
    return points


def routes(console: Console) -> list[Route]:
    page = ReportPages(console)
    return [
        ("GET", "/admin/reports", page.report_list),
        ("GET", "/admin/reports.csv", page.csv),
        ("GET", "/admin/reports.geojson", page.geojson),
        ("GET", "/admin/reports/{id:\\d+}", page.report),
        ("POST", "/admin/reports/{id:\\d+}/status", page.set_status),
    ]


def _status(value: str | None) -> reports.Status | None:
    try:
        return reports.Status(value) if value else None
    except ValueError:
        return None


def _category(value: str | None) -> str | None:
    return value if value and reports.category(value) is not None else None


class ReportPages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    async def report_list(self, request: web.Request, op: Operator) -> web.Response:
        status, category = (
            _status(request.query.get("status")),
            _category(request.query.get("category")),
        )
        since = clock.now().astimezone(clock.city_zone()).date() - timedelta(days=MISSED_DAYS)
        async with self.svoi.db.transaction() as session:
            items = await reports.list_reports(
                session, status=status, category=category, limit=LIST_LIMIT
            )
            missed = await reports.missed_collection_groups(session, since=since)
        return self.console.render(
            request,
            "admin/reports.html",
            operator=op,
            items=items,
            missed=missed,
            missed_days=MISSED_DAYS,
            list_limit=LIST_LIMIT,
            points=plan(items, op.locale),
            plan_width=PLAN_WIDTH,
            plan_height=PLAN_HEIGHT,
            without_place=sum(1 for v in items if v.latitude is None),
            statuses=[s.value for s in reports.Status],
            categories=[
                (c.key, reports.category_label(c.key, op.locale)) for c in reports.categories()
            ],
            chosen_status=status.value if status else "",
            chosen_category=category or "",
            selection=urlencode(
                {k: v for k, v in (("status", status), ("category", category)) if v}
            ),
            label=reports.category_label,
        )

    async def _exported(
        self, request: web.Request, op: Operator, fmt: str
    ) -> list[reports.ReportView]:
        """The list's selection (state and problem), all of it, for a download."""
        status, category = (
            _status(request.query.get("status")),
            _category(request.query.get("category")),
        )
        async with self.svoi.db.transaction() as session:
            found = await reports.list_reports(
                session, status=status, category=category, limit=EXPORT_LIMIT
            )
            AuditRepo(session).write(
                op.account, op.role, "reports-export", fmt, "done", via="web", count=len(found)
            )
        return found

    def _download(self, body: str, content_type: str, name: str) -> web.Response:
        stamp = clock.now().astimezone(clock.city_zone()).strftime("%Y-%m-%d")
        return web.Response(
            text=body,
            content_type=content_type,
            charset="utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="svoi-reports-{stamp}.{name}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def csv(self, request: web.Request, op: Operator) -> web.Response:
        found = await self._exported(request, op, "csv")
        body = to_csv(found, base_url=self.svoi.settings.public_base_url)
        return self._download(body, "text/csv", "csv")

    async def geojson(self, request: web.Request, op: Operator) -> web.Response:
        found = await self._exported(request, op, "geojson")
        exported = to_geojson(found, base_url=self.svoi.settings.public_base_url)
        return self._download(exported.text, "application/geo+json", "geojson")

    async def _page(
        self, request: web.Request, op: Operator, report_id: int, *, status: int = 200,
        error: str | None = None, form: Any = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            view = await reports.get_report(session, report_id)
        if view is None:
            raise web.HTTPNotFound()
        osm = (
            OSM.format(lat=view.latitude, lon=view.longitude)
            if view.latitude is not None and view.longitude is not None
            else None
        )
        return self.console.render(
            request,
            "admin/report.html",
            operator=op,
            status=status,
            error=error,
            report=view,
            category_name=reports.category_label(view.category, op.locale),
            osm=osm,
            statuses=[s.value for s in reports.Status],
            form=form or {},
            limit=reports.COMMENT_LIMIT,
        )

    async def report(self, request: web.Request, op: Operator) -> web.Response:
        return await self._page(request, op, int(request.match_info["id"]))

    async def set_status(self, request: web.Request, op: Operator) -> web.Response:
        report_id = int(request.match_info["id"])
        form = await request.post()
        chosen = _status(str(form.get("status", "")))
        comment = str(form.get("comment", ""))
        if chosen is None:
            error = op.t("web-admin-error-status")
            return await self._page(request, op, report_id, status=400, error=error, form=form)
        try:
            async with self.svoi.db.transaction() as session:
                await reports.set_status(session, op.actor, report_id, chosen, comment, clock.now())
        except Refused as refused:
            if refused.key == "reports-error-not-found":
                raise web.HTTPNotFound() from None
            error = self.console.error(op, refused)
            return await self._page(request, op, report_id, status=400, error=error, form=form)
        raise self.console.redirect(f"/admin/reports/{report_id}", "report-status")
