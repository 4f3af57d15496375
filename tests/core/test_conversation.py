"""Conversations through the real engine and database: onboarding, menu, interrupts in the
middle of a flow, bad input, stale and forged buttons, restarts, failures."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.app import Svoi
from bot.core.dialog import Flow, Screen, Turn
from bot.core.messages import Lifecycle
from storage.db import Database
from storage.models import DialogState
from storage.models import Resident as ResidentRow
from tests.support.conversation import Resident


async def test_first_contact_asks_language_then_shows_menu(resident: Resident) -> None:
    await resident.send("/start")
    assert "Оберіть мову / Choose your language" in resident.text
    assert resident.labels == ["Українська", "English"]

    await resident.press("English")
    assert "we'll talk in English" in resident.text
    assert "Main menu" in resident.text
    assert resident.labels == [
        "📋 Plan & feedback",
        "🏛 City services",
        "♻️ Waste collection",
        "📰 News & progress",
        "⚙️ Settings",
        "📷 Report a problem",
        "💬 Talk to a person",
    ]


async def test_anything_before_choosing_a_language_starts_onboarding(resident: Resident) -> None:
    await resident.send("привіт")
    assert resident.labels == ["Українська", "English"]
    await resident.send("English")
    assert "Main menu" in resident.text


async def test_help_in_the_middle_of_a_flow_keeps_the_resident_there(
    resident: Resident,
) -> None:
    await resident.onboard()
    await resident.press("Налаштування")
    assert "Налаштування. Мова: Українська." in resident.text
    await resident.send("/help")
    assert "/cancel — скасувати поточну дію" in resident.text
    assert "Налаштування. Мова" in resident.text  # the settings screen again
    await resident.press("Мова")
    assert "Оберіть мову:" in resident.text


async def test_cancel_and_menu_leave_a_flow(resident: Resident) -> None:
    await resident.onboard()
    await resident.send("/settings")
    await resident.send("/cancel")
    assert resident.text.startswith("Скасовано.")
    assert "Головне меню" in resident.text
    await resident.send("/cancel")
    assert resident.text.startswith("Немає дії")
    await resident.send("/language")
    await resident.send("/menu")
    assert "Головне меню" in resident.text


async def test_language_switch_changes_every_following_answer(resident: Resident) -> None:
    await resident.onboard("uk")
    await resident.send("/language")
    await resident.press("English")
    assert "the language has been changed" in resident.text
    assert "Settings. Language: English." in resident.text
    await resident.send("/menu")
    assert "Main menu" in resident.text


async def test_a_feature_that_is_not_installed_has_no_menu_entry(
    svoi: Svoi, resident: Resident
) -> None:
    svoi.engine.registry.flows.pop("news", None)  # as if the News feature were not installed
    await resident.onboard("en")
    assert "📰 News & progress" not in resident.labels
    assert "📋 Plan & feedback" in resident.labels


async def test_operators_find_their_tools_in_help_and_the_menu(
    resident: Resident, operator: Resident
) -> None:
    await operator.onboard("uk")
    assert operator.labels[-1] == "🛠 Робоча група"
    await operator.send("/help")
    assert "/operator — відгуки, запитання мешканців" in operator.text
    assert "/broadcast — повідомлення мешканцям" in operator.text
    assert "/grant" not in operator.text  # admins' commands only for admins
    await operator.send("/menu")
    await operator.press("🛠 Робоча група")
    assert "Робоча група плану дій" in operator.text
    assert operator.labels[0] == "📥 Відгуки"

    await resident.onboard("uk")
    assert "🛠 Робоча група" not in resident.labels
    await resident.send("/help")
    assert "/operator" not in resident.text and "/broadcast" not in resident.text
    await resident.send("/menu")
    await resident.press_payload("open:plan_operator")  # a forged menu button opens nothing
    assert "Робоча група плану дій" not in resident.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "The message is empty"),
        ("   ", "The message is empty"),
        ("x" * 10_000, "The message is too long: 10,000 characters, the limit is 4,000"),
        ("🙂🙂🙂 👍", "We didn't quite get that"),
        ("مرحبا بكم", "We didn't quite get that"),
        ("/frobnicate now", "There is no command /frobnicate"),
    ],
)
async def test_bad_text_gets_a_localized_hint(resident: Resident, text: str, expected: str) -> None:
    await resident.onboard("en")
    await resident.send(text)
    assert expected in resident.text


async def test_ukrainian_plural_for_long_input(resident: Resident) -> None:
    await resident.onboard("uk")
    await resident.send("ї" * 4001)
    assert "4\xa0001 символ, а можна до 4\xa0000" in resident.text
    await resident.send("ї" * 4005)
    assert "4\xa0005 символів" in resident.text


async def test_unsupported_media_location_and_contact_get_hints(resident: Resident) -> None:
    await resident.onboard("en")
    await resident.send_media("sticker")
    assert "For now we understand text, buttons" in resident.text
    await resident.share_location(49.42, 26.99)
    assert "isn't needed right now" in resident.text
    await resident.share_contact("+380501234567")
    assert "a contact isn't needed right now" in resident.text


async def test_stale_and_forged_payloads_show_the_current_screen(resident: Resident) -> None:
    await resident.onboard("en")
    menu_payload = resident.find_payload("Settings")
    await resident.press("Settings")
    await resident.press_payload("lang:uk")  # a button of a screen not shown now
    assert "That menu is out of date" in resident.text
    assert "Settings. Language: English." in resident.text
    await resident.press_payload("open:../../etc/passwd")
    assert "That menu is out of date" in resident.text
    await resident.press_payload("g:no-such-action")
    assert "That menu is out of date" in resident.text
    await resident.press_payload(menu_payload)  # the main menu's button, no longer shown
    assert "That menu is out of date" in resident.text


async def test_numbered_answers_press_buttons_when_the_channel_has_none(svoi: Svoi) -> None:
    from bot.core.capabilities import CONSOLE

    console = Resident.on(svoi.engine, channel="console", caps=CONSOLE)
    await console.send("/start")
    assert "1. Українська\n2. English" in console.text
    await console.send("2")
    assert "5. ⚙️ Settings" in console.text
    await console.send("5")
    assert "Settings. Language: English." in console.text
    await console.send("99")
    assert "We didn't quite get that" in console.text


async def test_state_survives_a_restart(settings, db_url: str) -> None:  # type: ignore[no-untyped-def]
    first = Svoi.create(settings, Database(db_url))
    resident = Resident.on(first.engine)
    await resident.onboard("en")
    await resident.press("Settings")
    await first.close()

    second = Svoi.create(settings, Database(db_url))
    again = Resident.on(second.engine, user_id=resident.user_id)
    await again.press_payload("privacy")  # the button shown before the restart works
    assert "Privacy in Svoi" in again.text
    await second.close()


async def test_a_failing_step_apologises_and_the_resident_can_go_on(
    svoi: Svoi, resident: Resident, db: Database
) -> None:
    async def broken(turn: Turn) -> None:
        turn.set(half="written")
        raise RuntimeError("boom")

    svoi.engine.registry.add_flow(Flow("services", {"start": Screen(broken)}))
    await resident.onboard("en")
    await resident.press("City services")
    assert "Sorry, something went wrong on our side" in resident.text
    assert "Main menu" in resident.text
    async with db.transaction() as session:
        state = (await session.execute(select(DialogState))).scalar_one()
        assert state.flow == "menu"
        assert "half" not in state.data
    await resident.press("Settings")
    assert "Settings. Language" in resident.text


async def test_lifecycle_events_mark_the_resident_inactive_and_back(
    resident: Resident, db: Database
) -> None:
    await resident.onboard()
    assert await resident.lifecycle(Lifecycle.BLOCKED) == []
    async with db.transaction() as session:
        row = (await session.execute(select(ResidentRow))).scalar_one()
        assert row.is_active is False and row.inactive_since is not None
    await resident.lifecycle(Lifecycle.UNBLOCKED)
    async with db.transaction() as session:
        row = (await session.execute(select(ResidentRow))).scalar_one()
        assert row.is_active is True and row.inactive_since is None


async def test_one_residents_turns_run_in_order(resident: Resident, svoi: Svoi) -> None:
    order: list[str] = []

    async def slow(turn: Turn, text: str) -> None:
        order.append(f"start {text}")
        await asyncio.sleep(0.05 if text == "first" else 0)
        order.append(f"end {text}")
        turn.say(text)

    async def render(turn: Turn) -> None:
        turn.say("type")

    svoi.engine.registry.add_flow(Flow("services", {"start": Screen(render, on_text=slow)}))
    await resident.onboard("en")
    await resident.press("City services")
    await asyncio.gather(resident.send("first"), resident.send("second"))
    assert order == ["start first", "end first", "start second", "end second"]


async def test_duplicate_event_has_one_effect(resident: Resident, svoi: Svoi) -> None:
    await resident.onboard("en")
    assert await svoi.engine.record_event("test", "evt-1", "{}") is True
    assert await svoi.engine.record_event("test", "evt-1", "{}") is False
    first = await resident.press_payload(resident.find_payload("Settings"), event_id="evt-1")
    assert first
    again = await resident.press_payload("open:settings", event_id="evt-1")
    assert again == []


async def test_deep_link_payload_survives_onboarding(svoi: Svoi, resident: Resident) -> None:
    opened: list[str] = []

    async def open_commitment(turn: Turn, payload: str) -> bool:
        opened.append(payload)
        turn.say(f"commitment {payload}")
        return True

    svoi.engine.registry.add_deep_link("c", open_commitment)
    await resident.send("/start c2")
    await resident.press("English")
    assert opened == ["c2"]
    assert "commitment c2" in resident.text
    await resident.send("/start ../bad payload")
    assert "Welcome back" in resident.text


async def test_a_number_typed_on_a_text_screen_is_input_and_hash_picks_a_button(
    svoi: Svoi,
) -> None:
    from bot.core.capabilities import CONSOLE
    from bot.core.messages import Button

    typed: list[str] = []

    async def render(turn: Turn) -> None:
        turn.say("House number?", [[Button("Skip", "skip")]])

    async def on_text(turn: Turn, text: str) -> None:
        typed.append(text)
        turn.say(f"house {text}")

    async def on_button(turn: Turn, payload: str) -> None:
        turn.say(f"pressed {payload}")

    svoi.engine.registry.add_flow(
        Flow(
            "waste",
            {"start": Screen(render, on_button=on_button, on_text=on_text, numeric_input=True)},
        )
    )
    console = Resident.on(svoi.engine, channel="console", caps=CONSOLE)
    await console.onboard("en")
    await console.send("3")
    assert "House number?" in console.text and "send # and its number" in console.text
    await console.send("1")
    assert typed == ["1"] and console.text == "house 1"
    await console.send("#1")
    assert console.text == "pressed skip"


async def test_nul_bytes_in_text_do_not_break_a_turn(resident: Resident) -> None:
    await resident.onboard("en")
    await resident.send("/settings")
    await resident.send("\x00\x00 hello \x00")
    assert "Sorry, something went wrong" not in resident.text
    assert "We didn't quite get that" in resident.text
