"""Talking to a person ("Поговорити з людиною"): a resident's conversation with the working
group when the bot is not enough.

  service.py   the ONLY implementation: open (or return to) a conversation, the resident's
               messages, take, reply, canned answers, close; outbox notices and audit
  flow.py      the resident's screen (`handoff`): everything typed goes to the queue
  operator.py  the working group's queue in the chat (`handoff_operator`, `/handoffs`, and
               from `/operator`)
  content.py   content/handoff.yaml: working hours and canned answers, by language

The console's page (bot/channels/web/admin/pages/handoff.py) calls the same service.
"""

from bot.core.engine import Registry
from bot.core.features import Feature
from dialogs.handoff import flow, operator


def register(registry: Registry) -> None:
    flow.register(registry)
    operator.register(registry)


FEATURE = Feature("handoff", register)
