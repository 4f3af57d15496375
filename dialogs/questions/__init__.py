"""Residents' questions to the council and the working group's answers.

  service.py   the ONLY implementation: ask, the inbox, answer, "not ours" (with where to
               turn), a resident's own questions; outbox notices and audit
  flow.py      "my questions" (`questions`, `/myquestions`) and the working group's inbox
               (`questions_operator`, `/questions`, and from `/operator`)

A resident asks from the services section (dialogs/services/flow.py calls `service.ask`);
the console's questions page and `python -m bot services questions` use the same service.
"""

from bot.core.engine import Registry
from bot.core.features import Feature
from dialogs.questions import flow


def register(registry: Registry) -> None:
    flow.register(registry)


FEATURE = Feature("questions", register)
