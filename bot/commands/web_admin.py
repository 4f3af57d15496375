"""`python -m bot roles set-password channel:user_id`: a password for the operator console.

The password is read twice from the terminal without echo (or once from standard input when
it is not a terminal, e.g. `printf '%s' "$PASSWORD" | python -m bot roles set-password …`),
hashed with argon2id and stored on the account's role; the account's open console sessions
end. The account needs a role: a stored one (`roles grant`) or one from OPERATORS/ADMINS.

It adds an action to the `roles` command that bot/commands/roles.py defines (modules register
in name order, so `roles` exists by the time this one runs).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TYPE_CHECKING

from bot.commands import opened
from bot.config import Settings
from storage.repos.access import AuditRepo

if TYPE_CHECKING:
    from bot.commands import SubParsers

CLI_ACTOR = "cli"


def _address(value: str) -> tuple[str, str]:
    from bot.channels.web.admin.auth import parse_account

    parsed = parse_account(_lower_channel(value))
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not channel:user_id")
    return parsed


def _lower_channel(value: str) -> str:
    channel, _, user_id = value.partition(":")
    return f"{channel.lower()}:{user_id}"


def _read_password() -> str | None:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New console password: ")
    second = getpass.getpass("Repeat it: ")
    if first != second:
        print("svoi: the passwords differ; nothing was changed", file=sys.stderr)
        return None
    return first


def set_password(args: argparse.Namespace, settings: Settings) -> int:
    from bot.channels.web.admin.auth import set_password as store

    password = _read_password()
    if password is None:
        return 1
    channel, user_id = args.address

    async def main() -> int:
        try:
            async with opened(settings) as db, db.transaction() as session:
                role = await store(session, settings, channel, user_id, password)
                AuditRepo(session).write(
                    CLI_ACTOR, "admin", "web-set-password", f"{channel}:{user_id}"
                )
        except ValueError as exc:
            print(f"svoi: {exc}", file=sys.stderr)
            return 2
        except LookupError as exc:
            print(f"svoi: {exc.args[0]} (python -m bot roles grant ADDRESS ROLE)", file=sys.stderr)
            return 1
        print(f"console password set for {channel}:{user_id} ({role})")
        return 0

    return asyncio.run(main())


def register(subparsers: SubParsers) -> None:
    roles = subparsers.choices.get("roles")
    if roles is None:
        return
    actions = next(
        action
        for action in roles._actions  # argparse keeps sub-commands only here
        if isinstance(action, argparse._SubParsersAction)
    )
    parser = actions.add_parser(
        "set-password", help="set the operator console password: roles set-password telegram:123"
    )
    parser.add_argument("address", type=_address, help="channel:user_id")
    parser.set_defaults(handler=set_password)
