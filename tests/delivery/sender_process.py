"""One delivery sender as its own process, sending through the HTTP test adapter to a fake
platform: the crash test kills it with SIGKILL, the multi-instance test runs two, the
benchmark measures it. SIGTERM stops it the way the service stops; `--until-idle` makes it
stop by itself once nothing is left to send. On exit it prints its statistics as JSON.

    python -m tests.delivery.sender_process --db URL --platform URL [--rate 400] ...
    python -m tests.delivery.sender_process --adapter telegram --platform FAKE_BOT_API_URL ...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import func, select

from bot import metrics
from bot.app import Svoi, settle_heap
from bot.config import Settings
from bot.core.ports import ChannelAdapter
from bot.delivery.limits import ScaledClock
from bot.delivery.sender import SenderConfig
from bot.delivery.service import DeliveryService
from storage.models import OutboxMessage
from tests.delivery.http_adapter import FakePlatformAdapter


async def _left(svoi: Svoi) -> int:
    async with svoi.db.transaction() as session:
        result = await session.execute(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(("pending", "sending")))
        )
        return int(result.scalar_one())


async def run(args: argparse.Namespace) -> dict[str, object]:
    adapter: ChannelAdapter
    close: Callable[[], Awaitable[None]]
    if args.adapter == "telegram":
        # Imported only here: aiogram's Bot API models take ~110 MiB, which the thin
        # adapter's runs should not count in the sender's peak memory.
        from bot.channels.telegram import TelegramChannel
        from tests.support.telegram import telegram_settings

        # The real Telegram channel (aiogram) against the fake Bot API at `--platform`.
        svoi = Svoi.create(telegram_settings(args.db, args.platform))
        telegram = TelegramChannel(
            svoi, web.Application(), request_timeout=args.read_timeout, sweep_interval=None
        )
        adapter, close = telegram, telegram.bot.session.close
        args.channel = adapter.name
    else:
        settings = Settings(database_url=args.db, _env_file=None)  # type: ignore[call-arg]
        svoi = Svoi.create(settings)
        fake = FakePlatformAdapter(
            args.platform, name=args.channel, read_timeout=args.read_timeout, tag=args.tag
        )
        adapter, close = fake, fake.close
    svoi.add_channel(adapter)
    config = SenderConfig(
        rate_per_second=args.rate,
        chat_interval=args.chat_interval,
        concurrency=args.concurrency,
        lease_seconds=args.lease,
        poll_interval=0.05,
        flush_interval=0.02,
        election_retry=args.election_retry,
        election_check=args.election_check,
        election_timeout=args.election_timeout,
    )
    clock = ScaledClock(args.scale) if args.scale != 1 else None
    service = DeliveryService(svoi, configs={args.channel: config}, clock=clock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    started = time.monotonic()
    await service.start()
    settle_heap()  # as the service does once started
    print("ready", flush=True)
    while not stop.is_set():
        if args.until_idle and await _left(svoi) == 0:
            break
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.5)
        except TimeoutError:
            continue
    sender = service.senders[args.channel]
    elected = sender.state != "standby"
    await service.stop()
    await close()
    await svoi.close()
    return {
        "tag": args.tag,
        "elected": elected,
        "stats": dict(sender.stats),
        "seconds": time.monotonic() - started,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        # What this instance's /metrics would show (svoi_* families only).
        "metrics": "\n".join(
            line for line in metrics.exposition().decode().splitlines() if line.startswith("svoi_")
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--platform", required=True)
    parser.add_argument("--channel", default="fake")
    parser.add_argument("--adapter", choices=("fake", "telegram"), default="fake")
    parser.add_argument("--tag", default="")
    parser.add_argument("--rate", type=float, default=400.0)
    parser.add_argument("--chat-interval", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--lease", type=float, default=2.0)
    parser.add_argument("--read-timeout", type=float, default=5.0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--until-idle", action="store_true")
    parser.add_argument("--election-retry", type=float, default=0.2)
    parser.add_argument("--election-check", type=float, default=0.5)
    parser.add_argument("--election-timeout", type=float, default=2.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))), flush=True)


if __name__ == "__main__":
    main()
