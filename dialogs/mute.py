"""Muting a category of notifications from a button on the message itself.

Global actions (valid at any time, since a proactive message can be pressed days later):
`g:mute:<category>` stops that category for the resident (the outbox skips them when
enqueuing and when sending); the answer offers `g:unmute:<category>` to undo it.
"""

from __future__ import annotations

from bot.core.dialog import MENU, Turn
from bot.core.engine import Registry
from bot.core.features import Feature
from bot.core.messages import Button
from bot.delivery.rendering import MUTE_ACTION, UNMUTE_ACTION, category_name, valid_category
from storage.repos.delivery import DeliveryRepo
from storage.repos.residents import ResidentRepo


def _name(turn: Turn, category: str) -> str:
    return category_name(turn.engine.i18n, turn.locale, category)


async def mute_action(turn: Turn, category: str) -> None:
    if not valid_category(category) or not await ResidentRepo(turn.session).may_mute(
        turn.resident.id, category
    ):
        turn.say(turn.t("delivery-mute-invalid"))
        return
    await DeliveryRepo(turn.session).mute(turn.resident.id, category, turn.now)
    turn.say(
        turn.t("delivery-muted", category=_name(turn, category)),
        [
            [Button(turn.t("delivery-btn-unmute"), f"g:{UNMUTE_ACTION}:{category}")],
            [Button(turn.t("btn-menu"), MENU)],
        ],
    )


async def unmute_action(turn: Turn, category: str) -> None:
    if not valid_category(category):
        turn.say(turn.t("delivery-mute-invalid"))
        return
    await DeliveryRepo(turn.session).unmute(turn.resident.id, category)
    turn.say(
        turn.t("delivery-unmuted", category=_name(turn, category)),
        [[Button(turn.t("btn-menu"), MENU)]],
    )


def register(registry: Registry) -> None:
    registry.add_global_action(MUTE_ACTION, mute_action)
    registry.add_global_action(UNMUTE_ACTION, unmute_action)


FEATURE = Feature("mute", register)
