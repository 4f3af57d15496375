"""`python -m bot services import|export|questions`: the city's staff maintain the catalogue.

import FILE     validate a .yaml/.yml (whole catalogue) or .csv (services) file and make
                the database equal to it; every problem is printed with its line
                and nothing is changed unless the whole file is valid
export FILE     write the catalogue as .yaml/.yml (everything) or .csv (services)
questions       residents' questions to the council, as CSV on standard output
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import opened
from bot.config import Settings
from storage import csvsafe

if TYPE_CHECKING:
    from bot.commands import SubParsers


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.contentkit import ContentInvalid
    from dialogs.services.catalogue import import_catalogue

    async def main() -> int:
        try:
            async with opened(settings) as db:
                report = await import_catalogue(db, Path(args.file))
        except ContentInvalid as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            count = len(exc.problems)
            print(
                f"services import: {count} problem{'s' if count != 1 else ''}; nothing was changed",
                file=sys.stderr,
            )
            return 1
        state = "imported" if report.changed else "already up to date"
        print(f"services import: {state} ({report.summary()})")
        return 0

    return asyncio.run(main())


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.contentkit import ContentInvalid
    from dialogs.services.catalogue import export_catalogue

    path = Path(args.file)

    async def main() -> tuple[str, int]:
        async with opened(settings) as db:
            return await export_catalogue(db, path.suffix)

    try:
        text, count = asyncio.run(main())
    except ContentInvalid as exc:
        for problem in exc.problems:
            print(f"services export: {problem}", file=sys.stderr)
        return 1
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        print(f"services export: cannot write {path}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"services export: {count} services written to {path}")
    return 0


def _questions(args: argparse.Namespace, settings: Settings) -> int:
    from storage.repos.services import ServiceRepo

    async def main() -> list[list[str]]:
        async with opened(settings) as db, db.transaction() as session:
            rows = await ServiceRepo(session).questions(args.limit)
            return [
                [
                    str(q.id),
                    q.created_at.isoformat(timespec="seconds"),
                    q.status,
                    q.service_code or "",
                    q.search_query,
                    q.text,
                ]
                for q in rows
            ]

    writer = csvsafe.Writer(sys.stdout)
    writer.writerow(["id", "created_at", "status", "service", "search_query", "question"])
    writer.writerows(asyncio.run(main()))
    return 0


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("services", help="import/export the city services catalogue")
    actions = parser.add_subparsers(dest="services_action", required=True, metavar="ACTION")
    imp = actions.add_parser("import", help="import a catalogue file (.yaml/.yml or .csv)")
    imp.add_argument("file")
    imp.set_defaults(handler=_import)
    exp = actions.add_parser("export", help="export the catalogue (.yaml/.yml or .csv)")
    exp.add_argument("file")
    exp.set_defaults(handler=_export)
    questions = actions.add_parser("questions", help="residents' questions, as CSV")
    questions.add_argument("--limit", type=int, default=1000)
    questions.set_defaults(handler=_questions)
