"""The operators' air-raid alert switch in the chat: `/alert` shows the state with the
buttons «🚨 Тривога» and «✅ Відбій»; `/alert on|off` (or `тривога|відбій`) switches at once.

While an alert is active the senders hold non-urgent notifications (bot/delivery/alerts.py);
the console has the same switch (/admin/alerts). Every handler checks `turn.is_operator`
when it runs; a resident is refused politely and the refusal is audited, as is each switch
(`alert-on` / `alert-off`).
"""

from __future__ import annotations

from bot.core import dialog
from bot.core.dialog import MENU, Turn
from bot.core.engine import Registry
from bot.core.features import Feature
from bot.core.messages import Button
from bot.delivery import alerts
from storage.repos.delivery import AlertRepo

ACTION = "alert"
ON_WORDS = frozenset({"on", "тривога", "1"})
OFF_WORDS = frozenset({"off", "відбій", "0"})


def _region(turn: Turn) -> str:
    return turn.engine.settings.alerts_region


async def _show(turn: Turn) -> None:
    state = await AlertRepo(turn.session).get(_region(turn))
    if state is not None and state.active:
        source = turn.t(f"alerts-source-{state.source}")
        text = turn.t("alerts-state-on", since=turn.t.datetime(state.since), who=source)
    else:
        text = turn.t("alerts-state-off")
    turn.say(
        text,
        [
            [
                Button(turn.t("alerts-btn-on"), f"g:{ACTION}:on"),
                Button(turn.t("alerts-btn-off"), f"g:{ACTION}:off"),
            ],
            [Button(turn.t("btn-menu"), MENU)],
        ],
    )


async def _switch(turn: Turn, active: bool) -> None:
    changed = await alerts.switch(turn.session, _region(turn), active, turn.acting, turn.now)
    key = "alerts-switched-on" if active else "alerts-switched-off"
    if not changed:
        key = "alerts-already-on" if active else "alerts-already-off"
    turn.say(turn.t(key), [[Button(turn.t("btn-menu"), MENU)]])


async def alert_command(turn: Turn, args: str) -> None:
    """`/alert` (the state and the two buttons), `/alert on|off`."""
    if not turn.is_operator:
        await dialog.refuse(turn, "alert", "command")
        return
    word = args.strip().lower()
    if word in ON_WORDS:
        await _switch(turn, True)
    elif word in OFF_WORDS:
        await _switch(turn, False)
    elif word:
        turn.say(turn.t("alerts-usage"), [[Button(turn.t("btn-menu"), MENU)]])
    else:
        await _show(turn)


async def alert_action(turn: Turn, arg: str) -> None:
    """`g:alert:on` / `g:alert:off`: the buttons, pressable from the message at any time."""
    if not turn.is_operator:
        await dialog.refuse(turn, "alert", f"button:{arg[:8]}")
        return
    if arg in ("on", "off"):
        await _switch(turn, arg == "on")
    else:
        await _show(turn)


def register(registry: Registry) -> None:
    registry.add_interrupt("alert", alert_command)
    registry.add_global_action(ACTION, alert_action)


FEATURE = Feature("alerts", register)
