"""What the city's IT staff watch must be true (issue 23).

- The table in docs/operations.md and the registry in bot/metrics.py name the same metrics
  with the same labels (the test reads the table).
- One scenario per metric — turns, a failing turn, a redelivered update at the Telegram
  webhook and at the engine, a flood, outbox sends that succeed, are blocked (403), fail
  (500) and meet a 429, an abandoned claim given back, a running broadcast, an air-raid
  alert and a failing alerts feed, a scheduler tick — and every metric of the table
  changes on the real /metrics.
- The shipped alert "notifications are not going out" (deploy/prometheus/rules.yml) fires
  against two real /metrics scrapes when the sender cannot reach the platform, and stays
  quiet when it can: its expression is evaluated by a small evaluator of the PromQL subset
  it uses and, where promtool is installed, by Prometheus's own `promtool test rules`.
- /metrics costs one grouped count per scrape and refuses requests relayed from outside.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import event, update

from bot import metrics, scheduler
from bot.app import Svoi, build_web_app
from bot.config import Settings
from bot.core.actions import CLI
from bot.core.dialog import Flow, Screen, Turn
from bot.delivery import alerts, broadcasts
from bot.delivery.broadcasts import LANGUAGE, Audience, Draft
from bot.delivery.service import DeliveryService
from storage import clock
from storage.db import Database
from storage.models import OutboxMessage
from tests.channels.telegram.conftest import Chat, start_service, stop_service
from tests.delivery.conftest import add_residents, eventually, fast_config, note, put, rows
from tests.delivery.fake_platform import FakePlatform
from tests.delivery.http_adapter import FakePlatformAdapter
from tests.fakes.alerts_api import FakeAlertsAPI
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.clock import TEST_START
from tests.support.conversation import Resident
from tests.support.telegram import telegram_settings

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ROOT / "docs" / "operations.md"
RULES = ROOT / "deploy" / "prometheus" / "rules.yml"
NOT_GOING_OUT = "SvoiNotificationsNotGoingOut"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


# --- the documented table and the registry --------------------------------------------
@dataclass(frozen=True)
class Documented:
    name: str  # as scraped: counters with `_total`
    labels: frozenset[str]
    histogram: bool


def documented() -> list[Documented]:
    """The rows of the metrics table in docs/operations.md."""
    text = OPERATIONS.read_text(encoding="utf-8")
    table = text.split("| Metric | Meaning |", 1)[1].split("\n\n", 1)[0]
    found = []
    for line in table.splitlines()[2:]:
        cell = line.split("|")[1]
        match = re.match(r"\s*`(svoi_[a-z_]+)(?:\{([a-z_,]+)\})?`(.*)", cell)
        assert match, line
        name, labels, rest = match.groups()
        found.append(
            Documented(name, frozenset((labels or "").split(",")) - {""}, "histogram" in rest)
        )
    return found


def registered() -> dict[str, tuple[frozenset[str], bool]]:
    found = {}
    for metric in metrics.REGISTRY._names_to_collectors.values():
        name = metric._name  # type: ignore[attr-defined]
        kind = metric._type  # type: ignore[attr-defined]
        labels = frozenset(metric._labelnames)  # type: ignore[attr-defined]
        scraped = name + "_total" if kind == "counter" else name
        found[scraped] = (labels, kind == "histogram")
    return found


def test_the_documented_table_is_the_registry() -> None:
    table = {row.name: (row.labels, row.histogram) for row in documented()}
    assert table == registered()


# --- scraping --------------------------------------------------------------------------
def parse(exposition: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


async def scrape(client: TestClient[Any, Any]) -> Samples:
    response = await client.get("/metrics")
    assert response.status == 200
    return parse(await response.text())


def moved(before: Samples, after: Samples, row: Documented) -> bool:
    name = row.name + "_count" if row.histogram else row.name
    return any(
        sample == name and before.get((sample, labels)) != value
        for (sample, labels), value in after.items()
    )


# --- every documented metric moves ---------------------------------------------------------
async def broken(turn: Turn) -> None:
    raise RuntimeError("a bug in a step")


async def test_every_documented_metric_moves(
    db_url: str, db: Database, test_clock: clock.SetClock
) -> None:
    api = FakeTelegramAPI()
    await api.start()
    platform = FakePlatform(script={"f2": ["500", "500"], "f3": ["429"]}, blocked={"f1"})
    await platform.start()
    adapter = FakePlatformAdapter(platform.url, name="fake")
    svoi = Svoi.create(telegram_settings(db_url, api.url), db)
    service = await start_service(svoi, api)
    svoi.add_channel(adapter)
    delivery = DeliveryService(
        svoi,
        configs={
            "fake": fast_config(max_attempts=2, election_check=0.1, election_timeout=0.1),
            "telegram": fast_config(),
        },
    )
    try:
        # A gauge moves from where it stands: another test (or this one's other database)
        # may have left the tick lag at the very value this test's tick will set, so it
        # starts from a value no tick sets.
        metrics.TICK_LAG.set(-1)
        before = await scrape(service.client)

        # Turns over the Telegram webhook, and the same update delivered again.
        chat = Chat(service)
        await chat.send("/start")
        again = chat.user.text("привіт")
        assert await service.deliver(again) == 200
        assert await service.deliver(again) == 200
        # A redelivery the engine recognises (recorded, already handled).
        resident = Resident.on(svoi.engine, user_id="engine-dup")
        await svoi.engine.record_event("test", "dup-1", "{}")
        await resident.send("привіт", event_id="dup-1")
        await resident.send("привіт", event_id="dup-1")
        # A step that fails: the resident gets an apology.
        svoi.engine.registry.add_flow(Flow("services", {"start": Screen(broken)}))
        failing = Resident.on(svoi.engine, user_id="bug")
        await failing.onboard("en")
        await failing.press("City services")
        assert "Sorry, something went wrong" in failing.text
        # A flood.
        flooder = Resident.on(svoi.engine, user_id="flooder")
        for _ in range(svoi.settings.flood_max_messages + 2):
            await flooder.send("?")

        # The outbox: sent (f0), blocked (f1), 500 then failed (f2), 429 then sent (f3), and
        # a claim abandoned by a sender that is gone (f4); a broadcast still running.
        residents = await add_residents(svoi, 5, channel="fake", prefix="f")
        await put(svoi, [note(r, "notice") for r in residents])
        async with svoi.db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.user_id == "f4")
                .values(
                    status="sending",
                    claimed_by="gone-host:1:dead",
                    lease_until=clock.now() + timedelta(seconds=60),
                )
            )
        await add_residents(svoi, 2, channel="fake", prefix="b", locale="en")
        async with svoi.db.transaction() as session:
            draft = Draft(text="Тривога / alert", audience=Audience(LANGUAGE, "en"))
            await broadcasts.create(session, draft, author=None)
        for _ in range(2):  # the first tick starts it, the second reports its progress
            await broadcasts.tick(svoi.db, ["fake"])
        running = await scrape(service.client)  # the broadcast's progress, while it runs

        await delivery.start()
        await eventually(lambda: _settled(svoi), within=30)
        await eventually(lambda: _broadcasts_done(svoi), within=30)  # the supervisor closed it
        # An air-raid alert declared by an operator holds notifications (the gauge), and
        # one poll of the alerts.in.ua feed fails (the error counter).
        async with svoi.db.transaction() as session:
            await alerts.switch(session, svoi.settings.alerts_region, True, CLI, clock.now())
        await delivery.alerts.refresh()
        alerts_api = await FakeAlertsAPI().start()
        alerts_api.failing = 500
        feed = alerts.AlertFeed(svoi.db, alerts.AlertsClient(alerts_api.url, alerts_api.token), "3")
        with pytest.raises(alerts.FeedError):
            await feed.poll()
        await feed.client.close()
        await alerts_api.close()
        # A scheduler tick, 15 s after its second 5.
        test_clock.set(TEST_START.replace(second=20))
        await scheduler.waste_reminders(svoi)

        after = await scrape(service.client)
    finally:
        await delivery.stop()
        await stop_service(service)
        await adapter.close()
        await platform.close()
        await api.stop()

    still = [
        row.name
        for row in documented()
        if not (moved(before, after, row) or moved(before, running, row))
    ]
    assert still == []
    # A broadcast's progress shows while it runs and leaves the metric once it is done.
    assert _delta(before, running, "svoi_broadcast_messages", state="waiting") == 2
    assert _delta(before, after, "svoi_broadcast_messages", state="waiting") == 0
    # And what moved is what happened.
    assert _delta(before, after, "svoi_updates_duplicate_total", channel="telegram") == 1
    assert _delta(before, after, "svoi_updates_duplicate_total", channel="test") == 1
    for result, count in (("sent", 3 + 2), ("blocked", 1), ("retry", 1), ("failed", 1)):
        assert _delta(before, after, "svoi_sends_total", channel="fake", result=result) == count
    assert _delta(before, after, "svoi_rate_limited_total", channel="fake") == 1
    assert _delta(before, after, "svoi_outbox_reclaimed_total", reason="abandoned") == 1
    assert _delta(before, after, "svoi_sender_elected", channel="fake") == 1
    assert _delta(before, after, "svoi_alert_active") == 1
    assert _delta(before, after, "svoi_alert_feed_errors_total") == 1


def _delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    def total(samples: Samples) -> float:
        return sum(
            value
            for (sample, found), value in samples.items()
            if sample == name and set(labels.items()) <= found
        )

    return total(after) - total(before)


async def _broadcasts_done(svoi: Svoi) -> bool:
    async with svoi.db.transaction() as session:
        return all(b.status == "done" for b in await broadcasts.recent(session))


async def _settled(svoi: Svoi) -> bool:
    return all(row.status not in ("pending", "sending") for row in await rows(svoi))


# --- the alert "notifications are not going out" -------------------------------------------
class PromQL:
    """Evaluates the PromQL subset the shipped alert is written in, at one instant, over two
    scrapes: `before` (the start of the range) and `after` (now). Supported: selectors with
    `=`, `!=`, `=~` matchers; `increase(selector[range])` (series present in both scrapes,
    as Prometheus needs two samples); `sum by (labels) (…)`; comparisons with a number;
    `and`, `unless`, `or` matching on all labels."""

    TOKEN = re.compile(
        r'\s*(=~|!=|==|>=|<=|[(){}\[\],<>=]|"[^"]*"|[A-Za-z_:][\w:]*|[\d.]+[smhdwy]?)'
    )

    def __init__(self, before: Samples, after: Samples) -> None:
        self.before, self.after = before, after
        self.tokens: list[str] = []

    def evaluate(self, expression: str) -> dict[frozenset[tuple[str, str]], float]:
        self.tokens = self.TOKEN.findall(expression)
        assert "".join(self.tokens) == re.sub(r"\s+", "", expression), "unsupported syntax"
        result = self._binary()
        assert not self.tokens, self.tokens
        return result

    def _take(self, expected: str | None = None) -> str:
        token = self.tokens.pop(0)
        assert expected is None or token == expected, (token, expected)
        return token

    def _binary(self) -> dict[frozenset[tuple[str, str]], float]:
        left = self._comparison()
        while self.tokens and self.tokens[0] in ("and", "unless", "or"):
            op, right = self._take(), self._comparison()
            if op == "and":
                left = {k: v for k, v in left.items() if k in right}
            elif op == "unless":
                left = {k: v for k, v in left.items() if k not in right}
            else:
                left = {**right, **left}
        return left

    def _comparison(self) -> dict[frozenset[tuple[str, str]], float]:
        vector = self._primary()
        if self.tokens and self.tokens[0] in (">", "<", "==", ">=", "<=", "!="):
            op, number = self._take(), float(self._take())
            test = {
                ">": float.__gt__,
                "<": float.__lt__,
                "==": float.__eq__,
                ">=": float.__ge__,
                "<=": float.__le__,
                "!=": float.__ne__,
            }[op]
            vector = {k: v for k, v in vector.items() if test(v, number)}
        return vector

    def _primary(self) -> dict[frozenset[tuple[str, str]], float]:
        token = self._take()
        if token == "(":
            inner = self._binary()
            self._take(")")
            return inner
        if token == "sum":
            self._take("by")
            self._take("(")
            by = []
            while (label := self._take()) != ")":
                if label != ",":
                    by.append(label)
            self._take("(")
            inner = self._binary()
            self._take(")")
            grouped: dict[frozenset[tuple[str, str]], float] = defaultdict(float)
            for labels, value in inner.items():
                grouped[frozenset((k, v) for k, v in labels if k in by)] += value
            return dict(grouped)
        if token == "increase":
            self._take("(")
            name, matchers = self._selector(self._take())
            self._take("[")
            self._take()  # the range: the two scrapes stand for its ends
            self._take("]")
            self._take(")")
            now = self._select(self.after, name, matchers)
            then = self._select(self.before, name, matchers)
            return {k: max(0.0, v - then[k]) for k, v in now.items() if k in then}
        name, matchers = self._selector(token)
        return self._select(self.after, name, matchers)

    def _selector(self, name: str) -> tuple[str, list[tuple[str, str, str]]]:
        matchers = []
        if self.tokens and self.tokens[0] == "{":
            self._take()
            while (label := self._take()) != "}":
                if label == ",":
                    continue
                op, value = self._take(), self._take().strip('"')
                matchers.append((label, op, value))
        return name, matchers

    @staticmethod
    def _select(
        samples: Samples, name: str, matchers: list[tuple[str, str, str]]
    ) -> dict[frozenset[tuple[str, str]], float]:
        def matches(labels: dict[str, str]) -> bool:
            for label, op, value in matchers:
                have = labels.get(label, "")
                if op == "=" and have != value:
                    return False
                if op == "!=" and have == value:
                    return False
                if op == "=~" and not re.fullmatch(value, have):
                    return False
            return True

        return {
            labels: value
            for (sample, labels), value in samples.items()
            if sample == name and matches(dict(labels))
        }


def shipped_rule(name: str) -> dict[str, Any]:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    [rule] = [r for g in data["groups"] for r in g["rules"] if r.get("alert") == name]
    return dict(rule)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _scrapes_around_a_broadcast(
    svoi: Svoi, adapter: FakePlatformAdapter, channel: str
) -> tuple[Samples, Samples]:
    svoi.add_channel(adapter)
    delivery = DeliveryService(svoi, configs={channel: fast_config(max_attempts=2)})
    await delivery.start()  # the sender's series exist from here, at zero
    try:
        async with TestClient(TestServer(build_web_app(svoi))) as client:
            before = await scrape(client)
            residents = await add_residents(svoi, 6, channel=channel, prefix=channel)
            await put(svoi, [note(r, "water-off") for r in residents])
            await eventually(lambda: _settled(svoi), within=30)
            after = await scrape(client)
    finally:
        await delivery.stop()
        await adapter.close()
    return before, after


@pytest.fixture
async def platform() -> AsyncIterator[FakePlatform]:
    fake = FakePlatform()
    await fake.start()
    yield fake
    await fake.close()


async def test_the_not_going_out_alert_fires_when_the_platform_is_unreachable(
    svoi: Svoi, platform: FakePlatform
) -> None:
    rule = shipped_rule(NOT_GOING_OUT)
    unreachable = FakePlatformAdapter(f"http://127.0.0.1:{closed_port()}", name="down")
    before, after = await _scrapes_around_a_broadcast(svoi, unreachable, "down")
    firing = PromQL(before, after).evaluate(rule["expr"])
    assert frozenset({("channel", "down")}) in firing
    promtool_fires(rule, before, after, "down", expected=True)

    reachable = FakePlatformAdapter(platform.url, name="up")
    before, after = await _scrapes_around_a_broadcast(svoi, reachable, "up")
    firing = PromQL(before, after).evaluate(rule["expr"])
    assert frozenset({("channel", "up")}) not in firing
    promtool_fires(rule, before, after, "up", expected=False)


def promtool_fires(
    rule: dict[str, Any], before: Samples, after: Samples, channel: str, *, expected: bool
) -> None:
    """The same verdict from Prometheus itself, where promtool is installed (Debian's
    `prometheus` package): the scrapes become input series five minutes apart."""
    promtool = shutil.which("promtool")
    if promtool is None:
        return
    series = []
    for (name, labels), value in sorted(after.items(), key=str):
        if not name.startswith("svoi_sends") or ("channel", channel) not in labels:
            continue
        start = before.get((name, labels))
        if start is None:
            continue
        selector = ",".join(f'{k}="{v}"' for k, v in sorted(labels))
        series.append({"series": f"{name}{{{selector}}}", "values": f"{start} {value} {value}"})
    summary = rule["annotations"]["summary"].replace("{{ $labels.channel }}", channel)
    alerts = [
        {
            "exp_labels": {**rule["labels"], "channel": channel},
            "exp_annotations": {**rule["annotations"], "summary": summary},
        }
    ]
    test = {
        "rule_files": [str(RULES)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "5m",
                "input_series": series,
                "alert_rule_test": [
                    {
                        "eval_time": "10m",
                        "alertname": NOT_GOING_OUT,
                        "exp_alerts": alerts if expected else [],
                    }
                ],
            }
        ],
    }
    path = Path(_tmpdir()) / f"promtool-{channel}.yml"
    path.write_text(yaml.safe_dump(test, allow_unicode=True), encoding="utf-8")
    done = subprocess.run(
        [promtool, "test", "rules", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _tmpdir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="svoi-promtool-")


def test_promtool_accepts_the_shipped_rules() -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (apt-get install prometheus)")
    done = subprocess.run(
        [promtool, "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- /metrics is cheap and not for the Internet -----------------------------------------
async def test_a_scrape_costs_one_grouped_count(svoi: Svoi, db: Database) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async with TestClient(TestServer(build_web_app(svoi))) as client:
        await scrape(client)  # connections opened, dialect initialised
        event.listen(db.engine.sync_engine, "before_cursor_execute", seen)
        try:
            await scrape(client)
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", seen)
    queries = [q for q in statements if not q.upper().startswith(("BEGIN", "COMMIT"))]
    assert len(queries) == 1 and "GROUP BY" in queries[0].upper()


async def test_metrics_refuse_relayed_requests_and_need_the_token_when_set(
    settings: Settings, db: Database
) -> None:
    open_app = Svoi.create(settings, db)
    async with TestClient(TestServer(build_web_app(open_app))) as client:
        assert (await client.get("/metrics")).status == 200  # loopback, direct
        relayed = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
        assert relayed.status == 404
    token = settings.model_copy(update={"metrics_token": SecretStr("s3cret-scrape")})
    closed = Svoi.create(token, db)
    async with TestClient(TestServer(build_web_app(closed))) as client:
        assert (await client.get("/metrics")).status == 404
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status == 404
        right = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
        assert right.status == 200


async def test_a_repeated_viber_callback_counts_once_as_a_duplicate(
    settings: Settings, db: Database
) -> None:
    """Viber's webhook hands a repeated callback to the engine (which runs it only if the
    first delivery never finished), so the engine is where it is counted: once."""
    from tests.channels.viber.client import ViberResident
    from tests.channels.viber.client import start_service as start_viber
    from tests.channels.viber.conftest import viber_settings
    from tests.fakes.viber_api import FakeViberApi

    fake = await FakeViberApi().start()
    viber = await start_viber(viber_settings(settings, fake), db, fake)
    try:
        resident = ViberResident.on(viber, "dupe-metrics==")
        await resident.onboard("en")
        callback = resident.user.text("/help")
        await resident.post(callback)
        url = str(viber.server.make_url("/metrics"))
        before = await _scrape_url(viber.http, url)
        await resident.post(callback)  # Viber retries
        after = await _scrape_url(viber.http, url)
    finally:
        await viber.close()
        await fake.close()
    assert _delta(before, after, "svoi_updates_duplicate_total", channel="viber") == 1


async def _scrape_url(http: ClientSession, url: str) -> Samples:
    async with http.get(url) as response:
        assert response.status == 200
        return parse(await response.text())
