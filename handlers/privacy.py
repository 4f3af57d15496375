"""Residents' data rights: /mydata (everything stored, as a JSON file) and /deleteme.

Steps: /mydata → a JSON document (a download link where the channel takes no files);
/deleteme → deleteme.confirm (yes / no) → erased, or kept.
"""

from __future__ import annotations

import json

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import Document
from bot.core.widgets import NO, YES, confirm_row
from storage.repos import personal_data


async def mydata_command(turn: Turn, _args: str = "") -> None:
    await turn.session.flush()
    data = await personal_data.export(turn.session, turn.resident)
    name = "svoi-my-data.json"
    content = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    turn.say(
        turn.t("mydata-caption", name=name), document=Document(name, content, "application/json")
    )


async def deleteme_command(turn: Turn, _args: str = "") -> None:
    await turn.start("deleteme")


async def render_confirm(turn: Turn) -> None:
    turn.say(turn.t("deleteme-confirm"), [confirm_row(turn)])


async def on_confirm(turn: Turn, payload: str) -> None:
    if payload == YES:
        await personal_data.erase(turn.session, turn.resident)
        turn.erased = True
        turn.say(turn.t("deleteme-done"), remove_keyboard=True)
        return
    if payload == NO:
        turn.say(turn.t("deleteme-kept"))
        await turn.menu()


DELETEME = Flow("deleteme", {"start": Screen(render_confirm, on_button=on_confirm)})


def register(registry: Registry) -> None:
    registry.add_flow(DELETEME)
    registry.add_interrupt("mydata", mydata_command)
    registry.add_interrupt("deleteme", deleteme_command)
