"""The broadcast rules, tested once in `dialogs.broadcast.service`, the one implementation the
chat, the console and the CLI call: what a draft may hold, which times an operator may type
and schedule, what sending, cancelling and reporting write — audit entries included.
(How each front end words a refusal is in its own tests: test_broadcasts.py for the chat and
the CLI, tests/web/test_console_pages.py for the console.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import Svoi
from dialogs.broadcast import service
from dialogs.broadcast.service import Actor, Audience, Refused
from storage import clock
from storage.models.access import AuditEntry
from storage.models.delivery import DeliveryBroadcast
from tests.delivery.conftest import add_residents, rows

KYIV = ZoneInfo("Europe/Kyiv")
OPERATOR = Actor("fake:op-1", "operator", author=("fake", "op-1"))

GOOD_LINKS = [
    ("Деталі | https://khm.gov.ua/news", ("Деталі", "https://khm.gov.ua/news")),
    ("  Сайт ради|http://khm.gov.ua  ", ("Сайт ради", "http://khm.gov.ua")),
    (
        "L" * 40 + " | https://khm.gov.ua/" + "x" * 400,
        ("L" * 40, "https://khm.gov.ua/" + "x" * 400),
    ),
]
BAD_LINKS = [
    "https://khm.gov.ua",  # no label
    " | https://khm.gov.ua",  # empty label
    "L" * 41 + " | https://khm.gov.ua",  # label too long
    "Деталі | ftp://khm.gov.ua",
    "Деталі | https://khm.gov.ua/a b",
    "Деталі | https://ab",
    "Деталі | https://" + "x" * 491,
    "Деталі | javascript:alert(1)",
]


# --- the draft ------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), GOOD_LINKS)
def test_a_labelled_http_link_is_read(value: str, expected: tuple[str, str]) -> None:
    assert service.read_link(value) == expected
    made = service.draft("Оголошення", Audience(), value, urgent=False)
    assert (made.link_label, made.link_url) == expected


@pytest.mark.parametrize("value", BAD_LINKS)
def test_other_links_are_refused_with_the_label_limit(value: str) -> None:
    with pytest.raises(Refused) as refused:
        service.draft("Оголошення", Audience(), value, urgent=False)
    assert (refused.value.code, refused.value.args_) == ("link", {"limit": 40})


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty"), (" \n\t ", "empty"), ("я" * 3501, "too-long")]
)
def test_empty_and_overlong_texts_are_refused(text: str, code: str) -> None:
    with pytest.raises(Refused) as refused:
        service.draft(text, Audience(), None, urgent=False)
    assert refused.value.code == code
    assert refused.value.args_["limit"] == service.TEXT_LIMIT == 3500


def test_a_text_at_the_limit_is_kept_trimmed_and_without_a_link_when_none_is_given() -> None:
    text = "я" * service.TEXT_LIMIT
    for no_link in (None, "", "   "):
        made = service.draft(f"  {text}\n", Audience(), no_link, urgent=True)
        assert (made.text, made.link_label, made.link_url, made.urgent) == (text, None, None, True)


def test_an_audience_needs_a_known_kind_and_a_value_unless_everyone() -> None:
    assert service.audience("everyone", "ignored") == Audience("everyone", None)
    assert service.audience("language", "en") == Audience("language", "en")
    for kind, value in (("x", "1"), ("language", None), ("language", ""), ("zone", None)):
        with pytest.raises(Refused) as refused:
            service.audience(kind, value)
        assert refused.value.code == "audience"
    with pytest.raises(Refused):
        service.draft("Оголошення", Audience("followers", None), None, urgent=False)


# --- times ------------------------------------------------------------------------------------
NOW = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)  # 22:00 in Kyiv, the night before DST


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("23:30", datetime(2026, 3, 28, 23, 30)),  # later today
        ("10:00", datetime(2026, 3, 29, 10, 0)),  # past today: tomorrow (summer time by then)
        (" 9:05 ", datetime(2026, 3, 29, 9, 5)),
        ("01.04 10:00", datetime(2026, 4, 1, 10, 0)),  # this year
        ("1.4.2026 10:00", datetime(2026, 4, 1, 10, 0)),
        ("01.04.2026 10:00", datetime(2026, 4, 1, 10, 0)),
        ("2026-04-01 10:00", datetime(2026, 4, 1, 10, 0)),  # the CLI's --at
        ("2026-04-01T10:00", datetime(2026, 4, 1, 10, 0)),  # the console's date field
        ("2026-04-01T10:00:00", datetime(2026, 4, 1, 10, 0)),
    ],
)
def test_one_reader_takes_every_time_format_in_city_time(text: str, local: datetime) -> None:
    when = service.parse_when(text, NOW, KYIV)
    assert when == local.replace(tzinfo=KYIV)
    assert when is not None and when.tzinfo is KYIV


@pytest.mark.parametrize(
    "text",
    ["", "завтра", "25:00", "10:60", "31.02.2026 10:00", "2026-02-31 10:00", "10", "2026-04-01"],
)
def test_what_is_not_a_time_is_refused(text: str) -> None:
    assert service.parse_when(text, NOW, KYIV) is None
    with pytest.raises(Refused) as refused:
        service.read_when(text, NOW, KYIV)
    assert refused.value.code == "when-invalid"
    assert "DD.MM.YYYY HH:MM" in refused.value.args_["formats"]


def test_a_broadcast_is_scheduled_in_the_future_and_at_most_60_days_ahead() -> None:
    service.check_when(None, NOW)  # now
    service.check_when(NOW + timedelta(minutes=1), NOW)
    service.check_when(NOW + timedelta(days=60), NOW)
    for when in (NOW - timedelta(minutes=1), NOW, NOW + timedelta(days=60, minutes=1)):
        with pytest.raises(Refused) as refused:
            service.check_when(when, NOW)
        assert (refused.value.code, refused.value.args_) == ("when-range", {"days": 60})
    with pytest.raises(Refused) as refused:
        service.scheduled("01.01.2020 10:00", NOW, KYIV)
    assert refused.value.code == "when-range"
    assert service.scheduled("10:00", NOW, KYIV) == datetime(2026, 3, 29, 10, 0, tzinfo=KYIV)


# --- count, send, cancel, report ------------------------------------------------------------
async def test_the_estimate_counts_deliverable_channels_and_the_viber_cost(svoi: Svoi) -> None:
    await add_residents(svoi, 2, channel="fake")
    await add_residents(svoi, 3, channel="viber", prefix="v")
    await add_residents(svoi, 1, channel="console", prefix="c")
    channels = service.deliverable(["viber", "console", "fake"])
    assert channels == ["console", "fake", "viber"]  # the terminal shows them at its prompt
    async with svoi.db.transaction() as session:
        estimate = await service.estimate(session, Audience(), channels, 0.25, "UAH")
        english = await service.estimate(session, Audience("language", "en"), channels, 1, "")
    assert (estimate.counts, estimate.total) == ({"console": 1, "fake": 2, "viber": 3}, 6)
    assert (estimate.viber_cost, estimate.currency) == (0.75, "UAH")
    assert english.total == 0


async def test_sending_now_queues_the_messages_and_audits_who_sent_what(svoi: Svoi) -> None:
    await add_residents(svoi, 3, channel="fake")
    draft = service.draft("Увага", Audience(), "Деталі | https://khm.gov.ua", urgent=True)
    async with svoi.db.transaction() as session:
        sent = await service.send(
            session, draft, actor=OPERATOR, channels=["fake"], when=None, now=clock.now()
        )
    assert sent.queued == 3
    queued = await rows(svoi)
    assert {(r.text, r.broadcast_id, r.urgent) for r in queued} == {
        ("Увага", sent.broadcast.id, True)
    }
    async with svoi.db.transaction() as session:
        report = await service.report(session, sent.broadcast.id)
        [entry] = (await session.execute(select(AuditEntry))).scalars().all()
    assert report is not None and report.broadcast.status == "sending"
    assert (report.progress.total, report.progress.waiting) == (3, 3)
    assert (report.broadcast.author_channel, report.broadcast.author_user_id) == ("fake", "op-1")
    assert (entry.actor, entry.role, entry.action, entry.target, entry.outcome) == (
        "fake:op-1",
        "operator",
        "broadcast-send",
        str(sent.broadcast.id),
        "done",
    )
    assert entry.details == {
        "audience": "everyone",
        "value": None,
        "urgent": True,
        "scheduled": None,
    }


async def test_a_scheduled_broadcast_waits_and_can_be_cancelled_once(svoi: Svoi) -> None:
    await add_residents(svoi, 2, channel="fake")
    now = clock.now()
    when = now + timedelta(days=2)
    console = Actor("telegram:5550001", "admin", author=("telegram", "5550001"), via="web")
    async with svoi.db.transaction() as session:
        sent = await service.send(
            session,
            service.draft("Збори", Audience("language", "uk"), None, urgent=False),
            actor=console,
            channels=["fake"],
            when=when,
            now=now,
        )
    assert sent.queued is None and await rows(svoi) == []
    broadcast_id = sent.broadcast.id
    async with svoi.db.transaction() as session:
        assert await service.cancel(session, broadcast_id, actor=console)
    async with svoi.db.transaction() as session:
        assert not await service.cancel(session, broadcast_id, actor=OPERATOR)
        reports = await service.recent(session)
        entries = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        audit = [(e.actor, e.action, e.outcome, e.details) for e in entries]
    assert [(r.broadcast.id, r.broadcast.status) for r in reports] == [(broadcast_id, "cancelled")]
    assert audit == [
        (
            "telegram:5550001",
            "broadcast-send",
            "done",
            {
                "via": "web",
                "audience": "language",
                "value": "uk",
                "urgent": False,
                "scheduled": when.isoformat(),
            },
        ),
        ("telegram:5550001", "broadcast-cancel", "done", {"via": "web"}),
        ("fake:op-1", "broadcast-cancel", "too-late", {}),
    ]


async def test_nothing_is_written_when_the_time_or_the_audience_cannot_apply(svoi: Svoi) -> None:
    await add_residents(svoi, 1, channel="fake")
    now = clock.now()
    draft = service.draft("Ярмарок", Audience(), None, urgent=False)
    nowhere = service.Draft("Ярмарок", Audience("zone", "nowhere"))
    for bad_draft, when, code in (
        (draft, now - timedelta(hours=1), "when-range"),
        (draft, now + timedelta(days=61), "when-range"),
        (nowhere, None, "audience-unavailable"),
    ):
        async with svoi.db.transaction() as session:
            with pytest.raises(Refused) as refused:
                await service.send(
                    session, bad_draft, actor=OPERATOR, channels=["fake"], when=when, now=now
                )
            assert refused.value.code == code
    async with svoi.db.transaction() as session:
        with pytest.raises(Refused) as refused:
            await service.estimate(session, nowhere.audience, ["fake"], 0, "UAH")
        assert refused.value.code == "audience-unavailable"
    async with svoi.db.transaction() as session:
        assert (await session.execute(select(DeliveryBroadcast))).first() is None
        assert (await session.execute(select(AuditEntry))).first() is None
        assert await service.report(session, 1) is None
    assert await rows(svoi) == []
