"""`python -m bot reports export --format csv|geojson [--status S] [--output FILE]`: residents'
reports for a spreadsheet (CSV, safe to open) or the city's geoportal (GeoJSON, RFC 7946) —
the same service and export functions the chat uses (dialogs/reports)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import opened
from bot.config import Settings
from dialogs.reports import service
from dialogs.reports.export import to_csv, to_geojson

if TYPE_CHECKING:
    from bot.commands import SubParsers

EXPORT_LIMIT = 100_000


def _export(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> str:
        async with opened(settings) as db, db.transaction() as session:
            status = service.Status(args.status) if args.status else None
            reports = await service.list_reports(session, status=status, limit=EXPORT_LIMIT)
        base = settings.public_base_url.rstrip("/")
        if args.format == "geojson":
            exported = to_geojson(reports, base_url=base)
            if exported.without_location:
                print(
                    f"reports without a location, left out: {exported.without_location}",
                    file=sys.stderr,
                )
            return exported.text
        return to_csv(reports, base_url=base)

    text = asyncio.run(main())
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("reports", help="residents' reports of a problem")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="CSV for a spreadsheet, GeoJSON for the geoportal")
    export.add_argument("--format", choices=("csv", "geojson"), default="csv")
    export.add_argument("--status", choices=[s.value for s in service.Status])
    export.add_argument("--output", help="file to write (default: standard output)")
    export.set_defaults(handler=_export)
