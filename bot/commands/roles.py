"""`python -m bot roles grant|revoke|list` and `python -m bot audit export`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

from bot.commands import opened
from bot.config import Settings
from storage import csvsafe
from storage.models.access import ROLES
from storage.repos.access import AuditRepo, RoleRepo

if TYPE_CHECKING:
    from bot.commands import SubParsers

CLI_ACTOR = "cli"


def _address(value: str) -> tuple[str, str]:
    channel, sep, user_id = value.partition(":")
    if not sep or not channel or not user_id:
        raise argparse.ArgumentTypeError(f"{value!r} is not channel:user_id")
    return channel.lower(), user_id


def _roles(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> int:
        async with opened(settings) as db:
            async with db.transaction() as session:
                roles, audit = RoleRepo(session), AuditRepo(session)
                if args.action == "grant":
                    channel, user_id = args.address
                    await roles.grant(channel, user_id, args.role, granted_by=CLI_ACTOR)
                    audit.write(
                        CLI_ACTOR,
                        "admin",
                        "roles-grant",
                        f"{channel}:{user_id}",
                        role_granted=args.role,
                    )
                    print(f"granted {args.role} to {channel}:{user_id}")
                elif args.action == "revoke":
                    channel, user_id = args.address
                    if not await roles.revoke(channel, user_id):
                        print(f"{channel}:{user_id} has no stored role", file=sys.stderr)
                        return 1
                    audit.write(CLI_ACTOR, "admin", "roles-revoke", f"{channel}:{user_id}")
                    print(f"revoked the role of {channel}:{user_id}")
                else:
                    # Tab-separated, so pasted into a spreadsheet it splits into cells: the
                    # same rule as the CSV exports (storage/csvsafe.py).
                    # Through the csv writer, so a tab or line break inside a field is
                    # quoted instead of starting a new cell or row.
                    table = csvsafe.Writer(sys.stdout, delimiter="\t", lineterminator="\n")
                    for row in await roles.all():
                        table.writerow(
                            (
                                f"{row.channel}:{row.user_id}",
                                row.role,
                                f"{row.granted_at:%Y-%m-%d %H:%M}",
                                row.granted_by,
                            )
                        )
            return 0

    return asyncio.run(main())


def _audit(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> int:
        async with opened(settings) as db:
            async with db.transaction() as session:
                entries = await AuditRepo(session).since()
                rows = [
                    {
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "role": e.role,
                        "action": e.action,
                        "target": e.target,
                        "outcome": e.outcome,
                        "details": json.dumps(e.details, ensure_ascii=False),
                    }
                    for e in entries
                ]
            if args.format == "json":
                json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
                print()
            else:
                fields = ["at", "actor", "role", "action", "target", "outcome", "details"]
                writer = csvsafe.DictWriter(sys.stdout, fieldnames=fields)
                writer.writeheader()
                writer.writerows(rows)
            return 0

    return asyncio.run(main())


def register(subparsers: SubParsers) -> None:
    roles = subparsers.add_parser("roles", help="grant, revoke and list operator roles")
    actions = roles.add_subparsers(dest="action", required=True, metavar="ACTION")
    grant = actions.add_parser("grant", help="grant a role: roles grant telegram:123 operator")
    grant.add_argument("address", type=_address, help="channel:user_id")
    grant.add_argument("role", choices=ROLES)
    revoke = actions.add_parser("revoke", help="revoke a role: roles revoke telegram:123")
    revoke.add_argument("address", type=_address, help="channel:user_id")
    actions.add_parser("list", help="list stored roles")
    roles.set_defaults(handler=_roles)

    audit = subparsers.add_parser("audit", help="export the audit log of operator actions")
    audit_actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = audit_actions.add_parser("export", help="write the audit log to stdout")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    audit.set_defaults(handler=_audit)
