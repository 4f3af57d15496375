"""Sending to the fake Viber API: every answer Viber can give becomes the right
DeliveryResult, calls stay within Viber's sizes, broadcasts go in batches of 300, and the
webhook is registered at start-up."""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer, unused_port

from bot.app import Svoi, build_web_app, enabled_channels
from bot.channels.viber import ViberChannel
from bot.channels.viber.api import Timeouts
from bot.channels.viber.messages import BUTTON_PREFIX
from bot.config import Settings
from bot.core.messages import Button, LinkButton, Location, Reply, Request, RequestButton
from bot.core.ports import DeliveryStatus
from bot.delivery import broadcasts
from bot.delivery.broadcasts import Draft
from bot.delivery.limits import ScaledClock
from bot.delivery.service import DeliveryService
from storage.db import Database
from storage.repos.residents import ResidentRepo
from tests.channels.viber.client import ViberService, start_service
from tests.channels.viber.conftest import viber_settings
from tests.delivery.conftest import add_residents, eventually, fast_config, rows, settled
from tests.fakes.viber_api import FakeViberApi

USER = "pttm25kSGUo1919sBORWyA=="


async def test_a_plain_proactive_message_keeps_the_residents_keyboard(
    viber: ViberService,
) -> None:
    result = await viber.channel.deliver(USER, Reply("Завтра вивезення гілля."))
    assert result.status is DeliveryStatus.SENT
    [call] = viber.fake.sent_to(USER)
    assert result.message_id == str(call.message_token)
    assert call.payload == {
        "type": "text",
        "text": "Завтра вивезення гілля.",
        "receiver": USER,
        "sender": {"name": "Свої"},
    }


async def test_buttons_links_and_requests_become_a_valid_keyboard(viber: ViberService) -> None:
    reply = Reply(
        "Нагадування",
        buttons=[
            [Button("🔕 Вимкнути", "g:mute:waste"), Button("Ок", "g:menu")],
            [LinkButton("Сайт", "https://khm.gov.ua/")],
        ],
        requests=[RequestButton("📍 Надіслати геолокацію", Request.LOCATION)],
        location=Location(49.4216, 26.9965, "ЦНАП"),
    )
    result = await viber.channel.deliver(USER, reply)
    assert result.ok
    assert viber.fake.rejected == []
    text, location = viber.fake.sent_to(USER)
    assert location.payload["type"] == "location"
    assert location.payload["location"] == {"lat": 49.4216, "lon": 26.9965}
    assert text.payload["min_api_version"] == 4
    kinds = [(b["ActionType"], b["Columns"], b["ActionBody"]) for b in text.buttons]
    assert kinds == [
        ("location-picker", 6, "location"),
        ("reply", 3, BUTTON_PREFIX + "g:mute:waste"),
        ("reply", 3, BUTTON_PREFIX + "g:menu"),
        ("open-url", 6, "https://khm.gov.ua/"),
        # The persistent menu under a proactive message's own buttons: a way out.
        ("reply", 3, BUTTON_PREFIX + "g:menu"),
        ("reply", 3, "svoi:c:help"),
    ]
    assert text.labels[-2:] == ["🏠 Меню", "❓ Довідка"]


async def test_long_texts_are_split_within_7000_characters_and_30_kb(
    viber: ViberService,
) -> None:
    text = "\n\n".join(["Хмельницький 🌳" * 40] * 40)  # 24,000 characters, many 4-byte
    result = await viber.channel.deliver(USER, Reply(text, buttons=[[Button("Ок", "ok")]]))
    assert result.ok
    calls = viber.fake.sent_to(USER)
    assert viber.fake.rejected == []
    assert len(calls) >= 4
    assert "\n\n".join(c.text for c in calls) == text
    assert all(c.buttons for c in calls)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (5, DeliveryStatus.GONE),
        (6, DeliveryStatus.GONE),
        (12, DeliveryStatus.RATE_LIMITED),
        (3, DeliveryStatus.PERMANENT),
        (13, DeliveryStatus.PERMANENT),
        (99, DeliveryStatus.TRANSIENT),
    ],
)
async def test_viber_statuses_are_classified(
    viber: ViberService, status: int, expected: DeliveryStatus
) -> None:
    viber.fake.fail_next(status)
    result = await viber.channel.deliver(USER, Reply("Привіт"))
    assert result.status is expected
    assert f"viber status {status}" in (result.error or "")
    if expected is DeliveryStatus.RATE_LIMITED:
        assert result.retry_after is not None and result.retry_after > 0
    assert viber.channel.healthy
    assert (await viber.channel.deliver(USER, Reply("Привіт"))).ok  # only that call failed


