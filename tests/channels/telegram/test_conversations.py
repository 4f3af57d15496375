"""The core's conversations over real HTTP: Telegram posts Update JSON to the webhook, and
the fake Bot API shows what the resident would see (method, chat, text, keyboard)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.dialog import Turn
from storage.db import Database
from storage.models import Resident
from tests.channels.telegram.conftest import Chat

MENU_EN = [
    "📋 Plan & feedback",
    "🏛 City services",
    "♻️ Waste collection",
    "📰 News & progress",
    "⚙️ Settings",
    "📷 Report a problem",
    "💬 Talk to a person",
]


async def test_onboarding_edits_the_language_question_and_shows_the_menu(chat: Chat) -> None:
    await chat.send("/start")
    assert chat.methods == ["sendMessage"]
    question = chat.seen[0]
    assert question.chat_id == chat.id
    assert "Оберіть мову / Choose your language" in question.text
    assert question.labels == ["Українська", "English"]
    assert question.params["parse_mode"] == "HTML"

    await chat.press("English")
    assert chat.api.calls_to("answerCallbackQuery")
    assert chat.methods == ["editMessageText", "sendMessage", "sendMessage"]
    edit = chat.seen[0]
    assert int(edit.params["message_id"]) == chat.api.message_id_of(question)
    assert "we'll talk in English" in edit.text
    assert edit.labels == []  # the language buttons are gone from that message
    assert "Privacy" in chat.seen[1].text
    assert "Main menu" in chat.seen[2].text
    assert chat.seen[2].labels == MENU_EN


async def test_every_callback_query_is_answered(chat: Chat) -> None:
    await chat.onboard()
    await chat.press("Settings")
    await chat.press("Privacy")
    queries = [c.params["callback_query_id"] for c in chat.api.calls_to("answerCallbackQuery")]
    assert len(queries) == 3 and len(set(queries)) == 3


async def test_menu_settings_language_and_back_replace_the_screen(chat: Chat) -> None:
    await chat.onboard()
    await chat.press("Settings")
    assert chat.methods == ["editMessageText"]
    assert "Settings. Language: English." in chat.text
    await chat.press("Language")
    assert chat.seen[0].labels == ["Українська", "English", "◀️ Back", "🏠 Menu"]
    await chat.press("Українська")
    assert "Готово, мову змінено." in chat.text
    assert "Налаштування. Мова: Українська." in chat.text
    await chat.press("Меню")
    assert "Головне меню" in chat.text


async def test_help_and_cancel_in_the_middle_of_a_flow(chat: Chat) -> None:
    await chat.onboard()
    await chat.send("/settings")
    await chat.send("/help")
    assert "/cancel — cancel the current action" in chat.text
    assert chat.seen[-1].text.startswith("Settings. Language")
    await chat.send("/cancel")
    assert chat.seen[0].text == "Cancelled."
    assert "Main menu" in chat.text
    await chat.send("/cancel")
    assert chat.seen[0].text == "There is nothing to cancel."


async def test_bad_input_gets_hints_and_user_text_is_escaped(chat: Chat) -> None:
    await chat.onboard()
    await chat.send("/<b>frob</b>&co")
    # The fake refuses unescaped HTML, so the answer arriving at all proves the escaping.
    assert "There is no command /<b>frob</b>&co" in chat.text
    await chat.send("x" * 5000)
    assert "The message is too long: 5,000 characters" in chat.text
    await chat.send("🙂🙂🙂")
    assert "We didn't quite get that" in chat.text
    await chat.act(chat.user.sticker())
    assert "For now we understand text, buttons" in chat.text
    await chat.act(chat.user.voice())
    assert "For now we understand text, buttons" in chat.text
    await chat.act(chat.user.location(49.4229, 26.9871))
    assert "Thank you for the location" in chat.text
    await chat.act(chat.user.contact("+380671234567"))
    assert "a contact isn't needed right now" in chat.text


async def test_an_edited_message_is_not_run_again(chat: Chat) -> None:
    await chat.onboard("Українська")
    await chat.act(chat.user.edited("/settings"))
    assert chat.methods == ["sendMessage"]
    assert "Змінені повідомлення ми не обробляємо" in chat.text


async def test_a_stale_button_says_out_of_date_and_shows_the_current_screen(chat: Chat) -> None:
    await chat.onboard()
    menu = chat.api.last_message(chat.id)
    await chat.press("Settings")
    await chat.press("Privacy")
    # Press the language buttons of the very first message again.
    first = chat.api.sent(chat.id)[0]
    await chat.act(chat.user.press("lang:uk", chat.api.message_id_of(first)))
    assert "That menu is out of date" in chat.seen[0].text
    assert "Privacy in Svoi" in chat.text
    assert menu.labels == MENU_EN


async def test_deep_link_opens_after_onboarding(chat: Chat) -> None:
    opened: list[str] = []

    async def open_commitment(turn: Turn, payload: str) -> bool:
        opened.append(payload)
        turn.say(f"Commitment {payload}")
        return True

    chat.service.svoi.engine.registry.add_deep_link("c", open_commitment)
    await chat.send("/start c2")
    await chat.press("English")
    assert opened == ["c2"]
    assert "Commitment c2" in chat.text


async def test_blocking_and_unblocking_the_bot(chat: Chat, db: Database) -> None:
    await chat.onboard()
    assert await chat.act(chat.user.blocks_bot()) == []
    async with db.transaction() as session:
        row = (await session.execute(select(Resident))).scalar_one()
        assert row.is_active is False
    assert await chat.act(chat.user.unblocks_bot()) == []
    async with db.transaction() as session:
        row = (await session.execute(select(Resident))).scalar_one()
        assert row.is_active is True


async def test_residents_are_telegram_chats_with_their_names(chat: Chat, db: Database) -> None:
    await chat.onboard()
    async with db.transaction() as session:
        row = (await session.execute(select(Resident))).scalar_one()
    assert (row.channel, row.user_id) == ("telegram", str(chat.id))
    assert row.display_name == "Оксана Коваль"
    assert row.locale == "en"
