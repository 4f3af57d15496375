"""`python -m bot`: run the service, chat locally, migrate, and the operators' commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence

from bot.commands import register_all
from bot.config import Settings, load_settings_or_exit
from bot.logs import setup_logging
from storage import clock

CommandFn = Callable[[argparse.Namespace, Settings], int]


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import serve

    asyncio.run(serve(settings))
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import Svoi
    from bot.channels.console import chat

    async def main() -> None:
        svoi = Svoi.create(settings)
        try:
            await svoi.prepare_database()
            await chat(svoi.engine, args.user)
        finally:
            await svoi.close()

    asyncio.run(main())
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from storage import migrate
    from storage.db import Database

    async def main() -> None:
        db = Database(settings.database_url)
        try:
            if args.action == "upgrade":
                await migrate.upgrade(db, args.revision or "heads")
            elif args.action == "downgrade":
                await migrate.downgrade(db, args.revision or "-1")
            current = await migrate.current_revisions(db)
            heads = migrate.head_revisions()
            state = "at head" if current == heads else f"head is {', '.join(sorted(heads))}"
            print(f"database revision: {', '.join(sorted(current)) or 'empty'} ({state})")
        finally:
            await db.dispose()

    asyncio.run(main())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Svoi — the citizen-engagement chatbot of Khmelnytskyi.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the service (HTTP, webhooks, senders, scheduler)")
    run.set_defaults(handler=_run)

    chat = sub.add_parser("chat", help="chat with Svoi in this terminal (no tokens needed)")
    chat.add_argument("--user", default="local", help="console user id (default: local)")
    chat.set_defaults(handler=_chat)

    mig = sub.add_parser("migrate", help="apply or roll back database migrations")
    mig.add_argument(
        "action", nargs="?", default="upgrade", choices=("upgrade", "downgrade", "current")
    )
    mig.add_argument("revision", nargs="?", help="target revision (default: head / -1)")
    mig.set_defaults(handler=_migrate)

    register_all(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = load_settings_or_exit()
    clock.set_city_zone(settings.zone)
    setup_logging(settings.log_level, settings.log_format)
    handler: CommandFn = args.handler
    return handler(args, settings)


if __name__ == "__main__":
    sys.exit(main())
