"""The action plan: residents browse commitments, rate, comment, follow and vote; the working
group answers, publishes progress and runs polls (docs/plan-content.md).

  service.py    the ONLY implementation of the working group's actions (answer feedback, mark
                it reviewed, publish an update, create, open and close polls): checks, state
                change, outbox notices, audit; the chat, the console and the CLI call it
  content.py    the content file (content/plan.yaml): read, check, import, export
  views.py      how a commitment, an update, a poll and its results read on a screen
  flow.py       residents: commitments, rating, comments, "my feedback" (`plan`)
  news.py       residents: the latest progress updates (`news`)
  polls.py      residents: public polls and voting (`polls`)
  operator.py   the working group's chat screens over the service (`plan_operator`, `/operator`)
"""

from bot.core.engine import Registry
from bot.core.features import Feature
from bot.delivery.broadcasts import add_audience_source
from dialogs.plan import content, flow, news, operator, polls, service


def register(registry: Registry) -> None:
    for module in (news, flow, operator, polls):  # the order they registered in before
        module.register(registry)
    add_audience_source(service.FOLLOWERS_AUDIENCE)  # broadcasts to a commitment's followers


FEATURE = Feature("plan", register, shipped_content=content.ensure_default_content)
