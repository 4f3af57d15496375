"""`python -m bot content import [FILE]` and `python -m bot content export FILE`: the action
plan's content (commitments, goals, timeline, polls) as a versioned data file.

Import validates the whole file first and reports every error with its file and line; a
file with errors changes nothing. Importing the same file again changes nothing either.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.commands import opened
from bot.config import Settings
from bot.core.contentkit import ContentInvalid
from dialogs.plan.content import (
    DEFAULT_FILE,
    dump,
    export_plan,
    import_plan,
    read_file_in_thread,
)
from storage.db import Database

if TYPE_CHECKING:
    from bot.commands import SubParsers


async def import_file(
    db: Database, path: Path, *, dry_run: bool = False, out: TextIO | None = None
) -> int:
    """Validate and import; prints the errors (to `out`) or what changed. Exit code."""
    out = out or sys.stdout
    try:
        content = await read_file_in_thread(path)
        async with db.transaction() as session:
            report = await import_plan(session, content)
            if dry_run:
                # Leaving by an exception rolls the transaction back: nothing is written.
                raise _DryRun(report.summary())
    except ContentInvalid as invalid:
        for error in invalid.problems:
            print(str(error), file=out)
        print(f"{len(invalid.problems)} error(s); nothing was changed.", file=out)
        return 1
    except _DryRun as dry:
        print(f"{path}: valid; would change: {dry}", file=out)
        return 0
    print(f"{path}: imported; {report.summary()}", file=out)
    return 0


class _DryRun(Exception):
    pass


async def export_text(db: Database) -> str:
    async with db.transaction() as session:
        return dump(await export_plan(session))


def _write(target: str, text: str) -> None:
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")
        print(f"exported the plan to {target}")


def _run(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> int:
        async with opened(settings) as db:
            if args.action == "import":
                return await import_file(db, Path(args.file), dry_run=args.dry_run)
            _write(args.file, await export_text(db))
            return 0

    return asyncio.run(main())


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "content", help="import or export the action plan content (docs/plan-content.md)"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = actions.add_parser("import", help="validate and import a plan file (idempotent)")
    imp.add_argument(
        "file", nargs="?", default=str(DEFAULT_FILE), help="default: content/plan.yaml"
    )
    imp.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    imp.set_defaults(handler=_run)
    exp = actions.add_parser("export", help="write the plan as it is in the database")
    exp.add_argument("file", help="target file, or - for standard output")
    exp.set_defaults(handler=_run)
