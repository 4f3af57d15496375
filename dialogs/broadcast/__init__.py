"""Operator broadcasts, the first feature package (docs/architecture.md, "Feature packages").

  service.py   the ONLY implementation of the broadcast actions: check a draft and a time,
               count the audience, send now or schedule, cancel, report, audit
  flow.py      the chat's screens (`/broadcast`, the `g:bc:` actions) over the service

The console's broadcast pages (bot/channels/web/admin) and `python -m bot broadcast`
(bot/commands/broadcast.py) call the same service; the messages themselves are built, sent
and reported by `bot.delivery.broadcasts`.
"""

from bot.core.features import Feature
from dialogs.broadcast.flow import FLOW, register
from dialogs.broadcast.service import parse_when

FEATURE = Feature("broadcast", register)

__all__ = ["FEATURE", "FLOW", "parse_when", "register"]
