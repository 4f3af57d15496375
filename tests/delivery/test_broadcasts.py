"""Operator broadcasts: composed in the chat or with the CLI, counted, previewed, queued,
scheduled, cancelled, delivered through the fake platform and reported to the author."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from bot.app import Svoi
from bot.config import PROJECT_ROOT
from bot.core.messages import Button, LinkButton
from bot.delivery import broadcasts
from bot.delivery.broadcasts import Audience, Draft
from bot.delivery.service import DeliveryService
from dialogs.broadcast import parse_when
from storage import clock
from storage.models import Base
from storage.models.delivery import DeliveryBroadcast, DeliveryMute
from storage.repos.residents import ResidentRepo
from tests.conftest import OPERATOR
from tests.delivery.conftest import add_residents, eventually, fast_config, rows
from tests.delivery.fake_platform import FakePlatform
from tests.delivery.http_adapter import FakePlatformAdapter
from tests.support.conversation import Resident as Chat
from tests.support.process import child_env

TEXT = "Завтра з 9:00 до 12:00 не буде води на вул. Соборній."


@pytest.fixture
async def test_channel(svoi: Svoi, platform: FakePlatform) -> AsyncIterator[FakePlatformAdapter]:
    """The fake platform as the `test` channel the conversation client talks on."""
    adapter = FakePlatformAdapter(platform.url, name="test")
    svoi.add_channel(adapter)
    yield adapter
    await adapter.close()


async def test_an_operator_composes_previews_sends_and_gets_a_report(
    svoi: Svoi, platform: FakePlatform, test_channel: FakePlatformAdapter, operator: Chat
) -> None:
    await operator.onboard()
    people = [Chat.on(svoi.engine, language=lang) for lang in ("uk", "uk", "en")]
    for person, lang in zip(people, ("uk", "uk", "en"), strict=True):
        await person.onboard(lang)
    platform.blocked.add(people[1].user_id)

    await operator.send("/broadcast")
    await operator.press("Нова розсилка")
    await operator.send("я" * (broadcasts.TEXT_LIMIT + 1))  # the limit the console and CLI use
    assert "Повідомлення задовге" in operator.text
    await operator.send(TEXT)
    assert "кнопку-посилання" in operator.text
    await operator.send("просто текст")
    assert "Не вдалося прочитати посилання" in operator.text
    await operator.send("Деталі | https://khm.gov.ua/news")
    await operator.press("Усім")

    assert "Отримувачів: 4 (test: 4)" in operator.text
    preview = next(r for r in operator.last if r.text == TEXT)
    assert preview.buttons == [
        [LinkButton("Деталі", "https://khm.gov.ua/news")],
        [Button("🔕 Вимкнути такі повідомлення", "bc-preview")],  # inert in a preview
    ]
    await operator.press("🔕 Вимкнути такі повідомлення")
    assert "Це лише попередній перегляд" in operator.text
    assert "Отримувачів: 4 (test: 4)" in operator.text  # the draft is still there
    async with svoi.db.transaction() as session:
        assert (await session.execute(select(DeliveryMute))).first() is None  # nobody muted
    await operator.press("Надіслати зараз")
    assert "Розсилку №\xa01 поставлено в чергу: 4 отримувачі" in operator.text

    service = DeliveryService(svoi, configs={"test": fast_config()})
    await service.start()
    try:
        await eventually(lambda: _report_arrived(platform))
    finally:
        await service.stop()

    [report] = [a for a in platform.delivered_to(OPERATOR[1]) if "завершено" in a.text]
    assert "Надіслано: 3 з 4" in report.text
    assert "Заблокували бота: 1" in report.text
    [to_english] = platform.delivered_to(people[2].user_id)
    assert to_english.text == TEXT
    assert to_english.buttons[1] == [
        {"text": "🔕 Stop these messages", "callback_data": "g:mute:broadcast"}
    ]
    async with svoi.db.transaction() as session:
        broadcast = await session.get(DeliveryBroadcast, 1)
        assert broadcast is not None and broadcast.status == "done"
        gone = await ResidentRepo(session).get("test", people[1].user_id)
        assert gone is not None and not gone.is_active

    await operator.press_payload("g:bc:p:1")
    assert "Надіслано: 3 з 4" in operator.text


async def _report_arrived(platform: FakePlatform) -> bool:
    return any("завершено" in a.text for a in platform.delivered_to(OPERATOR[1]))


async def test_a_scheduled_broadcast_can_be_cancelled_and_residents_cannot_broadcast(
    svoi: Svoi, test_channel: FakePlatformAdapter, operator: Chat, resident: Chat
) -> None:
    await resident.onboard()
    await resident.send("/broadcast")
    assert "лише робочій групі" in resident.text
    await resident.press_payload("g:bc:x:1")
    assert "лише робочій групі" in resident.text

    await operator.onboard()
    await operator.send("/broadcast")
    await operator.press("Нова розсилка")
    await operator.send("Збори мешканців у четвер.")
    await operator.press("Без посилання")
    await operator.press("За мовою")
    await operator.press("English")
    assert "Отримувачів: 0" in operator.text
    await operator.press("Запланувати")
    await operator.send("завтра")
    assert "Не вдалося прочитати час" in operator.text
    await operator.send("01.01.2020 10:00")
    assert "в майбутньому" in operator.text
    await operator.send("10:00")
    assert "заплановано" in operator.text

    await operator.press("Скасувати розсилку")
    assert "Розсилку скасовано" in operator.text
    await operator.press_payload("g:bc:x:1")
    assert "вже завершено або скасовано" in operator.text
    async with svoi.db.transaction() as session:
        broadcast = await session.get(DeliveryBroadcast, 1)
        assert broadcast is not None and broadcast.status == "cancelled"


async def test_the_supervisor_starts_a_broadcast_when_its_time_comes(svoi: Svoi) -> None:
    await add_residents(svoi, 3, channel="fake")
    later = clock.now() + timedelta(hours=1)
    async with svoi.db.transaction() as session:
        await broadcasts.create(session, Draft("Ярмарок"), author=None, scheduled_at=later)
    await broadcasts.tick(svoi.db, ["fake"])
    assert await rows(svoi) == []
    await broadcasts.tick(svoi.db, ["fake"], now=later + timedelta(minutes=1))
    await broadcasts.tick(svoi.db, ["fake"], now=later + timedelta(minutes=2))
    queued = await rows(svoi)
    assert [(r.user_id, r.text, r.broadcast_id) for r in queued] == [
        (f"r{i}", "Ярмарок", 1) for i in range(3)
    ]


async def test_a_scheduled_broadcast_of_a_demoted_author_is_cancelled_not_sent(
    svoi: Svoi,
) -> None:
    from sqlalchemy import select

    from storage.models.access import AuditEntry
    from storage.repos.access import RoleRepo

    await add_residents(svoi, 2, channel="fake")
    later = clock.now() + timedelta(hours=1)
    async with svoi.db.transaction() as session:
        await RoleRepo(session).grant("fake", "op-1", "operator", granted_by="test")
        await broadcasts.create(
            session, Draft("Ярмарок"), author=("fake", "op-1"), scheduled_at=later
        )
        await broadcasts.create(
            session, Draft("Концерт"), author=("fake", "op-1"), scheduled_at=later
        )
    await broadcasts.tick(svoi.db, ["fake"], now=later)  # the first goes while op-1 is one
    async with svoi.db.transaction() as session:
        await RoleRepo(session).revoke("fake", "op-1")
        await broadcasts.create(
            session, Draft("Виставка"), author=("fake", "op-1"), scheduled_at=later
        )
    await broadcasts.tick(svoi.db, ["fake"], now=later + timedelta(minutes=1))
    texts = {r.text for r in await rows(svoi)}
    assert texts == {"Ярмарок", "Концерт"}
    async with svoi.db.transaction() as session:
        third = await session.get(DeliveryBroadcast, 3)
        assert third is not None and third.status == "cancelled"
        audit = (await session.execute(select(AuditEntry))).scalars().all()
        assert [(a.action, a.target, a.outcome) for a in audit] == [
            ("broadcast-start", "broadcast:3", "refused")
        ]


async def test_audiences_by_language_commitment_and_waste_zone(svoi: Svoi) -> None:
    tables = Base.metadata.tables
    if not {"plan_follows", "plan_commitments", "waste_subscriptions", "waste_zones"} <= set(
        tables
    ):
        pytest.skip("the plan and waste features are not installed")
    uk = await add_residents(svoi, 3, channel="fake", prefix="u")
    en = await add_residents(svoi, 2, channel="fake", locale="en", prefix="e")
    async with svoi.db.transaction() as session:
        plan = await session.execute(
            insert(tables["plan_documents"])
            .values(code="ogp", title={})
            .returning(tables["plan_documents"].c.id)
        )
        commitment = await session.execute(
            insert(tables["plan_commitments"])
            .values(plan_id=plan.scalar_one(), code="c2", number=2, title={"uk": "Зелене"})
            .returning(tables["plan_commitments"].c.id)
        )
        commitment_id = commitment.scalar_one()
        for r in (uk[0], en[0]):
            await session.execute(
                insert(tables["plan_follows"]).values(
                    resident_id=r.id, commitment_id=commitment_id, created_at=clock.now()
                )
            )
        zone = await session.execute(
            insert(tables["waste_zones"])
            .values(code="center", name={"uk": "Центр", "en": "Centre"})
            .returning(tables["waste_zones"].c.id)
        )
        zone_id = zone.scalar_one()
        for r, paused in ((uk[1], False), (uk[2], True)):
            await session.execute(
                insert(tables["waste_subscriptions"]).values(
                    resident_id=r.id, zone_id=zone_id, address="Соборна 1", paused=paused
                )
            )

    async def audience(kind: str, value: str | None = None) -> dict[str, int]:
        async with svoi.db.transaction() as session:
            return await broadcasts.count_by_channel(
                session, Audience(kind, value), ["fake", "console"]
            )

    assert set(broadcasts.available_audiences()) == set(broadcasts.AUDIENCES)
    assert await audience("everyone") == {"fake": 5}
    assert await audience("language", "en") == {"fake": 2}
    assert await audience("followers", "c2") == {"fake": 2}
    assert await audience("zone", "center") == {"fake": 1}
    async with svoi.db.transaction() as session:
        choices = await broadcasts.audience_choices(session, "followers", "uk")
    assert choices == [("c2", "Зелене")]
    with pytest.raises(broadcasts.AudienceUnavailable):
        await audience("zone", "nowhere")


async def test_viber_style_broadcasts_go_in_batches_of_at_most_300(
    svoi: Svoi, platform: FakePlatform
) -> None:
    adapter = FakePlatformAdapter(platform.url, name="viberfake")
    svoi.add_channel(adapter)
    await add_residents(svoi, 650, channel="viberfake")
    platform.blocked.add("r7")
    async with svoi.db.transaction() as session:
        created = await broadcasts.create(session, Draft("Увага"), author=None)
        assert await broadcasts.start(session, created.id, ["viberfake"]) == 650
    service = DeliveryService(
        svoi, configs={"viberfake": fast_config(broadcast_batch=300, concurrency=8)}
    )
    await service.start()
    try:
        await eventually(lambda: _all_done(svoi))
    finally:
        await service.stop()
        await adapter.close()

    assert max(platform.batches) <= 300 and sum(platform.batches) == 650
    assert len(platform.batches) <= 5
    assert len(platform.arrivals) == len(platform.counts()) == 649
    async with svoi.db.transaction() as session:
        gone = await ResidentRepo(session).get("viberfake", "r7")
        assert gone is not None and not gone.is_active


async def _all_done(svoi: Svoi) -> bool:
    return all(r.status not in ("pending", "sending") for r in await rows(svoi))


def test_schedule_times_are_read_in_city_time() -> None:
    zone = ZoneInfo("Europe/Kyiv")
    now = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)  # 22:00 in Kyiv, the day before DST
    tomorrow = parse_when("10:00", now, zone)
    assert tomorrow is not None and tomorrow.utcoffset() == timedelta(hours=3)
    assert tomorrow.astimezone(UTC) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    later = parse_when("23:30", now, zone)
    assert later is not None and later.astimezone(UTC) == datetime(2026, 3, 28, 21, 30, tzinfo=UTC)
    assert parse_when("31.02.2026 10:00", now, zone) is None
    assert parse_when("25:00", now, zone) is None


async def _cli(db_url: str, *args: str) -> tuple[int, str]:
    # Run from a neutral directory: no .env of a developer, no `tests/storage` shadowing.
    env = child_env(DATABASE_URL=db_url, PYTHONPATH=str(PROJECT_ROOT))
    env.pop("OPERATORS", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "broadcast",
        *args,
        cwd=tempfile.gettempdir(),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


async def test_the_cli_sends_shows_progress_and_cancels(svoi: Svoi, db_url: str) -> None:
    await add_residents(svoi, 2, channel="fake")
    await add_residents(svoi, 1, channel="fake", locale="en", prefix="e")

    code, out = await _cli(db_url, "send", "--text", "Hi", "--channels", "fake", "--dry-run")
    assert code == 0 and "recipients: 3 (fake: 3)" in out and "nothing was queued" in out
    code, out = await _cli(
        db_url, "send", "--text", "Hi", "--channels", "fake", "--audience", "language:en"
    )
    assert code == 0 and "broadcast #1 queued for 1 recipients" in out
    code, out = await _cli(db_url, "status", "1")
    assert code == 0 and "sent 0/1" in out and "waiting 1" in out
    code, out = await _cli(db_url, "cancel", "1")
    assert code == 0 and "cancelled" in out
    code, out = await _cli(db_url, "cancel", "1")
    assert code == 1
    code, out = await _cli(db_url, "send", "--text", "", "--channels", "fake")
    assert code == 2 and "empty" in out
    code, out = await _cli(db_url, "send", "--text", "x", "--channels", "fake", "--audience", "x")
    assert code == 2 and "unknown audience" in out

    [row] = await rows(svoi)
    assert (row.user_id, row.status, row.error) == ("e0", "skipped", "cancelled")
    async with svoi.db.transaction() as session:
        statuses = (await session.execute(select(DeliveryBroadcast.status))).scalars().all()
    assert statuses == ["cancelled"]
