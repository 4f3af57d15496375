"""Linking channels: one person across Telegram, Viber and the web chat (docs/linking.md).

  service.py   the ONLY implementation of issuing a code, linking (merging two profiles),
               unlinking and choosing where notifications go
  flow.py      the chat's screens (Settings → «Connect another messenger»), `/link`, the
               `link-CODE` deep links and a code typed anywhere
  payloads.py  the flow's typed payloads and state

The profile's rows move between residents in storage/repos/linking.py, which the engine
also calls at the start of a linked resident's turn.
"""

from bot.core.features import Feature
from dialogs.linking.flow import FLOW, register

FEATURE = Feature("linking", register)

__all__ = ["FEATURE", "FLOW", "register"]
