"""Reports export for spreadsheets (CSV) and the city's geoportal (GeoJSON, RFC 7946).

Pure functions over report views: no database, no clock. Typed against a structural
`ExportedReport` so they accept the service's `ReportView` without importing it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from storage import csvsafe

BOM = "\ufeff"
# A spreadsheet treats a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = (
    "reference",
    "category",
    "status",
    "created_at",
    "updated_at",
    "address",
    "latitude",
    "longitude",
    "zone",
    "description",
    "operator_comment",
    "channel",
    "photos",
)


class ExportedReport(Protocol):
    @property
    def reference(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...
    @property
    def address(self) -> str: ...
    @property
    def zone_name(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def operator_comment(self) -> str: ...
    @property
    def photo_keys(self) -> tuple[str, ...]: ...
    @property
    def channel(self) -> str: ...


def neutralise(text: str) -> str:
    """A cell a spreadsheet would run as a formula, as text (storage/csvsafe.py's rule)."""
    return str(csvsafe.cell(text))


def photo_urls(report: ExportedReport, base_url: str) -> list[str]:
    base = base_url.rstrip("/")
    return [f"{base}/admin/files/{key}" for key in report.photo_keys]


def _coordinate(value: float | None) -> float | None:
    """Degrees to 6 decimals (~0.1 m), as a number: a number cannot carry a formula."""
    return None if value is None else round(value, 6)


def to_csv(reports: Iterable[ExportedReport], *, base_url: str) -> str:
    """UTF-8 text with a BOM (so spreadsheets read Ukrainian), one row per report."""
    out = io.StringIO()
    writer = csvsafe.Writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        row = (
            report.reference,
            str(report.category),
            str(report.status),
            report.created_at.isoformat(),
            report.updated_at.isoformat(),
            report.address,
            _coordinate(report.latitude),
            _coordinate(report.longitude),
            report.zone_name or "",
            report.description,
            report.operator_comment,
            report.channel,
            " ".join(photo_urls(report, base_url)),
        )
        writer.writerow(row)
    return BOM + out.getvalue()


@dataclass(frozen=True, slots=True)
class GeoJsonExport:
    text: str
    without_location: int


def to_geojson(reports: Sequence[ExportedReport], *, base_url: str) -> GeoJsonExport:
    """An RFC 7946 FeatureCollection; positions are [longitude, latitude] in WGS 84.

    Reports without coordinates cannot be placed on a map: they are left out and counted in
    the collection's foreign member `without_location`.
    """
    features: list[dict[str, object]] = []
    skipped = 0
    for report in reports:
        if report.latitude is None or report.longitude is None:
            skipped += 1
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(report.longitude, 6), round(report.latitude, 6)],
                },
                "properties": {
                    "reference": report.reference,
                    "category": str(report.category),
                    "status": str(report.status),
                    "created_at": report.created_at.isoformat(),
                    "address": report.address,
                    "zone": report.zone_name,
                    "photos": photo_urls(report, base_url),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features, "without_location": skipped}
    return GeoJsonExport(json.dumps(collection, ensure_ascii=False, indent=1), skipped)
