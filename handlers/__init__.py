"""Channel-neutral entry points: start and onboarding, the main menu, help, cancel,
language, settings and the fallback for input nobody expected."""

from bot.core.engine import Registry
from handlers import admin, common, menu, onboarding, privacy, settings


def register(registry: Registry) -> None:
    onboarding.register(registry)
    menu.register(registry)
    settings.register(registry)
    common.register(registry)
    privacy.register(registry)
    admin.register(registry)
