"""Sending: what each Bot API answer means for a message (`deliver`), how replies during a
turn survive a 429 or a blocked resident, long payloads, long texts, share requests."""

from __future__ import annotations

import gc
import weakref
from datetime import timedelta
from typing import Any

import pytest
from aiogram.methods.base import Response
from aiogram.types import Message
from sqlalchemy import select, update

from bot.core.dialog import Flow, Screen, Turn
from bot.core.messages import Button, Document, LinkButton, Location, Reply, Request, RequestButton
from bot.core.ports import DeliveryStatus
from storage import clock
from storage.db import Database
from storage.models import Resident
from storage.models.telegram import TelegramCallback
from tests.channels.telegram.conftest import Chat, Service

CHAT = 555_000_111
MENU = Reply("Головне меню", buttons=[[Button("⚙️ Налаштування", "open:settings")]])


async def test_a_reply_is_sent_as_html_with_its_keyboard(service: Service) -> None:
    reply = Reply(
        "Графік <вивезення> & «гілля»",
        buttons=[[Button("Так", "yes"), LinkButton("Сайт", "https://khm.gov.ua")]],
    )
    result = await service.channel.deliver(str(CHAT), reply)
    assert result.status is DeliveryStatus.SENT
    [call] = service.api.sent(CHAT)
    assert call.params["text"] == "Графік &lt;вивезення&gt; &amp; «гілля»"
    assert call.text == "Графік <вивезення> & «гілля»"
    assert call.inline_keyboard == [
        [{"text": "Так", "callback_data": "yes"}, {"text": "Сайт", "url": "https://khm.gov.ua"}]
    ]
    assert result.message_id == str(service.api.message_id_of(call))


@pytest.mark.parametrize(
    ("script", "status", "retry_after"),
    [
        ({"status": 429, "retry_after": 7}, DeliveryStatus.RATE_LIMITED, 7.0),
        (
            {"status": 403, "description": "Forbidden: bot was blocked by the user"},
            DeliveryStatus.GONE,
            None,
        ),
        (
            {"status": 403, "description": "Forbidden: user is deactivated"},
            DeliveryStatus.GONE,
            None,
        ),
        ({"status": 400, "description": "Bad Request: chat not found"}, DeliveryStatus.GONE, None),
        (
            {"status": 400, "description": "Bad Request: can't parse entities"},
            DeliveryStatus.PERMANENT,
            None,
        ),
        ({"status": 502, "description": "Bad Gateway"}, DeliveryStatus.TRANSIENT, None),
        ({"status": 404, "description": "Not Found"}, DeliveryStatus.CONFIG, None),
        ({"status": 401, "description": "Unauthorized"}, DeliveryStatus.CONFIG, None),
    ],
)
async def test_deliver_classifies_telegrams_answers(
    service: Service, script: dict[str, Any], status: DeliveryStatus, retry_after: float | None
) -> None:
    service.api.fail("sendMessage", **script)
    result = await service.channel.deliver(str(CHAT), MENU)
    assert result.status is status
    assert result.retry_after == retry_after
    assert service.api.calls_to("sendMessage")[0].status == script["status"]


async def test_after_a_429_the_token_pauses_instead_of_calling_again(service: Service) -> None:
    service.api.rate_limit("sendMessage", retry_after=30)
    first = await service.channel.deliver(str(CHAT), MENU)
    second = await service.channel.deliver(str(CHAT + 1), MENU)
    assert first.status is second.status is DeliveryStatus.RATE_LIMITED
    assert second.retry_after is not None and 0 < second.retry_after <= 30
    assert len(service.api.calls_to("sendMessage")) == 1


async def test_blocked_resident_is_gone(service: Service) -> None:
    service.api.block(CHAT)
    result = await service.channel.deliver(str(CHAT), MENU)
    assert result.status is DeliveryStatus.GONE
    assert result.error == "Forbidden: bot was blocked by the user"


