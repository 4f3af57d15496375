"""The services feature's operator actions that the console and the CLI share."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass
class ServicesImport:
    problems: list[str]
    summary: str = ""
    changed: bool = False


class _DryRun(Exception):
    """Leaving the transaction by an exception rolls back what the dry run wrote."""


async def import_services(
    db: Database, filename: str, content: bytes, *, dry_run: bool
) -> ServicesImport:
    """Validate an uploaded catalogue (.yaml/.yml or .csv) and import it, all or nothing,
    in its own transaction; every problem names its line."""
    from bot.core.contentkit import ContentInvalid
    from dialogs.services.catalogue import import_into, parse_bytes_in_thread

    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:120] or "upload"
    try:
        catalogue = await parse_bytes_in_thread(content, name)
        async with db.transaction() as session:
            report = await import_into(session, catalogue)
            if dry_run:
                raise _DryRun(report.summary())
    except ContentInvalid as invalid:
        return ServicesImport([str(p) for p in invalid.problems])
    except _DryRun as dry:
        return ServicesImport([], str(dry), changed=False)
    return ServicesImport([], report.summary(), report.changed)
