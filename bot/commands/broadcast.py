"""`python -m bot broadcast …`: operator broadcasts from the command line.

    broadcast send --text "…" [--link "Label | https://…"] [--audience everyone |
                   language:uk | followers:<commitment code> | zone:<zone code>]
                   [--urgent] [--at "2026-12-01 10:00"] [--channels telegram,viber] [--dry-run]
    broadcast status <id>      progress: sent / blocked / failed / waiting, and how many
                               may have been received twice after a sender crashed
    broadcast cancel <id>      skip the messages still waiting
    broadcast list             the latest broadcasts

A command-line front end over `dialogs.broadcast.service`, the same checks, counting,
sending and audit (actor `cli`) as the chat and the console. `--at` takes the times the chat
does (`service.WHEN_FORMATS`, city time). The messages go out through the running service's
senders (`python -m bot run`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TextIO

from bot.commands import opened
from bot.config import Settings
from dialogs.broadcast import service
from dialogs.broadcast.service import Audience, Draft, Refused, Report
from storage import clock

if TYPE_CHECKING:
    from bot.commands import SubParsers

CLI = service.Actor("cli", "admin")  # as the other commands audit; no chat gets a report
MESSAGES = {
    "empty": "the text is empty",
    "too-long": "the text has {length} characters; the limit is {limit}",
    "link": '--link must be "Label | https://…" with a label of up to {limit} characters',
    "audience": "unknown audience {given!r}",
    "audience-unavailable": "audience not available here: {detail}",
    "when-invalid": "--at must be one of {formats} (city time)",
    "when-range": "--at must be in the future, at most {days} days ahead",
}


def _channels(args: argparse.Namespace, settings: Settings) -> list[str]:
    if args.channels:
        return [c.strip() for c in args.channels.split(",") if c.strip()]
    enabled = []
    if settings.telegram.enabled:
        enabled.append("telegram")
    if settings.viber.enabled:
        enabled.append("viber")
    return enabled


def _refusal(refused: Refused, args: argparse.Namespace) -> str:
    return "svoi: " + MESSAGES[refused.code].format(given=args.audience, **refused.args_)


def _draft(args: argparse.Namespace) -> Draft:
    """`--audience kind:value`, `--text` and `--link` as the service checks them."""
    kind, _, value = args.audience.partition(":")
    return service.draft(args.text or "", Audience(kind, value or None), args.link, args.urgent)


def describe(report: Report) -> str:
    broadcast, progress = report.broadcast, report.progress
    return (
        f"broadcast #{broadcast.id}: {broadcast.status} · audience {broadcast.audience}"
        f"{':' + broadcast.audience_value if broadcast.audience_value else ''} · "
        f"sent {progress.sent}/{progress.total} · blocked {progress.blocked} · "
        f"failed {progress.failed} · waiting {progress.waiting} · "
        f"skipped {progress.other_skipped}"
        + (
            f" · up to {progress.doubled} may have been received twice (a sender stopped "
            "mid-send and its messages were sent again)"
            if progress.doubled
            else ""
        )
    )


async def send(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    now = clock.now()
    try:
        draft = _draft(args)
        when = service.scheduled(args.at, now, settings.zone) if args.at else None
    except Refused as refused:
        print(_refusal(refused, args), file=out)
        return 2
    channels = _channels(args, settings)
    if not channels:
        print("svoi: no channel is configured; pass --channels", file=out)
        return 2
    async with opened(settings) as db:
        async with db.transaction() as session:
            try:
                estimate = await service.estimate(
                    session,
                    draft.audience,
                    channels,
                    settings.delivery_viber_price,
                    settings.delivery_viber_currency,
                )
                per_channel = ", ".join(f"{c}: {n}" for c, n in sorted(estimate.counts.items()))
                print(f"recipients: {estimate.total} ({per_channel or 'none'})", file=out)
                if estimate.counts.get("viber"):
                    cost = f"{estimate.viber_cost:.2f} {estimate.currency}"
                    print(f"Viber cost estimate: {cost}", file=out)
                if args.dry_run:
                    print("dry run: nothing was queued", file=out)
                    return 0
                sent = await service.send(
                    session, draft, actor=CLI, channels=channels, when=when, now=now
                )
            except Refused as refused:
                print(_refusal(refused, args), file=out)
                return 2
            if when is None:
                print(
                    f"broadcast #{sent.broadcast.id} queued for {sent.queued} recipients", file=out
                )
            else:
                print(f"broadcast #{sent.broadcast.id} scheduled for {when.isoformat()}", file=out)
        return 0


async def status(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with opened(settings) as db:
        async with db.transaction() as session:
            report = await service.report(session, args.id)
            if report is None:
                print(f"svoi: broadcast #{args.id} does not exist", file=out)
                return 1
            print(describe(report), file=out)
        return 0


async def cancel(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with opened(settings) as db:
        async with db.transaction() as session:
            if not await service.cancel(session, args.id, actor=CLI):
                print(f"svoi: broadcast #{args.id} is finished or does not exist", file=out)
                return 1
            print(f"broadcast #{args.id} cancelled", file=out)
        return 0


async def listing(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with opened(settings) as db:
        async with db.transaction() as session:
            for report in await service.recent(session, args.limit):
                print(describe(report), file=out)
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
    send_parser.add_argument(
        "--at", help='send later, city time: "YYYY-MM-DD HH:MM", "DD.MM.YYYY HH:MM" or "HH:MM"'
    )
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
