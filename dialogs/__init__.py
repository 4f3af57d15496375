"""Channel-neutral feature flows: plan feedback, polls, service lookup, waste schedules and
reminders, progress subscriptions, broadcasts. Each module registers its flows here."""

from bot.core.engine import Registry


def register(registry: Registry) -> None:
    """Feature flows register themselves; a menu section without a flow shows "coming soon"."""
