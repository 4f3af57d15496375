"""Channel-neutral entry points: start and onboarding, the main menu, help, cancel,
language, settings and the fallback for input nobody expected."""

from bot.core.engine import Registry
from handlers import common, menu, onboarding, settings


def register(registry: Registry) -> None:
    onboarding.register(registry)
    menu.register(registry)
    settings.register(registry)
    common.register(registry)
