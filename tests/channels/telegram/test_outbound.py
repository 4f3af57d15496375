"""Reply → Bot API calls without a network: escaping, keyboards, keys for long payloads,
which replies can replace the pressed message; and Update JSON → Incoming."""

from __future__ import annotations

from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import Update

from bot.channels.telegram.inbound import read_update
from bot.channels.telegram.outbound import callback_data, edit_call, send_calls, stored_key
from bot.core.messages import Button, Document, Kind, Lifecycle, Reply
from tests.fakes.telegram_api import TelegramUser, parse_html


def test_text_is_escaped_and_round_trips_through_telegrams_html() -> None:
    text = "<script>alert(1)</script> & «лапки» > 5 &amp;"
    [call] = send_calls(1, Reply(text))
    assert isinstance(call, SendMessage)
    plain, error = parse_html(call.text)
    assert error is None
    assert plain == text


def test_short_payloads_go_as_they_are_long_ones_behind_a_stable_key() -> None:
    assert callback_data("open:settings") == "open:settings"
    long = "x" * 65
    assert callback_data(long) == "~" + stored_key(long)
    assert len(callback_data(long)) == 17
    assert callback_data("~looks-like-a-key").startswith("~")  # never mistaken for a key
    assert callback_data("~looks-like-a-key") != "~looks-like-a-key"
    assert stored_key("a") != stored_key("b")
    # 64 bytes is the limit in bytes, not characters: Cyrillic counts double.
    assert callback_data("ї" * 32) == "ї" * 32
    assert callback_data("ї" * 33).startswith("~")


def test_only_a_plain_screen_can_replace_the_pressed_message() -> None:
    screen = Reply("Меню", buttons=[[Button("Так", "yes")]])
    call = edit_call(1, 10, screen)
    assert isinstance(call, EditMessageText)
    assert call.message_id == 10
    assert edit_call(1, 10, Reply("Файл", document=Document("a.csv", b""))) is None
    assert edit_call(1, 10, Reply("", buttons=screen.buttons)) is None


def test_update_json_becomes_incoming() -> None:
    user = TelegramUser(900, language_code="en-GB")
    start = read_update(Update.model_validate(user.text("/start@svoi_khm_bot c2")))
    assert start.incoming is not None
    assert (start.incoming.kind, start.incoming.command, start.incoming.args) == (
        Kind.COMMAND,
        "start",
        "c2",
    )
    assert start.incoming.language_hint == "en-GB"
    assert start.incoming.address.user_id == "900"

    press = read_update(Update.model_validate(user.press("open:plan", message_id=55)))
    assert press.incoming is not None
    assert (press.incoming.kind, press.incoming.payload, press.incoming.message_ref) == (
        Kind.BUTTON,
        "open:plan",
        "55",
    )
    assert press.callback_id is not None

    contact = read_update(Update.model_validate(user.contact("+380671112233", own=False)))
    assert contact.incoming is not None and contact.incoming.contact is not None
    assert contact.incoming.contact.own is False

    sticker = read_update(Update.model_validate(user.sticker()))
    assert sticker.incoming is not None
    assert (sticker.incoming.kind, sticker.incoming.media) == (Kind.UNSUPPORTED, "sticker")

    blocked = read_update(Update.model_validate(user.blocks_bot()))
    assert blocked.incoming is not None and blocked.incoming.event is Lifecycle.BLOCKED

    edited = read_update(Update.model_validate(user.edited("typo")))
    assert (edited.incoming, edited.edited, edited.chat_id) == (None, True, 900)
