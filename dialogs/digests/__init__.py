"""Digests: a daily or weekly message instead of notifications as they happen
(docs/digests.md).

  service.py   the ONLY implementation of choosing a digest, collecting a notification for
               it and composing and enqueuing the digests that are due (the scheduler's
               `digests` job)
  flow.py      the chat's screens (Settings → «Digests»)
  payloads.py  the flow's typed payloads and state

The outbox (bot/delivery/outbox.py) collects a chosen category's notifications that are not
urgent instead of queuing them; the tables are storage/models/digests.py.
"""

from bot.core.features import Feature
from dialogs.digests.flow import FLOW, register

FEATURE = Feature("digests", register)

__all__ = ["FEATURE", "FLOW", "register"]
