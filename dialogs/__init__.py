"""Channel-neutral feature flows: plan feedback, polls, service lookup, waste schedules and
reminders, progress subscriptions, broadcasts.

Each module (or sub-package) of this package that defines `register(registry)` adds its
flows, deep links, global actions and text fallbacks; a main-menu section without a flow
shows "coming soon".
"""

import importlib
import pkgutil

from bot.core.engine import Registry


def register(registry: Registry) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        hook = getattr(module, "register", None)
        if callable(hook):
            hook(registry)
