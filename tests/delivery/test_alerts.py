"""Air-raid alerts: while an alert is active for the region, residents get no reminders,
progress updates or non-urgent broadcasts; urgent broadcasts and answers to their own
questions go at once; after the all-clear the held ones follow (a reminder only while
still relevant). The alert comes from a fake alerts.in.ua server on 127.0.0.1 or from an
operator's switch in the chat or on the console; a failing feed lets sending go on and
/readyz says so. Both databases; waits have deadlines, nothing is timed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import select

from bot import metrics
from bot.app import Svoi, build_web_app
from bot.core.actions import Actor
from bot.delivery import alerts
from bot.delivery.service import DeliveryService
from storage import clock
from storage.models.access import AuditEntry
from storage.repos.delivery import AlertRepo, AlertState
from tests.conftest import OPERATOR
from tests.delivery.conftest import add_residents, eventually, note, put, rows, settled
from tests.delivery.fake_platform import FakePlatform
from tests.fakes.alerts_api import KHMELNYTSKA_OBLAST, FakeAlertsAPI
from tests.support.conversation import Resident as Chat
from tests.web.conftest import VIEWER, add_account, csrf_of, login, start_web, stop_web

Start = Callable[..., Awaitable[DeliveryService]]
OPERATOR_ACTOR = Actor(f"{OPERATOR[0]}:{OPERATOR[1]}", "operator")


@pytest.fixture
async def alerts_api() -> AsyncIterator[FakeAlertsAPI]:
    api = await FakeAlertsAPI().start()
    yield api
    await api.close()


def with_feed(svoi: Svoi, api: FakeAlertsAPI, **more: Any) -> None:
    """Settings as a deployment with ALERTS_API_TOKEN has them, pointed at the fake."""
    svoi.settings = svoi.settings.model_copy(
        update={
            "alerts_api_token": SecretStr(api.token),
            "alerts_api_base": api.url,
            "alerts_poll_seconds": 0.05,
            **more,
        }
    )


def holding(service: DeliveryService) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return service.alerts.holding(clock.now())

    return check


def not_holding(service: DeliveryService) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return not service.alerts.holding(clock.now())

    return check


async def status_of(svoi: Svoi) -> dict[str, str]:
    return {row.user_id: row.status for row in await rows(svoi)}


def sent(svoi: Svoi, *user_ids: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        found = await status_of(svoi)
        return all(found.get(user_id) == "sent" for user_id in user_ids)

    return check


async def state(svoi: Svoi) -> AlertState | None:
    async with svoi.db.transaction() as session:
        return await AlertRepo(session).get(svoi.settings.alerts_region)


async def operator_switch(svoi: Svoi, active: bool) -> None:
    async with svoi.db.transaction() as session:
        await alerts.switch(
            session, svoi.settings.alerts_region, active, OPERATOR_ACTOR, clock.now()
        )


async def audit(svoi: Svoi, action: str) -> list[AuditEntry]:
    async with svoi.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list((await session.execute(query)).scalars())


async def test_during_an_alert_from_alerts_in_ua_the_reminder_and_update_wait_the_urgent_news_and_answer_go_and_the_all_clear_releases_them(  # noqa: E501
    wired: Svoi, platform: FakePlatform, start_delivery: Start, alerts_api: FakeAlertsAPI
) -> None:
    alerts_api.alert(KHMELNYTSKA_OBLAST, "A")
    with_feed(wired, alerts_api)
    service = await start_delivery()
    await eventually(holding(service))

    olena, taras, iryna, petro = await add_residents(wired, 4)
    # Olena's waste reminder (urgent only so that quiet hours let her chosen hour through)
    # and Taras's commitment update are due first ...
    await put(
        wired,
        [
            note(olena, "reminder", kind="waste_reminder", urgent=True, category="waste"),
            note(taras, "update", kind="plan-update", category="plan:c1"),
        ],
    )
    # ... then the answer to Iryna's question and the city's urgent broadcast.
    await put(
        wired,
        [
            note(iryna, "answer", kind="question-answer"),
            note(petro, "shelter", kind="broadcast", urgent=True, priority=10),
        ],
    )
    await eventually(sent(wired, iryna.user_id, petro.user_id))

    # The sender claimed past the reminder and the update, which sort first: they wait.
    assert platform.delivered_to(olena.user_id) == []
    assert platform.delivered_to(taras.user_id) == []
    statuses = await status_of(wired)
    assert statuses[olena.user_id] == statuses[taras.user_id] == "pending"
    current = await state(wired)
    assert current is not None and current.active and current.source == alerts.ALERT_API

    alerts_api.all_clear()
    await eventually(lambda: settled(wired))
    assert set((await status_of(wired)).values()) == {"sent"}
    assert [a.text for a in platform.delivered_to(olena.user_id)] == [
        f"reminder for {olena.user_id}"
    ]
    assert len(platform.delivered_to(taras.user_id)) == 1
    assert not service.alerts.holding(clock.now())


async def test_after_a_long_alert_a_reminder_no_longer_relevant_is_dropped_and_the_update_still_goes(  # noqa: E501
    wired: Svoi, platform: FakePlatform, start_delivery: Start, test_clock: clock.SetClock
) -> None:
    service = await start_delivery()  # no ALERTS_API_TOKEN: the operators' switch alone
    await operator_switch(wired, True)
    await eventually(holding(service))
    olena, taras = await add_residents(wired, 2)
    await put(
        wired,
        [
            note(olena, "reminder", kind="waste_reminder", urgent=True, category="waste"),
            note(taras, "update", kind="plan-update"),
        ],
    )

    test_clock.advance(timedelta(hours=3))  # a long night alert, past the reminder's use
    await operator_switch(wired, False)
    await eventually(lambda: settled(wired))

    outbox = {row.user_id: row for row in await rows(wired)}
    assert outbox[olena.user_id].status == "skipped" and outbox[olena.user_id].error == "stale"
    assert outbox[taras.user_id].status == "sent"
    assert platform.delivered_to(olena.user_id) == []


async def test_an_operator_declares_the_alert_and_the_all_clear_in_the_chat_and_a_resident_cannot(
    wired: Svoi, platform: FakePlatform, start_delivery: Start
) -> None:
    service = await start_delivery()
    operator = Chat.on(wired.engine, user_id=OPERATOR[1])
    await operator.onboard("uk")
    await operator.send("/alert")
    assert "Тривоги немає" in operator.text
    assert {"🚨 Тривога", "✅ Відбій"} <= set(operator.labels)

    await operator.press("🚨 Тривога")
    assert "Тривогу оголошено" in operator.text
    current = await state(wired)
    assert current is not None and current.active and current.source == alerts.ALERT_OPERATOR
    await eventually(holding(service))

    # A resident tries both ways: refused politely, nothing changes, and it is audited.
    mykola = Chat.on(wired.engine, user_id="mykola")
    await mykola.onboard("uk")
    await mykola.send("/alert off")
    assert "лише робочій групі" in mykola.text
    await mykola.press_payload("g:alert:off")
    assert "лише робочій групі" in mykola.text
    assert (current := await state(wired)) is not None and current.active
    refused = await audit(wired, "alert")
    assert [(e.actor, e.outcome) for e in refused] == [("test:mykola", "refused")] * 2

    # While it lasts, Olena's plan update waits and the answer to Ivan goes.
    olena, ivan = await add_residents(wired, 2)
    await put(wired, [note(olena, "update", kind="plan-update")])
    await put(wired, [note(ivan, "answer", kind="plan-answer")])
    await eventually(sent(wired, ivan.user_id))
    assert (await status_of(wired))[olena.user_id] == "pending"

    await operator.send("/alert відбій")
    assert "Відбій" in operator.text
    await eventually(sent(wired, olena.user_id))
    await operator.send("/alert off")
    assert "Тривоги й так немає" in operator.text
    switched = [(e.action, e.outcome) for e in await audit(wired, "alert-on")]
    switched += [(e.action, e.outcome) for e in await audit(wired, "alert-off")]
    assert switched == [("alert-on", "done"), ("alert-off", "done"), ("alert-off", "unchanged")]


async def test_an_operator_switches_the_alert_on_the_console_and_a_viewer_cannot(
    svoi: Svoi,
) -> None:
    svoi.settings = svoi.settings.model_copy(
        update={"web_secret_key": SecretStr("test-web-secret-0123456789abcdef")}
    )
    web = await start_web(svoi)
    monitor = alerts.AlertMonitor(svoi.db, svoi.settings.alerts_region)
    try:
        account = f"{OPERATOR[0]}:{OPERATOR[1]}"
        await add_account(svoi, account, "operator")
        assert (await login(web.client, account)).status == 303
        page = await web.client.get("/admin/alerts")
        assert page.status == 200 and "Тривоги немає" in await page.text()
        token = await csrf_of(web.client, "/admin/alerts")

        on = await web.client.post(
            "/admin/alerts", data={"csrf": token, "action": "on"}, allow_redirects=False
        )
        assert on.status == 303
        page = await web.client.get("/admin/alerts")
        assert 'data-active="yes"' in await page.text()
        await monitor.refresh()
        assert monitor.holding(clock.now())

        off = await web.client.post(
            "/admin/alerts", data={"csrf": token, "action": "off"}, allow_redirects=False
        )
        assert off.status == 303
        await monitor.refresh()
        assert not monitor.holding(clock.now())
        [entry] = await audit(svoi, "alert-on")
        assert entry.actor == account and entry.details.get("via") == "web"

        # A viewer sees neither the page nor the switch.
        await web.client.post("/admin/logout", data={"csrf": token}, allow_redirects=False)
        await add_account(svoi, VIEWER, "viewer")
        assert (await login(web.client, VIEWER)).status == 303
        assert (await web.client.get("/admin/alerts", allow_redirects=False)).status == 403
        refused = await web.client.post(
            "/admin/alerts", data={"csrf": "x", "action": "on"}, allow_redirects=False
        )
        assert refused.status == 403
        await monitor.refresh()
        assert not monitor.holding(clock.now())
    finally:
        await stop_web(web)


async def test_when_the_alerts_feed_fails_notifications_go_out_and_readyz_says_degraded(
    wired: Svoi, platform: FakePlatform, start_delivery: Start, alerts_api: FakeAlertsAPI
) -> None:
    alerts_api.alert()
    with_feed(wired, alerts_api, alerts_stale_seconds=1.0)
    service = await start_delivery()
    await eventually(holding(service))
    client: TestClient[Any, Any] = TestClient(TestServer(build_web_app(wired), host="127.0.0.1"))
    await client.start_server()
    try:
        ready = await client.get("/readyz")
        assert ready.status == 200 and (await ready.json())["alerts"] == "ok"
        [olena] = await add_residents(wired, 1)
        await put(wired, [note(olena, "update", kind="plan-update")])
        errors_before = metrics.ALERT_FEED_ERRORS._value.get()

        alerts_api.failing = 500

        async def degraded() -> bool:
            response = await client.get("/readyz")
            body = await response.json()
            return response.status == 200 and body["alerts"] == "degraded"

        await eventually(degraded)
        # Fail open: the alert is no longer confirmed, so Olena's update goes out.
        await eventually(sent(wired, olena.user_id))
        assert metrics.ALERT_FEED_ERRORS._value.get() > errors_before
        assert (await client.get("/readyz")).status == 200

        alerts_api.failing = None  # the feed answers again, still reporting the alert
        await eventually(holding(service))
        assert (await (await client.get("/readyz")).json())["alerts"] == "ok"
    finally:
        await client.close()


async def test_the_feed_ends_an_operators_alert_only_by_a_change_of_its_own(
    svoi: Svoi, alerts_api: FakeAlertsAPI
) -> None:
    region = svoi.settings.alerts_region
    monitor = alerts.AlertMonitor(svoi.db, region)
    feed = alerts.AlertFeed(
        svoi.db, alerts.AlertsClient(alerts_api.url, alerts_api.token), region, monitor=monitor
    )
    try:
        await operator_switch(svoi, True)
        assert await feed.poll() is False  # the feed's first reading: no alert ...
        assert monitor.holding(clock.now())  # ... does not overrule the operator
        alerts_api.alert(region, "P")  # part of the oblast: counts (ALERTS_COUNT_PARTLY)
        assert await feed.poll() is True
        alerts_api.all_clear(region)
        assert await feed.poll() is False  # the feed's own all-clear ends the alert
        assert not monitor.holding(clock.now())
        current = await state(svoi)
        assert current is not None and current.source == alerts.ALERT_API

        wrong = alerts.AlertsClient(alerts_api.url, "not-the-token")
        with pytest.raises(alerts.FeedError, match="HTTP 401"):
            await wrong.status(region)
        await wrong.close()
    finally:
        await feed.client.close()