async def test_an_unsubscribed_receiver_is_gone(viber: ViberService) -> None:
    viber.fake.gone(USER)
    result = await viber.channel.deliver(USER, Reply("Привіт"))
    assert result.status is DeliveryStatus.GONE


@pytest.mark.parametrize("status", [2, 7, 8, 9, 10])
async def test_configuration_errors_raise_the_health_flag_until_viber_answers_again(
    viber: ViberService, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    viber.fake.fail_next(status)
    with caplog.at_level(logging.ERROR, logger="bot.channels.viber.channel"):
        result = await viber.channel.deliver(USER, Reply("Привіт"))
    assert result.status is DeliveryStatus.CONFIG
    assert not viber.channel.healthy
    assert viber.channel.health()["viber"].startswith("config: viber status")
    assert "Viber configuration error on send_message" in caplog.text
    assert "VIBER_AUTH_TOKEN" in caplog.text
    async with viber.http.get(str(viber.server.make_url("/readyz"))) as response:
        ready = await response.json()
    assert response.status == 200 and ready["channels"]["viber"].startswith("config: ")
    assert (await viber.channel.deliver(USER, Reply("Привіт"))).ok
    assert viber.channel.healthy
    async with viber.http.get(str(viber.server.make_url("/readyz"))) as response:
        assert (await response.json())["channels"]["viber"] == "ok"


async def test_the_token_goes_in_the_header(
    settings: Settings, db: Database, fake_viber: FakeViberApi
) -> None:
    wrong = viber_settings(settings, fake_viber, auth_token="not-the-bots-token")
    service = await start_service(wrong, db, fake_viber)
    try:
        result = await service.channel.deliver(USER, Reply("Привіт"))
    finally:
        await service.close()
    assert result.status is DeliveryStatus.CONFIG
    assert fake_viber.calls[0].error == "wrong or missing X-Viber-Auth-Token"
    assert "auth_token" not in fake_viber.calls[0].payload


async def test_http_and_connection_failures_are_transient(
    viber: ViberService, settings: Settings, db: Database, fake_viber: FakeViberApi
) -> None:
    viber.fake.http_error_next(502)
    assert (await viber.channel.deliver(USER, Reply("Привіт"))).status is DeliveryStatus.TRANSIENT

    closed = FakeViberApi()
    await closed.start()
    await closed.close()  # nothing listens on its port any more
    svoi = Svoi.create(viber_settings(settings, closed), db)
    channel = ViberChannel(svoi, web.Application())
    try:
        result = await channel.deliver(USER, Reply("Привіт"))
    finally:
        await channel.stop()
    assert result.status is DeliveryStatus.TRANSIENT
    assert "Connect" in (result.error or "")


async def test_a_read_timeout_after_sending_is_unknown(
    settings: Settings, db: Database, fake_viber: FakeViberApi
) -> None:
    service = await start_service(
        viber_settings(settings, fake_viber),
        db,
        fake_viber,
        timeouts=Timeouts(connect=2, read=0.2, total=5),
    )
    fake_viber.delay = 1.0
    try:
        result = await service.channel.deliver(USER, Reply("Привіт"))
    finally:
        await service.close()
    assert result.status is DeliveryStatus.UNKNOWN
    assert result.message_id is None


async def test_broadcast_goes_in_batches_of_300_with_per_receiver_results(
    settings: Settings, db: Database, fake_viber: FakeViberApi
) -> None:
    service = await start_service(
        viber_settings(settings, fake_viber, broadcast_enabled=True), db, fake_viber
    )
    users = [f"user-{n:04d}==" for n in range(650)]
    fake_viber.gone(users[10])
    fake_viber.gone(users[640], status=5)
    try:
        results = await service.channel.broadcast(
            users, Reply("Новини плану", buttons=[[Button("Детальніше", "g:plan:c1")]]), locale="en"
        )
    finally:
        await service.close()
    calls = fake_viber.calls_to("broadcast_message")
    assert [len(c.payload["broadcast_list"]) for c in calls] == [300, 300, 50]
    assert fake_viber.rejected == []
    assert calls[0].labels == ["Детальніше", "🏠 Menu", "❓ Help"]
    assert set(results) == set(users)
    assert results[users[10]].status is DeliveryStatus.GONE
    assert results[users[640]].status is DeliveryStatus.GONE
    sent = [u for u, r in results.items() if r.ok]
    assert len(sent) == 648
    assert results[users[0]].message_id == str(calls[0].message_token)
    assert results[users[649]].message_id == str(calls[2].message_token)


async def test_broadcast_needs_to_be_enabled(viber: ViberService) -> None:
    results = await viber.channel.broadcast(["a==", "b=="], Reply("Новини"))
    assert {r.status for r in results.values()} == {DeliveryStatus.CONFIG}
    assert viber.fake.calls == []


async def test_start_registers_the_webhook_which_viber_then_checks(
    settings: Settings, db: Database, fake_viber: FakeViberApi
) -> None:
    port = unused_port()
    url = f"http://127.0.0.1:{port}/webhook/viber"
    svoi = Svoi.create(viber_settings(settings, fake_viber, webhook_url=url), db)
    app = build_web_app(svoi)
    [channel] = [c for c in enabled_channels(svoi, app) if c.name == "viber"]
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    try:
        await channel.start()
    finally:
        await channel.stop()
        await server.close()
    [call] = fake_viber.calls_to("set_webhook")
    assert call.status == 0 and call.error is None  # our webhook answered Viber's signed check
    assert call.payload["url"] == url
    assert set(call.payload["event_types"]) >= {"conversation_started", "delivered", "failed"}
    assert fake_viber.webhook_url == url
    assert "viber" in svoi.channels


async def test_a_broadcast_goes_through_broadcast_message_in_each_residents_language(
    settings: Settings, db: Database, fake_viber: FakeViberApi
) -> None:
    # The real sender and the real Viber channel: 650 residents in two languages, one who
    # unsubscribed, and a first call that Viber answers "too many requests" (status 12).
    service = await start_service(
        viber_settings(settings, fake_viber, broadcast_enabled=True), db, fake_viber
    )
    svoi = service.svoi
    await add_residents(svoi, 400, channel="viber", locale="uk", prefix="uk-")
    await add_residents(svoi, 250, channel="viber", locale="en", prefix="en-")
    fake_viber.gone("uk-7")
    fake_viber.fail_next(12, endpoint="broadcast_message")
    async with svoi.db.transaction() as session:
        draft = Draft("Новини плану", link_label="Деталі", link_url="https://khm.gov.ua/news")
        created = await broadcasts.create(session, draft, author=None)
        assert await broadcasts.start(session, created.id, ["viber"]) == 650
    # Status 12 pauses the token for a minute; a compressed clock keeps the test short.
    config = fast_config(broadcast_batch=300, concurrency=300)
    delivery = DeliveryService(svoi, configs={"viber": config}, clock=ScaledClock(200))
    await delivery.start()
    try:
        await eventually(lambda: settled(svoi))
    finally:
        await delivery.stop()
        await service.close()

    calls = fake_viber.calls_to("broadcast_message")
    assert calls[0].status == 12
    assert all(1 <= len(c.payload["broadcast_list"]) <= 300 for c in calls)
    assert fake_viber.rejected == []
    received = [u for c in fake_viber.accepted for u in c.payload["broadcast_list"]]
    assert len(received) == len(set(received)) == 650  # uk-7 is in a list; Viber refuses it
    by_language = {c.payload["broadcast_list"][0][:2]: c for c in fake_viber.accepted}
    assert set(by_language) == {"uk", "en"}
    for call in fake_viber.accepted:
        language = call.payload["broadcast_list"][0][:2]
        assert {u[:2] for u in call.payload["broadcast_list"]} == {language}
    assert by_language["en"].labels[:2] == ["Деталі", "🔕 Stop these messages"]
    assert "🏠 Menu" in by_language["en"].labels
    assert by_language["uk"].labels[:2] == ["Деталі", "🔕 Вимкнути такі повідомлення"]
    outcome = Counter(row.status for row in await rows(svoi))
    assert outcome == {"sent": 649, "skipped": 1}
    async with svoi.db.transaction() as session:
        gone = await ResidentRepo(session).get("viber", "uk-7")
        assert gone is not None and not gone.is_active
