"""Choice, paging and confirmation widgets inside a real flow."""

from __future__ import annotations

from bot.app import Svoi
from bot.core.dialog import Flow, Screen, Turn
from bot.core.widgets import (
    choice_rows,
    chosen,
    confirm_row,
    page_of,
    page_requested,
    paging_row,
)
from tests.support.conversation import Resident

STREETS = [f"Вулиця {n}" for n in range(1, 13)]


async def render_list(turn: Turn) -> None:
    page = page_of(len(STREETS), int(turn.get("page", 0)), 5)
    options = [(name, str(i)) for i, name in enumerate(STREETS)][page.start : page.stop]
    rows = choice_rows(options, "street")
    rows.append(paging_row(turn, page))
    turn.say(f"page {page.number + 1}/{page.count}", rows)


async def on_list(turn: Turn, payload: str) -> None:
    if (number := page_requested(payload)) is not None:
        turn.set(page=number)
        await turn.goto("list")
    elif (value := chosen(payload, "street")) is not None:
        turn.set(street=STREETS[int(value)])
        await turn.goto("confirm")


async def render_confirm(turn: Turn) -> None:
    turn.say(f"Confirm {turn.get('street')}?", [confirm_row(turn)])


async def on_confirm(turn: Turn, payload: str) -> None:
    turn.say("saved" if payload == "yes" else "dropped")
    await turn.menu()


FLOW = Flow(
    "waste",
    {
        "list": Screen(render_list, on_button=on_list),
        "confirm": Screen(render_confirm, on_button=on_confirm, back="list"),
    },
    start="list",
)


async def test_paging_choice_and_confirmation(svoi: Svoi, resident: Resident) -> None:
    svoi.engine.registry.add_flow(FLOW)
    await resident.onboard("en")
    await resident.press("Waste collection")
    assert resident.text == "page 1/3" and resident.labels[-1] == "More ▶️"
    await resident.press("More")
    await resident.press("More")
    assert resident.text == "page 3/3" and resident.labels == [
        "Вулиця 11",
        "Вулиця 12",
        "◀️ Previous",
    ]
    await resident.press("Вулиця 12")
    assert resident.text == "Confirm Вулиця 12?"
    await resident.press("Yes")
    assert resident.text.startswith("saved")


def test_helpers_reject_foreign_payloads() -> None:
    assert chosen("street:3", "street") == "3"
    assert chosen("streets:3", "street") is None and chosen("street:", "street") is None
    assert page_requested("page:x") is None and page_requested("page:2") == 2
    assert page_of(12, 99, 5).number == 2 and page_of(0, 0, 5).count == 1
