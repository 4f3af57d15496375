"""`python -m bot waste import|export|exception add` against real databases: validation
with places, all or nothing, idempotency, iCalendar as a source of dates, change notices."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import func, select

from bot.cli import main
from bot.core.i18n import I18n
from dialogs.waste import ensure_default_waste, schedule
from dialogs.waste.content import DEFAULT_CONTENT
from dialogs.waste.service import ZoneSchedules
from storage import clock
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.access import AuditEntry
from storage.models.waste import CollectionException, WasteZone
from storage.repos.waste import WasteRepo
from tests.waste.support import subscribe


@pytest.fixture
def cli(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `python -m bot …` in a thread (it runs its own event loop), like a shell would."""
    monkeypatch.setenv("DATABASE_URL", db_url)

    async def run(*argv: str) -> int:
        return await asyncio.to_thread(main, list(argv))

    return run


async def _count(db: Database, model: type) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar() or 0)


async def test_import_is_idempotent_and_export_round_trips(
    cli,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    assert await cli("waste", "import", str(DEFAULT_CONTENT)) == 0
    assert "imported: 22 created" in capsys.readouterr().out
    assert await cli("waste", "import", str(DEFAULT_CONTENT)) == 0
    assert "imported: 0 created, 0 updated" in capsys.readouterr().out
    exported = tmp_path / "export.yaml"
    assert await cli("waste", "export", str(exported)) == 0
    assert await cli("waste", "import", str(exported)) == 0
    assert "0 created, 0 updated" in capsys.readouterr().out
    for kind in ("streets", "rules", "exceptions", "ecobus"):
        path = tmp_path / f"{kind}.csv"
        assert await cli("waste", "export", str(path), "--kind", kind) == 0
        assert await cli("waste", "import", str(path)) == 0
        assert "0 created, 0 updated" in capsys.readouterr().out
    assert await ensure_default_waste(db) is False


async def test_a_bad_file_changes_nothing_and_every_problem_has_its_place(
    cli,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    await ensure_default_waste(db)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        """
zones:
  - code: new-village
    name_uk: Нове село
    name_en: New village
    streets:
      - {name_uk: Садова, name_en: Sadova St, side: left}
    rules:
      - {type: mixed, rrule: FREQ=WEEKLY;BYDAY=MO, starts_on: 2026-13-01}
      - {type: compost, rrule: "FREQ=SOMETIMES", starts_on: 2026-01-01, window: "12:00-07:00"}
exceptions:
  - {zone: center, type: mixed, date: 2026-12-08, reason_uk: "not a Monday"}
  - {zone: atlantis, type: mixed, date: 2026-12-07, reason_uk: x}
""",
        encoding="utf-8",
    )
    assert await cli("waste", "import", str(bad)) == 1
    err = capsys.readouterr().err
    expected = [
        "bad.yaml:7: zones[1].streets[1].side: 'left' is not one of all, odd, even",
        "bad.yaml:9: zones[1].rules[1].starts_on: '2026-13-01' is not a date YYYY-MM-DD",
        "bad.yaml:10: zones[1].rules[2].rrule: FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY",
        "bad.yaml:10: zones[1].rules[2].window: ends before it starts",
        "bad.yaml:3: zones[1]: unknown waste type 'compost'",
        "bad.yaml:12: exceptions[1]: 2026-12-08 is not a mixed collection day in center",
        "bad.yaml:13: exceptions[2]: unknown zone 'atlantis'",
    ]
    for line in expected:
        assert line in err
    assert f"{len(expected)} problem(s); nothing was imported" in err
    async with db.transaction() as session:
        assert await WasteRepo(session).zone_by_code("new-village") is None
    assert await _count(db, CollectionException) == 1  # only the shipped example

    csv_file = tmp_path / "streets.csv"
    csv_file.write_text(
        "zone,kind,name_uk,name_en,aliases,from,to,side,example\n"
        "center,вул.,Нова,New St,,,,,true\n"
        "center,вул.,Стара,Old St,,9,3,,\n"
        "atlantis,вул.,Морська,Sea St,,,,,\n",
        encoding="utf-8",
    )
    streets_before = len(await _streets(db))
    assert await cli("waste", "import", str(csv_file)) == 1
    err = capsys.readouterr().err
    assert "streets.csv:3: from: is greater than `to`" in err
    assert "streets.csv:4: unknown zone 'atlantis'" in err
    assert len(await _streets(db)) == streets_before


async def _streets(db: Database) -> list[object]:
    async with db.transaction() as session:
        return list(await WasteRepo(session).streets())


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Spetskomuntrans//organic//UK
BEGIN:VEVENT
UID:organic-center@spetskomuntrans
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Kyiv:20261201T080000
DTEND;TZID=Europe/Kyiv:20261201T110000
RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601T000000Z
EXDATE;TZID=Europe/Kyiv:20261229T080000
SUMMARY:Органіка
END:VEVENT
BEGIN:VEVENT
UID:organic-center@spetskomuntrans
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Europe/Kyiv:20270105T080000
DTSTART;TZID=Europe/Kyiv:20270106T080000
DTEND;TZID=Europe/Kyiv:20270106T110000
SUMMARY:Різдво — перенесено
END:VEVENT
END:VCALENDAR
"""


async def test_icalendar_file_is_a_source_of_dates(
    cli,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    await ensure_default_waste(db)
    path = tmp_path / "organic.ics"
    path.write_text(ICS, encoding="utf-8")
    assert await cli("waste", "import", str(path), "--zone", "center", "--type", "organic") == 0
    assert await cli("waste", "import", str(path), "--zone", "center", "--type", "organic") == 0
    assert "0 created, 0 updated" in capsys.readouterr().out
    async with db.transaction() as session:
        repo = WasteRepo(session)
        zone = await repo.zone_by_code("center")
        assert zone is not None
        schedules = await ZoneSchedules.load(repo, zone.id)
    ours = [
        c.starts_at()
        for c in schedules.collections(zone.id, date(2026, 11, 1), date(2027, 12, 31))
        if c.waste_type == "organic"
    ]
    theirs = sorted(
        e.decoded("dtstart").astimezone(UTC)
        for e in recurring_ical_events.of(Calendar.from_ical(ICS)).between(
            date(2026, 11, 1), date(2028, 1, 1)
        )
    )
    # 26 Tuesdays from 1 Dec to 25 May, one cancelled, one moved to Wednesday 6 Jan
    assert ours == theirs and len(ours) == 25
    assert await cli("waste", "import", str(path)) == 1
    assert "no zone/type: pass --zone and --type" in capsys.readouterr().err


async def test_exception_command_notifies_subscribers_and_export_ics_shows_it(
    cli,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    await ensure_default_waste(db)
    await subscribe(db, "center", user="a")
    await subscribe(db, "center", user="b", types=("glass",))
    today = schedule.local_today(clock.now())
    async with db.transaction() as session:
        repo = WasteRepo(session)
        zone = (
            await session.execute(select(WasteZone).where(WasteZone.code == "center"))
        ).scalar_one()
        schedules = await ZoneSchedules.load(repo, zone.id)
    day = next(
        c.day
        for c in schedules.collections(
            zone.id, today + timedelta(days=1), today + timedelta(days=14)
        )
        if c.waste_type == "mixed"
    )
    code = await cli(
        "waste",
        "exception",
        "add",
        "--zone",
        "center",
        "--type",
        "mixed",
        "--date",
        day.isoformat(),
        "--cancel",
        "--reason",
        "Ремонт техніки",
    )
    assert code == 0
    assert "1 change notice(s) enqueued" in capsys.readouterr().out
    async with db.transaction() as session:
        [row] = list((await session.execute(select(OutboxMessage))).scalars())
        [audit] = (
            await session.execute(select(AuditEntry).where(AuditEntry.action == "waste-exception"))
        ).scalars()
    # The same service as the chat and the console: the command line is audited too.
    assert (audit.actor, audit.target) == ("cli", f"center:mixed:{day.isoformat()}")
    text = I18n().t("uk", str(row.template_key), row.template_args)
    assert text.startswith("⚠️ Зміна графіка: address of a")
    assert "Вивезення скасовано: Змішані відходи" in text
    assert "Причина: Ремонт техніки" in text

    not_a_day = day + timedelta(days=1)
    code = await cli(
        "waste",
        "exception",
        "add",
        "--zone",
        "center",
        "--type",
        "mixed",
        "--date",
        not_a_day.isoformat(),
        "--moved-to",
        day.isoformat(),
        "--reason",
        "x",
    )
    assert code == 1
    assert f"{not_a_day.isoformat()} is not a mixed day in center" in capsys.readouterr().err

    exported = tmp_path / "center.ics"
    assert await cli("waste", "export", str(exported), "--zone", "center") == 0
    events = list(Calendar.from_ical(exported.read_bytes()).walk("VEVENT"))
    mixed_days = {
        e.decoded("dtstart").astimezone(clock.CITY_ZONE).date()
        for e in events
        if str(e["x-svoi-type"]) == "mixed"
    }
    # The cancelled day is gone from the calendar; the zone's next mixed collection is not.
    following = next(
        c.day
        for c in schedules.collections(zone.id, day + timedelta(days=1), day + timedelta(days=14))
        if c.waste_type == "mixed"
    )
    assert day not in mixed_days
    assert following in mixed_days


async def test_dry_run_writes_nothing(
    cli,
    db: Database,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    assert await cli("waste", "import", str(DEFAULT_CONTENT), "--dry-run") == 0
    assert "would change: 22 created" in capsys.readouterr().out
    assert await _count(db, WasteZone) == 0
