"""Signed Viber callbacks of every type posted to the running service over HTTP: what the
resident sees (the welcome body, the send_message calls) and what the database keeps."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.channels.viber.messages import BUTTON_PREFIX
from bot.config import Settings
from bot.core.dialog import Turn
from storage.db import Database
from storage.models import InboundEvent, Resident
from storage.models.viber import ViberMessageStatus
from tests.channels.viber.client import ViberResident, ViberService, start_service
from tests.channels.viber.conftest import viber_settings
from tests.fakes.viber_api import Callbacks, FakeViberApi, check_message, encode, sign


async def _count(service: ViberService, model: type) -> int:
    async with service.svoi.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_conversation_started_answers_the_welcome_with_the_language_keyboard(
    viber: ViberService,
) -> None:
    resident = ViberResident.on(viber, "01234567890A=")
    welcome = await resident.open()

    assert check_message(welcome) is None
    assert welcome["type"] == "text"
    assert welcome["sender"] == {"name": "Свої"}
    assert "Оберіть мову / Choose your language" in welcome["text"]
    assert welcome["min_api_version"] == 4
    buttons = welcome["keyboard"]["Buttons"]
    assert [b["Text"] for b in buttons] == ["Українська", "English"]
    assert [b["Columns"] for b in buttons] == [3, 3]
    assert all(b["ActionType"] == "reply" and b["Silent"] is True for b in buttons)
    assert [b["ActionBody"] for b in buttons] == [f"{BUTTON_PREFIX}lang:{c}" for c in ("uk", "en")]
    # Before subscribing only the welcome is allowed: nothing went out with send_message.
    assert viber.fake.calls == []

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
    # Every message of the turn carries the turn's keyboard, and Viber accepted all of them.
    assert all(m["keyboard"]["Buttons"] == resident.keyboard for m in resident.last)
    assert viber.fake.rejected == []


async def test_a_returning_resident_gets_one_welcome_with_the_menu(viber: ViberService) -> None:
    resident = ViberResident.on(viber, "returning==")
    await resident.onboard("uk")
    welcome = await resident.open(subscribed=True)
    assert "З поверненням до «Своїх»!\n\nГоловне меню" in welcome["text"]
    assert [b["Text"] for b in welcome["keyboard"]["Buttons"]] == [
        "📋 План і відгуки",
        "🏛 Міські послуги",
        "♻️ Вивезення відходів",
        "📰 Новини і прогрес",
        "⚙️ Налаштування",
        "📷 Повідомити про проблему",
        "💬 Поговорити з людиною",
    ]
    await resident.press("Налаштування")
    assert "Налаштування. Мова: Українська." in resident.text


async def test_the_deep_link_context_survives_onboarding(viber: ViberService) -> None:
    opened: list[str] = []

    async def open_commitment(turn: Turn, payload: str) -> bool:
        opened.append(payload)
        turn.say(f"commitment {payload}")
        return True

    viber.svoi.engine.registry.add_deep_link("c", open_commitment)
    resident = ViberResident.on(viber, "deeplink==")
    welcome = await resident.open(context="c2")
    assert "Оберіть мову" in welcome["text"]
    await resident.press("English")
    assert opened == ["c2"]
    assert "commitment c2" in resident.text

    welcome = await resident.open(context="c3", subscribed=True)
    assert welcome["text"] == "commitment c3"
    # The turn offered no buttons: the persistent menu replaces the stale keyboard.
    assert [b["Text"] for b in welcome["keyboard"]["Buttons"]] == ["🏠 Menu", "❓ Help"]


async def test_altered_or_unsigned_callbacks_are_refused_without_effect(
    viber: ViberService,
) -> None:
    body = encode(Callbacks("intruder==").text("/start"))
    good = sign(body)
    altered = bytearray(body)
    altered[body.index(b"/start") + 1] = ord("S")

    assert (await viber.post_raw(bytes(altered), good)).status == 403
    assert (await viber.post_raw(body, None)).status == 403
    assert (await viber.post_raw(body, "")).status == 403
    assert (await viber.post_raw(body, sign(body, "another-bots-token"))).status == 403
    assert (await viber.post_raw(body, good.upper() + "00")).status == 403

    assert await _count(viber, InboundEvent) == 0
    assert await _count(viber, Resident) == 0
    assert viber.fake.calls == []

    assert (await viber.post_raw(body, good)).status == 200  # the same body, signed: accepted
    assert await _count(viber, Resident) == 1


async def test_the_same_message_token_twice_has_one_effect(viber: ViberService) -> None:
    resident = ViberResident.on(viber, "dupe==")
    await resident.onboard("en")
    callback = resident.user.text(BUTTON_PREFIX + "open:settings")

    await resident.post(callback)
    assert "Settings. Language: English." in resident.text
    sent = len(viber.fake.sent_to(resident.user_id))

    await resident.post(callback)  # Viber retries: answered 200, not run again
    assert resident.last == []
    assert len(viber.fake.sent_to(resident.user_id)) == sent


async def test_a_callback_recorded_before_a_crash_runs_on_vibers_retry(
    viber: ViberService,
) -> None:
    resident = ViberResident.on(viber, "crash==")
    await resident.onboard("en")
    callback = resident.user.text("/help")
    # The instance that took the first delivery recorded it, then died before the turn.
    token = str(callback["message_token"])
    assert await viber.svoi.engine.record_event("viber", token, encode(callback).decode())

    await resident.post(callback)  # Viber got no 200 and retries
    assert "/cancel — cancel the current action" in resident.text
    await resident.post(callback)
    assert resident.last == []


async def test_concurrent_deliveries_of_one_callback_have_one_effect(viber: ViberService) -> None:
    resident = ViberResident.on(viber, "concurrent==")
    await resident.onboard("en")
    callback = resident.user.text("/help")
    before = len(viber.fake.sent_to(resident.user_id))

    posted = await asyncio.gather(*(viber.post(callback) for _ in range(6)))
    assert [p.status for p in posted] == [200] * 6
    answers = viber.fake.sent_to(resident.user_id)[before:]
    assert sum("/cancel" in call.text for call in answers) == 1
    async with viber.svoi.db.transaction() as session:
        events = (
            await session.execute(
                select(func.count())
                .select_from(InboundEvent)
                .where(InboundEvent.event_id == str(callback["message_token"]))
            )
        ).scalar_one()
    assert events == 1


async def test_unsubscribed_and_subscribed_switch_the_resident_off_and_on(
    viber: ViberService,
) -> None:
    resident = ViberResident.on(viber, "leaving==")
    await resident.onboard("uk")

    async def active() -> bool:
        async with viber.svoi.db.transaction() as session:
            row = (
                await session.execute(select(Resident).where(Resident.user_id == "leaving=="))
            ).scalar_one()
            return row.is_active

    await resident.post(resident.user.unsubscribed())
    assert resident.last == []
    assert await active() is False
    await resident.post(resident.user.subscribed())
    assert resident.last == []
    assert await active() is True


async def test_locations_contacts_and_media_get_their_answers(viber: ViberService) -> None:
    resident = ViberResident.on(viber, "media==", language="en")
    await resident.onboard("en")
    await resident.share_location(49.4216, 26.9965)
    assert "isn't needed right now" in resident.text
    await resident.share_contact("+380501234567")
    assert "a contact isn't needed right now" in resident.text
    for kind in ("sticker", "video", "url"):
        await resident.send_media(kind)
        assert "For now we understand text, buttons" in resident.text, kind
    for kind in ("picture", "file"):  # photos are taken where a screen asks for one
        await resident.send_media(kind)
        assert "Thank you for the photo, but it isn't needed right now" in resident.text, kind
    assert viber.fake.media_requests == []  # nothing was fetched for it
    assert viber.fake.rejected == []


async def test_delivery_callbacks_keep_the_furthest_status(viber: ViberService) -> None:
    resident = ViberResident.on(viber, "status==")
    await resident.onboard("uk")
    token = viber.fake.sent_to(resident.user_id)[-1].message_token
    assert token is not None
    calls, events = len(viber.fake.calls), await _count(viber, InboundEvent)

    for callback in (
        resident.user.seen(token),
        resident.user.delivered(token),  # late: must not move "seen" back
        resident.user.seen(token),
        resident.user.failed(token + 1, "receiver has no suitable device"),
    ):
        assert (await viber.post(callback)).status == 200

    async with viber.svoi.db.transaction() as session:
        result = await session.execute(select(ViberMessageStatus))
        rows = {r.message_token: r for r in result.scalars()}
    assert rows[str(token)].status == "seen"
    assert rows[str(token)].user_id == "status=="
    assert rows[str(token + 1)].status == "failed"
    assert rows[str(token + 1)].error == "receiver has no suitable device"
    # Status callbacks are not conversation turns: nothing was sent, nothing joined the inbox.
    assert len(viber.fake.calls) == calls
    assert await _count(viber, InboundEvent) == events


async def test_the_webhook_check_and_unknown_events_are_acknowledged(viber: ViberService) -> None:
    check = {"event": "webhook", "timestamp": 1_457_764_197_627, "message_token": 241256543215}
    assert (await viber.post(check)).status == 200
    assert (await viber.post({"event": "client_status", "timestamp": 1})).status == 200
    assert await _count(viber, InboundEvent) == 0


async def test_a_signed_body_that_is_not_a_callback_is_a_bad_request(viber: ViberService) -> None:
    for body in (b"not json", b"[]", encode({"event": "message", "timestamp": 1})):
        assert (await viber.post_raw(body, sign(body))).status == 400
    assert await _count(viber, InboundEvent) == 0


async def test_a_database_that_is_down_answers_503_so_viber_retries(
    settings: Settings, fake_viber: FakeViberApi
) -> None:
    down = Database("postgresql+asyncpg://postgres@127.0.0.1:1/svoi")  # nothing listens there
    service = await start_service(viber_settings(settings, fake_viber), down, fake_viber)
    try:
        posted = await service.post(Callbacks("patient==").text("/start"))
        status = await service.post(Callbacks("patient==").delivered(5_409_318_127_644_810_000))
    finally:
        await service.close()
        await down.dispose()
    assert posted.status == 503
    assert status.status == 503
    assert fake_viber.calls == []
