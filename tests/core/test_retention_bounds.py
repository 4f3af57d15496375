"""What anyone can make the service store, without an account, does not pile up: the nightly
retention job ends console lock-out counts that are over, drops old failed logins of
accounts nobody holds, drops inbound events that were never finished (with their raw
bodies) on any channel, and trims muted categories past the bound per resident; a forged
mute button cannot add rows without end."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.app import Svoi
from bot.config import Settings
from bot.maintenance import run_retention
from storage import clock
from storage.db import Database
from storage.models import InboundEvent
from storage.models.access import AuditEntry
from storage.models.delivery import DeliveryMute
from storage.models.web import WebAdminLockout
from storage.repos.access import AuditRepo, RoleRepo
from storage.repos.inbox import InboxRepo
from storage.repos.residents import MAX_MUTES, ResidentRepo
from storage.repos.web import FAILURE_WINDOW
from tests.support.conversation import Resident


async def test_retention_ends_lockouts_whose_window_and_lock_are_over(
    db: Database, settings: Settings
) -> None:
    now = clock.now()
    async with db.transaction() as session:
        session.add_all(
            [
                WebAdminLockout(
                    account="telegram:1", failures=2, window_start=now - FAILURE_WINDOW
                ),
                WebAdminLockout(
                    account="telegram:2",
                    failures=9,
                    window_start=now - timedelta(minutes=40),
                    locked_until=now - timedelta(minutes=1),
                ),
                WebAdminLockout(
                    account="telegram:3", failures=2, window_start=now - timedelta(minutes=5)
                ),
                WebAdminLockout(
                    account="telegram:4",
                    failures=5,
                    window_start=now - timedelta(minutes=20),
                    locked_until=now + timedelta(minutes=1),
                ),
            ]
        )

    report = await run_retention(db, settings, now)

    async with db.transaction() as session:
        kept = set((await session.execute(select(WebAdminLockout.account))).scalars())
    assert kept == {"telegram:3", "telegram:4"}  # still counting, still locked
    assert report.lockouts_deleted == 2


async def test_retention_drops_old_failed_logins_of_accounts_nobody_holds(
    db: Database, settings: Settings
) -> None:
    now = clock.now()
    old = now - timedelta(days=settings.retention_days + 1)
    async with db.transaction() as session:
        await RoleRepo(session).grant("telegram", "5550001", "operator", granted_by="test")
        audit = AuditRepo(session)
        audit.write("telegram:999", None, "web-login", "198.51.100.7", "refused")  # 1
        audit.write("web:unknown", None, "web-login", "198.51.100.7", "locked")  # 2
        audit.write("telegram:5550001", None, "web-login", "198.51.100.7", "refused")  # 3
        audit.write("telegram:5550001", "operator", "web-login", "10.0.0.1", "done")  # 4
        audit.write("telegram:999", None, "roles-grant", "", "refused")  # 5
        audit.write("telegram:998", None, "web-login", "198.51.100.8", "refused")  # 6: new
        await session.flush()
        await session.execute(update(AuditEntry).where(AuditEntry.id < 6).values(at=old))

    report = await run_retention(db, settings, now)

    async with db.transaction() as session:
        kept = (await session.execute(select(AuditEntry.id).order_by(AuditEntry.id))).all()
    # Kept: a failed login on a real account (even one audited before roles were recorded
    # with it), a success, other refusals, and recent attempts.
    assert [row.id for row in kept] == [3, 4, 5, 6]
    assert report.anonymous_logins_deleted == 2


async def test_retention_drops_old_unfinished_events_of_any_channel_and_logs_it(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    now = clock.now()
    old = now - timedelta(days=settings.retention_days + 1)
    async with db.transaction() as session:
        inbox = InboxRepo(session)
        for channel, event_id in [
            ("viber", "v-old"),
            ("viber", "v-old-retried"),
            ("telegram", "t-old"),
            ("viber", "v-new"),
        ]:
            await inbox.record(channel, event_id, '{"message": {"text": "Трудова 5"}}')
        await inbox.mark_attempt_failed("viber", "v-old-retried", "timeout", max_attempts=5)
        await session.execute(
            update(InboundEvent).where(InboundEvent.event_id.like("%-old%")).values(received_at=old)
        )

    with caplog.at_level(logging.WARNING, logger="bot.maintenance"):
        report = await run_retention(db, settings, now)

    async with db.transaction() as session:
        kept = set((await session.execute(select(InboundEvent.event_id))).scalars())
    assert kept == {"v-new"}
    assert report.unfinished_events_deleted == 3
    (record,) = [r for r in caplog.records if "never finished" in r.getMessage()]
    assert "3 inbound events" in record.getMessage()
    assert "telegram: 1, viber: 2" in record.getMessage()
    assert "Трудова" not in caplog.text

    again = await run_retention(db, settings, now)
    assert again.unfinished_events_deleted == 0


async def _mutes(db: Database, resident_id: int) -> list[str]:
    async with db.transaction() as session:
        rows = await session.execute(
            select(DeliveryMute.category)
            .where(DeliveryMute.resident_id == resident_id)
            .order_by(DeliveryMute.created_at)
        )
        return list(rows.scalars())


async def test_retention_trims_muted_categories_past_the_bound(
    db: Database, settings: Settings
) -> None:
    now = clock.now()
    async with db.transaction() as session:
        repo = ResidentRepo(session)
        forger, _ = await repo.upsert_for_turn("test", "forger", locale="uk")
        quiet, _ = await repo.upsert_for_turn("test", "quiet", locale="uk")
        session.add_all(
            [
                DeliveryMute(
                    resident_id=forger.id,
                    category=f"x{n:03d}",
                    created_at=now - timedelta(hours=1) + timedelta(seconds=n),
                )
                for n in range(MAX_MUTES + 3)
            ]
            + [
                DeliveryMute(resident_id=quiet.id, category="waste", created_at=now),
                DeliveryMute(resident_id=quiet.id, category="broadcast", created_at=now),
            ]
        )

    report = await run_retention(db, settings, now)

    assert await _mutes(db, forger.id) == [f"x{n:03d}" for n in range(MAX_MUTES)]  # the oldest
    assert sorted(await _mutes(db, quiet.id)) == ["broadcast", "waste"]
    assert report.mutes_deleted == 3


async def test_forged_mute_buttons_cannot_add_rows_without_end(
    settings: Settings, db: Database
) -> None:
    svoi = Svoi.create(settings.model_copy(update={"flood_max_messages": 1000}), db)
    resident = Resident.on(svoi.engine, user_id="forger")
    await resident.onboard("en")
    for n in range(MAX_MUTES + 5):
        await resident.press_payload(f"g:mute:forged{n}")
    async with db.transaction() as session:
        count = await session.execute(select(func.count()).select_from(DeliveryMute))
    assert count.scalar_one() == MAX_MUTES
    await resident.press_payload("g:mute:forged0")  # muted already: still fine
    assert "forged0" in resident.text
