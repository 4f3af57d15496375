"""`python -m bot broadcast …`: operator broadcasts from the command line.

    broadcast send --text "…" [--link "Label | https://…"] [--audience everyone |
                   language:uk | followers:<commitment code> | zone:<zone code>]
                   [--urgent] [--at "2026-12-01 10:00"] [--channels telegram,viber] [--dry-run]
    broadcast status <id>      progress: sent / blocked / failed / waiting
    broadcast cancel <id>      skip the messages still waiting
    broadcast list             the latest broadcasts

The messages go out through the running service's senders (`python -m bot run`); the CLI
only writes the broadcast and its outbox rows, exactly as the chat dialog does.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from bot.commands import opened
from bot.config import Settings
from bot.delivery import broadcasts
from bot.delivery.broadcasts import Audience, AudienceUnavailable, Draft, DraftError
from storage import clock
from storage.models.delivery import DeliveryBroadcast

if TYPE_CHECKING:
    from bot.commands import SubParsers


def _channels(args: argparse.Namespace, settings: Settings) -> list[str]:
    if args.channels:
        return [c.strip() for c in args.channels.split(",") if c.strip()]
    enabled = []
    if settings.telegram.enabled:
        enabled.append("telegram")
    if settings.viber.enabled:
        enabled.append("viber")
    return enabled


def _audience(value: str) -> Audience:
    kind, _, arg = value.partition(":")
    if kind not in broadcasts.AUDIENCES or (kind != broadcasts.EVERYONE and not arg):
        raise ValueError(f"unknown audience {value!r}")
    return Audience(kind, arg or None)


def _when(value: str | None, settings: Settings) -> datetime | None:
    if not value:
        return None
    local = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
    return local.replace(tzinfo=settings.zone)


def _draft(args: argparse.Namespace) -> Draft:
    try:
        text = broadcasts.checked_text(args.text or "")
    except DraftError as exc:
        if exc.code == "empty":
            raise ValueError("the text is empty") from None
        length = len((args.text or "").strip())
        limit = broadcasts.TEXT_LIMIT
        raise ValueError(f"the text has {length} characters; the limit is {limit}") from None
    label = url = None
    if args.link:
        try:
            label, url = broadcasts.parse_link(args.link)
        except DraftError:
            raise ValueError(
                f'--link must be "Label | https://…" with a label of up to '
                f"{broadcasts.LABEL_LIMIT} characters"
            ) from None
    return Draft(text, _audience(args.audience), label, url, args.urgent)


def describe(broadcast: DeliveryBroadcast, progress: broadcasts.Progress) -> str:
    return (
        f"broadcast #{broadcast.id}: {broadcast.status} · audience {broadcast.audience}"
        f"{':' + broadcast.audience_value if broadcast.audience_value else ''} · "
        f"sent {progress.sent}/{progress.total} · blocked {progress.blocked} · "
        f"failed {progress.failed} · waiting {progress.waiting} · "
        f"skipped {progress.other_skipped}"
    )


async def send(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    try:
        draft = _draft(args)
        when = _when(args.at, settings)
    except ValueError as exc:
        print(f"svoi: {exc}", file=out)
        return 2
    if when is not None and when <= clock.now():
        print("svoi: --at must be in the future", file=out)
        return 2
    channels = _channels(args, settings)
    if not channels:
        print("svoi: no channel is configured; pass --channels", file=out)
        return 2
    async with opened(settings) as db:
        async with db.transaction() as session:
            try:
                counts = await broadcasts.count_by_channel(session, draft.audience, channels)
            except AudienceUnavailable as exc:
                print(f"svoi: audience not available here: {exc}", file=out)
                return 2
            total = sum(counts.values())
            per_channel = ", ".join(f"{c}: {n}" for c, n in sorted(counts.items())) or "none"
            cost = broadcasts.viber_cost(counts, settings.delivery_viber_price)
            print(f"recipients: {total} ({per_channel})", file=out)
            if counts.get("viber"):
                print(
                    f"Viber cost estimate: {cost:.2f} {settings.delivery_viber_currency}",
                    file=out,
                )
            if args.dry_run:
                print("dry run: nothing was queued", file=out)
                return 0
            broadcast = await broadcasts.create(session, draft, author=None, scheduled_at=when)
            if when is None:
                queued = await broadcasts.start(session, broadcast.id, channels)
                print(f"broadcast #{broadcast.id} queued for {queued} recipients", file=out)
            else:
                print(f"broadcast #{broadcast.id} scheduled for {when.isoformat()}", file=out)
        return 0


async def status(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with opened(settings) as db:
        async with db.transaction() as session:
            broadcast = await session.get(DeliveryBroadcast, args.id)
            if broadcast is None:
                print(f"svoi: broadcast #{args.id} does not exist", file=out)
                return 1
            print(describe(broadcast, await broadcasts.progress(session, args.id)), file=out)
        return 0


async def cancel(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with opened(settings) as db:
        async with db.transaction() as session:
            if not await broadcasts.cancel(session, args.id):
                print(f"svoi: broadcast #{args.id} is finished or does not exist", file=out)
                return 1
            print(f"broadcast #{args.id} cancelled", file=out)
        return 0


async def listing(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with opened(settings) as db:
        async with db.transaction() as session:
            for broadcast in await broadcasts.recent(session, args.limit):
                progress = await broadcasts.progress(session, broadcast.id)
                print(describe(broadcast, progress), file=out)
        return 0


Action = Callable[[argparse.Namespace, Settings, TextIO], Coroutine[Any, Any, int]]


def _handler(fn: Action) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(fn(args, settings, sys.stdout))

    return run


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("broadcast", help="send, follow and cancel broadcasts")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    send_parser = actions.add_parser("send", help="queue or schedule a broadcast")
    send_parser.add_argument("--text", required=True, help="the message, as residents see it")
    send_parser.add_argument("--link", help='a link button: "Label | https://…"')
    send_parser.add_argument(
        "--audience",
        default="everyone",
        help="everyone | language:uk | followers:<commitment code> | zone:<zone code>",
    )
    send_parser.add_argument("--urgent", action="store_true", help="ignore quiet hours")
    send_parser.add_argument("--at", help='send later, city time: "YYYY-MM-DD HH:MM"')
    send_parser.add_argument("--channels", help="comma-separated (default: configured ones)")
    send_parser.add_argument("--dry-run", action="store_true", help="count only")
    send_parser.set_defaults(handler=_handler(send))

    status_parser = actions.add_parser("status", help="progress of one broadcast")
    status_parser.add_argument("id", type=int)
    status_parser.set_defaults(handler=_handler(status))

    cancel_parser = actions.add_parser("cancel", help="cancel a scheduled or running broadcast")
    cancel_parser.add_argument("id", type=int)
    cancel_parser.set_defaults(handler=_handler(cancel))

    list_parser = actions.add_parser("list", help="the latest broadcasts")
    list_parser.add_argument("--limit", type=int, default=10)
    list_parser.set_defaults(handler=_handler(listing))