async def test_a_read_timeout_after_sending_is_unknown(service: Service) -> None:
    service.channel.bot.session.timeout = 1  # the request is received, never answered
    service.api.hang("sendMessage")
    result = await service.channel.deliver(str(CHAT), MENU)
    assert result.status is DeliveryStatus.UNKNOWN
    assert len(service.api.calls_to("sendMessage")) == 1  # it did reach "Telegram"


async def test_telegram_unreachable_is_transient(service: Service) -> None:
    await service.api.stop()
    result = await service.channel.deliver(str(CHAT), MENU)
    assert result.status is DeliveryStatus.TRANSIENT


async def test_a_bad_chat_id_is_permanent(service: Service) -> None:
    result = await service.channel.deliver("viber-user", MENU)
    assert result.status is DeliveryStatus.PERMANENT
    assert service.api.calls == []


async def test_long_text_is_split_with_buttons_on_the_last_part(service: Service) -> None:
    text = "\n\n".join(f"Абзац {i}: " + "ї" * 900 for i in range(9))
    result = await service.channel.deliver(str(CHAT), Reply(text, buttons=MENU.buttons))
    assert result.ok
    calls = service.api.sent(CHAT)
    assert len(calls) == 3
    assert all(len(c.text) <= 4096 for c in calls)
    assert "\n\n".join(c.text for c in calls) == text
    assert [bool(c.labels) for c in calls] == [False, False, True]


async def test_a_payload_over_64_bytes_is_kept_server_side(service: Service, db: Database) -> None:
    payload = "plan:feedback:commitment-2:goal-3:" + "дуже-довгий-ключ" * 3
    assert len(payload.encode()) > 64
    await service.channel.deliver(str(CHAT), Reply("?", buttons=[[Button("Так", payload)]]))
    data = service.api.sent(CHAT)[0].inline_keyboard[0][0]["callback_data"]
    assert data.startswith("~") and len(data.encode()) <= 64
    async with db.transaction() as session:
        stored = (await session.execute(select(TelegramCallback))).scalar_one()
    assert (stored.key, stored.payload) == (data[1:], payload)
    # The same payload again reuses the key, and marks it as recently sent (retention drops
    # only payloads no message has carried for RETENTION_DAYS).
    async with db.transaction() as session:
        await session.execute(
            update(TelegramCallback).values(created_at=clock.now() - timedelta(days=40))
        )
    await service.channel.deliver(str(CHAT), Reply("?", buttons=[[Button("Так", payload)]]))
    assert service.api.sent(CHAT)[1].inline_keyboard[0][0]["callback_data"] == data
    async with db.transaction() as session:
        again = (await session.execute(select(TelegramCallback))).scalar_one()
    assert again.created_at > clock.now() - timedelta(minutes=1)


async def test_share_requests_use_a_reply_keyboard_next_to_inline_buttons(
    service: Service,
) -> None:
    reply = Reply(
        "Надішліть геолокацію або оберіть район",
        buttons=[[Button("Центр", "district:centre")]],
        requests=[RequestButton("📍 Надіслати геолокацію", Request.LOCATION)],
    )
    assert (await service.channel.deliver(str(CHAT), reply)).ok
    first, second = service.api.sent(CHAT)
    assert first.labels == ["Центр"]
    assert second.text == "📍 Надіслати геолокацію"
    assert second.markup["keyboard"] == [
        [{"text": "📍 Надіслати геолокацію", "request_location": True}]
    ]
    assert second.markup["one_time_keyboard"] is True


async def test_phone_request_alone_and_keyboard_removal(service: Service) -> None:
    ask = Reply("Номер?", requests=[RequestButton("📞 Поділитися номером", Request.PHONE)])
    await service.channel.deliver(str(CHAT), ask)
    done = Reply("Дякуємо!", remove_keyboard=True)
    await service.channel.deliver(str(CHAT), done)
    first, second = service.api.sent(CHAT)
    assert first.markup["keyboard"][0][0]["request_contact"] is True
    assert second.markup == {"remove_keyboard": True}


