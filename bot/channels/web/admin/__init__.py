"""The working group's console under `/admin`: server-rendered pages over the same
actions the chat and the CLI use (each feature's service: dialogs/plan/service.py,
dialogs/broadcast/service.py, dialogs/waste/service.py, dialogs/services/service.py), behind
the checks in auth.py.

The shell (shell.py: the checks on every request, layout, login and logout, the audit page)
registers one page module per feature (pages/): dashboard, plan, questions, broadcasts, waste,
services.

Pages (operators and admins; every other role and anyone logged out is refused on every
page and every action, and every action is written to the audit log):

    /admin/                     dashboard: residents by channel and language, subscriptions,
                                ratings per commitment, delivery health
    /admin/feedback             inbox (filter by commitment, waiting only) → one item:
                                read, answer (→ the resident's channel), mark reviewed
    /admin/commitments          status and progress → one commitment: publish an update
                                (→ followers notified)
    /admin/polls                create → one poll: open, close, results chart
    /admin/questions            residents' questions, waiting first (refreshes itself) → one
                                question: answer, or "not ours" with where to turn
    /admin/broadcasts           compose with a live audience count, preview per channel,
                                Viber cost, send now or schedule → progress, cancel
    /admin/waste                move or cancel a collection day (→ subscribers notified)
    /admin/services             import the services catalogue with a validation report
    /admin/audit                the latest audit entries (admins only)
"""

from bot.channels.web.admin.operator import Handler, Operator, Route
from bot.channels.web.admin.shell import HEADERS, NOTICES, Console

__all__ = ["HEADERS", "NOTICES", "Console", "Handler", "Operator", "Route"]
