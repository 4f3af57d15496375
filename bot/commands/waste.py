"""`python -m bot waste …`: import and export waste content, and operators' exceptions.

waste import FILE [--zone Z --type T] [--example] [--dry-run]
    .yaml (everything), .csv (streets, rules, exceptions or Ecobus stops, by header),
    .ics (collection dates of one zone and type). Validated, all or nothing,
    idempotent; every problem is printed with its place.
waste export FILE [--kind streets|rules|exceptions|ecobus] [--zone Z]
    .yaml, .csv (one kind) or .ics (one zone's collections for a year).
waste exception add --zone Z --type T --date D (--moved-to D | --cancel) --reason TEXT
    moves or cancels a collection day and notifies the affected subscribers.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import opened
from bot.config import Settings
from bot.core.actions import CLI, Refused
from bot.core.contentkit import Problem
from bot.core.i18n import I18n, localized
from dialogs.waste import content, schedule
from dialogs.waste.config import WasteSettings
from dialogs.waste.service import TypeNames, ZoneSchedules, change_collection
from storage import clock
from storage.repos.waste import WasteRepo

if TYPE_CHECKING:
    from bot.commands import SubParsers


def register(subparsers: SubParsers) -> None:
    waste = subparsers.add_parser("waste", help="waste collection content and schedule changes")
    sub = waste.add_subparsers(dest="waste_command", required=True, metavar="ACTION")

    imp = sub.add_parser("import", help="import .yaml, .csv or .ics content")
    imp.add_argument("file", type=Path)
    imp.add_argument("--zone", help="zone code for an .ics file")
    imp.add_argument("--type", dest="waste_type", help="waste type code for an .ics file")
    imp.add_argument("--example", action="store_true", help="mark imported .ics dates as example")
    imp.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    imp.set_defaults(handler=import_command)

    exp = sub.add_parser("export", help="export to .yaml, .csv or .ics")
    exp.add_argument("file", type=Path)
    exp.add_argument("--kind", choices=content.CSV_KINDS, help="what a .csv file holds")
    exp.add_argument("--zone", help="zone code for an .ics file")
    exp.set_defaults(handler=export_command)

    exc = sub.add_parser("exception", help="schedule exceptions")
    exc_sub = exc.add_subparsers(dest="exception_command", required=True, metavar="ACTION")
    add = exc_sub.add_parser("add", help="move or cancel one collection day and notify")
    add.add_argument("--zone", required=True)
    add.add_argument("--type", dest="waste_type", required=True)
    add.add_argument("--date", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    target = add.add_mutually_exclusive_group(required=True)
    target.add_argument("--moved-to", type=date.fromisoformat, help="YYYY-MM-DD")
    target.add_argument("--cancel", action="store_true")
    add.add_argument("--reason", required=True, help="reason in Ukrainian")
    add.add_argument("--reason-en", default="", help="reason in English")
    add.set_defaults(handler=exception_command)


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    problems: list[Problem] = []
    try:
        doc = content.read_file(
            args.file, zone=args.zone, waste_type=args.waste_type, example=args.example
        )
    except content.ContentError as exc:
        if exc.partial is None:
            return _problems(exc.problems)
        problems, doc = exc.problems, exc.partial

    async def main() -> int:
        async with opened(settings) as db, db.transaction() as session:
            try:
                report = await content.apply(session, doc)
            except content.ContentError as exc:
                problems.extend(exc.problems)
            if problems or args.dry_run:
                # Nothing is kept unless the whole file is valid.
                await session.rollback()
        if problems:
            return _problems(problems)
        verb = "would change" if args.dry_run else "imported"
        print(f"{args.file.name}: {verb}: {report.totals()}")
        return 0

    return asyncio.run(main())


def _problems(problems: list[Problem]) -> int:
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was imported", file=sys.stderr)
    return 1


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    suffix = args.file.suffix.lower()
    if suffix == ".csv" and args.kind is None:
        print("error: a .csv export needs --kind", file=sys.stderr)
        return 2
    if suffix == ".ics" and not args.zone:
        print("error: an .ics export needs --zone", file=sys.stderr)
        return 2
    if suffix not in (".csv", ".ics", ".yaml", ".yml"):
        print("error: export to .yaml, .csv or .ics", file=sys.stderr)
        return 2

    async def main() -> int:
        async with opened(settings) as db, db.transaction() as session:
            if suffix == ".ics":
                repo = WasteRepo(session)
                zone = await repo.zone_by_code(args.zone)
                if zone is None:
                    print(f"error: unknown zone {args.zone!r}", file=sys.stderr)
                    return 1
                schedules = await ZoneSchedules.load(repo, zone.id)
                names = await TypeNames.load(repo)
                body = content.zone_ics(
                    zone,
                    schedules.rules.get(zone.id, []),
                    [
                        schedule.ExceptionSpec(
                            e.waste_type, e.original_date, e.moved_to, localized(e.reason, "uk")
                        )
                        for e in schedules.exceptions.get(zone.id, [])
                    ],
                    {code: names.name(code, "uk") for code in names.order},
                    schedule.local_today(clock.now()),
                    WasteSettings().calendar_months,
                )
                args.file.write_bytes(body)
            else:
                data = await content.export_data(session)
                text = (
                    content.export_csv(data, args.kind)
                    if suffix == ".csv"
                    else content.export_yaml(data)
                )
                args.file.write_text(text, encoding="utf-8")
        print(f"exported to {args.file}")
        return 0

    return asyncio.run(main())


def exception_command(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> int:
        i18n = I18n(settings.default_locale, settings.zone)
        async with opened(settings) as db, db.transaction() as session:
            zone = await WasteRepo(session).zone_by_code(args.zone)
            if zone is None:
                print(f"error: --zone: unknown zone {args.zone!r}", file=sys.stderr)
                return 1
            try:
                notices = await change_collection(
                    session,
                    i18n,
                    zone_code=zone.code,
                    waste_type=args.waste_type,
                    original=args.date,
                    moved_to=None if args.cancel else args.moved_to,
                    reason_uk=args.reason,
                    reason_en=args.reason_en,
                    actor=CLI,
                    now=clock.now(),
                )
            except Refused as refused:
                print(f"error: {i18n.t('en', refused.key, refused.args_)}", file=sys.stderr)
                return 1
        print(f"exception saved; {notices} change notice(s) enqueued")
        return 0

    return asyncio.run(main())