async def test_locations_and_documents(service: Service) -> None:
    reply = Reply(
        "ЦНАП",
        location=Location(49.4216, 26.9965, title="ЦНАП", address="вул. Соборна, 16"),
        document=Document("schedule.csv", b"street;day\n", "text/csv"),
    )
    assert (await service.channel.deliver(str(CHAT), reply)).ok
    methods = [c.method for c in service.api.sent(CHAT)]
    assert methods == ["sendMessage", "sendVenue", "sendDocument"]
    venue, document = service.api.sent(CHAT)[1:]
    assert venue.params["address"] == "вул. Соборна, 16"
    upload = service.api.file(document, "document")
    assert upload is not None
    assert (upload.filename, upload.content) == ("schedule.csv", b"street;day\n")
    plain = Reply("Тут", location=Location(49.42, 26.98))
    await service.channel.deliver(str(CHAT), plain)
    assert service.api.sent(CHAT)[-1].method == "sendLocation"


# --- during a turn -----------------------------------------------------------------------
async def test_a_reply_waits_out_a_short_429_and_arrives_once(chat: Chat) -> None:
    await chat.onboard()
    chat.api.rate_limit("sendMessage", retry_after=1)
    await chat.send("/menu")
    assert [c.text for c in chat.seen] == ["Main menu. What are you interested in?"]
    statuses = [c.status for c in chat.api.calls_to("sendMessage")[-2:]]
    assert statuses == [429, 200]


async def test_a_transient_error_is_retried_without_duplicating_parts(chat: Chat) -> None:
    await chat.onboard()
    chat.api.fail("sendMessage", status=502, description="Bad Gateway")
    await chat.send("/help")
    assert len(chat.seen) == 2  # help text, then the current screen: each once
    assert "/help — this help" in chat.seen[0].text


async def test_a_resident_who_blocked_the_bot_is_marked_inactive(chat: Chat, db: Database) -> None:
    await chat.onboard()
    chat.api.block(chat.id)
    await chat.send("/menu")
    async with db.transaction() as session:
        row = (await session.execute(select(Resident))).scalar_one()
    assert row.is_active is False


async def test_when_the_pressed_message_cannot_be_edited_a_new_one_is_sent(chat: Chat) -> None:
    await chat.onboard()
    data = chat.api.last_message(chat.id).data_for("Settings")
    await chat.act(chat.user.press(data, message_id=999_999))  # unknown to "Telegram"
    assert chat.methods == ["sendMessage"]
    assert chat.seen[0].text == "Settings. Language: English."
    edits = chat.api.calls_to("editMessageText")
    assert edits[-1].status == 400


async def test_pressing_a_long_payload_button_reaches_the_screen(chat: Chat) -> None:
    long_payload = "pick:" + "x" * 80
    picked: list[str] = []

    async def render(turn: Turn) -> None:
        turn.say("Pick one", [[Button("Long one", long_payload)], turn.nav_row(back=False)])

    async def on_button(turn: Turn, payload: str) -> None:
        picked.append(payload)
        turn.say("Picked")

    chat.service.svoi.engine.registry.add_flow(
        Flow("services", {"start": Screen(render, on_button=on_button)})
    )
    await chat.onboard()
    await chat.press("City services")
    await chat.press("Long one")
    assert picked == [long_payload]
    assert chat.seen[0].text == "Picked"


async def test_an_unknown_stored_key_is_an_out_of_date_menu(chat: Chat) -> None:
    await chat.onboard()
    message = chat.api.last_message(chat.id)
    await chat.act(chat.user.press("~AAAAAAAAAAAAAAAA", chat.api.message_id_of(message)))
    assert "That menu is out of date" in chat.seen[0].text


async def test_the_response_model_of_a_send_is_built_once_not_per_call(service: Service) -> None:
    # aiogram validates answers with Response[Message]; pydantic caches it only weakly, so
    # unless the session keeps it, a garbage collection between two sends rebuilds it.
    assert (await service.channel.deliver(str(CHAT), Reply("Перше"))).ok
    built = weakref.ref(Response[Message])
    gc.collect()
    assert built() is not None
    assert (await service.channel.deliver(str(CHAT), Reply("Друге"))).ok
    assert Response[Message] is built()
