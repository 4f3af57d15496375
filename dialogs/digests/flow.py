"""The chat screens of digests (docs/digests.md); every action is the service's.

Steps: Settings → «Digests» → digests.start: each digest category with the resident's
choice, one button each → digests.category: «As it happens», «Daily at HH:00» (a few
hours), «Weekly» → saved, back to digests.start.
"""

from __future__ import annotations

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button
from dialogs.digests import service
from dialogs.digests.payloads import DigestsState, PickCategory, PickChoice
from dialogs.digests.service import Choice
from storage.repos.digests import CATEGORIES

FLOW_NAME = "digests"


def choice_name(turn: Turn, choice: Choice) -> str:
    return turn.t("digests-choice", mode=choice.mode, hour=f"{choice.hour or 0:02d}:00")


def category_name(turn: Turn, category: str) -> str:
    return turn.t("digests-category", category=category)


# --- digests.start -------------------------------------------------------------------------
async def render_start(turn: Turn) -> None:
    chosen = await service.choices(turn.session, turn.resident.id)
    lines = [turn.t("digests-title")]
    rows: list[list[AnyButton]] = []
    for category in CATEGORIES:
        name = category_name(turn, category)
        lines.append(
            turn.t("digests-line", category=name, choice=choice_name(turn, chosen[category]))
        )
        rows.append([Button(name, PickCategory(category).pack())])
    rows.append(turn.nav_row(back=False))
    turn.say("\n".join(lines), rows)


async def on_start(turn: Turn, payload: str) -> None:
    picked = PickCategory.unpack(payload)
    if picked is None or picked.category not in CATEGORIES:
        return
    turn.keep(DigestsState(category=picked.category))
    await turn.goto("category")


# --- digests.category ----------------------------------------------------------------------
async def render_category(turn: Turn) -> None:
    state = turn.load(DigestsState)
    if state.category not in CATEGORIES:
        await turn.goto("start")
        return
    rows: list[list[AnyButton]] = [
        [Button(choice_name(turn, c), PickChoice(c.mode, c.hour or 0).pack())]
        for c in service.offered()
    ]
    rows.append(turn.nav_row())
    turn.say(turn.t("digests-choose", category=category_name(turn, state.category)), rows)


async def on_category(turn: Turn, payload: str) -> None:
    state = turn.load(DigestsState)
    picked = PickChoice.unpack(payload)
    if picked is None or state.category not in CATEGORIES:
        return
    choice = service.AS_IT_HAPPENS if picked.mode == "now" else Choice(picked.mode, picked.hour)
    if choice not in service.offered():
        return
    await service.choose(
        turn.session,
        turn.engine.i18n,
        turn.resident,
        state.category,
        choice,
        turn.now,
        turn.engine.settings.zone,
    )
    turn.say(
        turn.t(
            "digests-saved",
            category=category_name(turn, state.category),
            choice=choice_name(turn, choice),
        )
    )
    await turn.goto("start")


FLOW = Flow(
    FLOW_NAME,
    {
        "start": Screen(render_start, on_button=on_start),
        "category": Screen(render_category, on_button=on_category, back="start"),
    },
)


def register(registry: Registry) -> None:
    registry.add_flow(FLOW)
