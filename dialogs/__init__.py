"""Channel-neutral features, one package each (docs/architecture.md, "Feature packages"):
plan feedback and polls, residents' questions, service lookup, waste schedules and reminders,
broadcasts, and muting notifications.

Each package exports `FEATURE` (bot/core/features.py): what it registers with the engine,
its shipped content and its HTTP routes. `features()` lists them, found by walking this
package (once, on first use), so adding a feature touches its own package only.
"""

import importlib
import pkgutil
from functools import cache

from bot.core.engine import Registry
from bot.core.features import Feature


@cache
def features() -> tuple[Feature, ...]:
    found = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        feature = getattr(module, "FEATURE", None)
        if isinstance(feature, Feature):
            found.append(feature)
    return tuple(found)


def register(registry: Registry) -> None:
    for feature in features():
        feature.register(registry)
