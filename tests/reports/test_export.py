"""A resident's report leaves the city as a spreadsheet row and a point on the geoportal map."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dialogs.reports.export import CSV_COLUMNS, neutralise, to_csv, to_geojson

KYIV_WINTER = timezone(timedelta(hours=2))


@dataclass(frozen=True, slots=True)
class Report:
    """The fields the export reads; the service's ReportView has the same shape."""

    reference: str
    category: str
    status: str
    description: str
    latitude: float | None
    longitude: float | None
    address: str
    zone_name: str | None
    created_at: datetime
    updated_at: datetime
    operator_comment: str
    photo_keys: tuple[str, ...]
    channel: str


def a_report(**changes: object) -> Report:
    fields: dict[str, object] = {
        "reference": "R-0001",
        "category": "missed_collection",
        "status": "received",
        "description": "Не вивезли контейнер біля під'їзду",
        "latitude": 49.422983,
        "longitude": 26.987133,
        "address": "вул. Проскурівська, 1",
        "zone_name": "Зона 3",
        "created_at": datetime(2026, 12, 4, 9, 30, tzinfo=KYIV_WINTER),
        "updated_at": datetime(2026, 12, 4, 9, 30, tzinfo=KYIV_WINTER),
        "operator_comment": "",
        "photo_keys": ("abc123",),
        "channel": "telegram",
    }
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]


def test_a_formula_in_a_description_stays_text_in_the_spreadsheet() -> None:
    text = to_csv(
        [a_report(description='=HYPERLINK("http://evil.example","клік")')],
        base_url="https://svoi.example",
    )

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["description"] == '\'=HYPERLINK("http://evil.example","клік")'
    assert row["created_at"] == "2026-12-04T09:30:00+02:00"
    assert row["photos"] == "https://svoi.example/admin/files/abc123"
    assert row["latitude"] == "49.422983"


def test_every_formula_start_is_neutralised() -> None:
    for cell in ("=1+1", "+380", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("вул. Шевченка") == "вул. Шевченка"
    assert neutralise("") == ""


def test_geojson_puts_longitude_first_and_counts_reports_without_a_place() -> None:
    export = to_geojson(
        [a_report(), a_report(reference="R-0002", latitude=None, longitude=None)],
        base_url="https://svoi.example/",
    )

    collection = json.loads(export.text)
    assert collection["type"] == "FeatureCollection"
    assert export.without_location == 1
    assert collection["without_location"] == 1
    [feature] = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [26.987133, 49.422983]}
    lon, lat = feature["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert feature["properties"] == {
        "reference": "R-0001",
        "category": "missed_collection",
        "status": "received",
        "created_at": "2026-12-04T09:30:00+02:00",
        "address": "вул. Проскурівська, 1",
        "zone": "Зона 3",
        "photos": ["https://svoi.example/admin/files/abc123"],
    }
