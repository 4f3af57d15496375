"""The plan file: shipped content loads once, import is idempotent, every error is reported
with its file and line and changes nothing, export gives back an importable file, and the
CLI commands do the same from a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.cli import main
from bot.commands.content import export_text, import_file
from bot.core.contentkit import ContentInvalid
from dialogs.plan.content import (
    DEFAULT_FILE,
    ensure_default_content,
    import_plan,
    parse,
)
from storage.db import Database
from storage.models.plan import Commitment, Milestone, Poll, PollOption, ProgressUpdate

BROKEN = """\
kind: plan
version: 1
plan:
  code: ogp-local-2021
  title: {uk: План, en: Plan}
commitments:
  - number: 1
    title: {uk: Перше}
    description: Опис
    status: almost_done
    progress: 120
    milestones:
      - key: Bad Key
        text: {uk: Ціль, en: Goal}
    updates:
      - key: u1
        date: 10.09.2021
        text: Текст
  - number: 1
    title: Дубль
    description: Опис
    status: limited
    progress: 10
    colour: green
polls:
  - code: poll
    state: open
    question: Питання?
    options:
      - key: only
        text: Один
"""


async def _snapshot(db: Database) -> dict[str, object]:
    async with db.transaction() as session:
        counts = {}
        for model in (Commitment, Milestone, ProgressUpdate, Poll, PollOption):
            counts[model.__tablename__] = (
                await session.execute(select(func.count()).select_from(model))
            ).scalar_one()
        states = (
            await session.execute(
                select(Commitment.code, Commitment.status, Commitment.progress).order_by(
                    Commitment.code
                )
            )
        ).all()
    return {"counts": counts, "states": [tuple(s) for s in states]}


async def test_default_content_loads_once(db: Database) -> None:
    assert await ensure_default_content(db) is True
    first = await _snapshot(db)
    assert first["counts"] == {
        "plan_commitments": 3,
        "plan_milestones": 7,
        "plan_updates": 7,
        "plan_polls": 1,
        "plan_poll_options": 4,
    }
    assert await ensure_default_content(db) is False
    assert await _snapshot(db) == first


async def test_import_is_idempotent_and_reports_changes(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await import_file(db, DEFAULT_FILE) == 0
    assert "created: 3 commitments, 7 milestones" in capsys.readouterr().out
    snapshot = await _snapshot(db)
    assert await import_file(db, DEFAULT_FILE) == 0
    out = capsys.readouterr().out
    assert "created: nothing; updated: nothing; removed: nothing" in out
    assert await _snapshot(db) == snapshot


async def test_a_file_with_errors_reports_each_with_its_line_and_changes_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await ensure_default_content(db)
    before = await _snapshot(db)
    bad = tmp_path / "plan.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    assert await import_file(db, bad) == 1
    out = capsys.readouterr().out.splitlines()
    expected = [
        f"{bad}:8: commitments[1].title.en: expected non-empty text",
        f"{bad}:10: commitments[1].status: 'almost_done' is not one of not_started, "
        "limited, substantial, complete",
        f"{bad}:11: commitments[1].progress: expected a whole number 0–100",
        f"{bad}:13: commitments[1].milestones[1].key: expected 1–48 characters of a-z, 0-9 and '-'",
        f"{bad}:17: commitments[1].updates[1].date: expected a date YYYY-MM-DD",
        f"{bad}:19: commitments[2]: commitment number 1 is used twice (first at line 7)",
        f"{bad}:24: commitments[2]: unknown field 'colour'",
        f"{bad}:29: polls[1].options: a poll has 2–10 options",
    ]
    assert out[:-1] == expected
    assert out[-1] == f"{len(expected)} error(s); nothing was changed."
    assert await _snapshot(db) == before


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("kind: plan\nplan: [1, 2\n", "x.yaml:3: not valid YAML"),
        ("- just\n- a list\n", "x.yaml:1: expected a mapping of fields"),
        ("kind: waste\nplan: {code: p, title: t}\n", "x.yaml:1: kind: expected 'plan'"),
        ("kind: plan\nkind: plan\nplan: {code: p, title: t}\n", "x.yaml:2: duplicate key 'kind'"),
    ],
)
def test_malformed_files(source: str, message: str) -> None:
    with pytest.raises(ContentInvalid) as raised:
        parse(source, "x.yaml")
    assert str(raised.value.problems[0]).startswith(message)


async def test_a_removed_option_with_votes_is_an_error(
    db: Database, svoi: object, tmp_path: Path
) -> None:
    from bot.app import Svoi
    from tests.support.conversation import Resident

    assert isinstance(svoi, Svoi)
    await ensure_default_content(db)
    voter = Resident.on(svoi.engine)
    await voter.onboard("en")
    await voter.send("/start p1")
    await voter.press("All equally")
    data = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    data["polls"][0]["options"] = data["polls"][0]["options"][:3]
    changed = tmp_path / "plan.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(ContentInvalid) as raised:
        async with db.transaction() as session:
            await import_plan(session, parse(changed.read_text("utf-8"), str(changed)))
    assert "option 'all' has 1 vote(s) and cannot be removed" in str(raised.value)


async def test_export_then_import_round_trips(db: Database, svoi: object, tmp_path: Path) -> None:
    from bot.app import Svoi
    from tests.support.conversation import Resident

    assert isinstance(svoi, Svoi)
    await ensure_default_content(db)
    operator = Resident.on(svoi.engine, user_id="operator-1")
    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Publish an update")
    await operator.press("pc:c1")
    await operator.press("complete")
    await operator.send("100")
    await operator.send("Усі послуги онлайн")
    await operator.press("Publish")
    exported = await export_text(db)
    data = yaml.safe_load(exported)
    assert [c["number"] for c in data["commitments"]] == [1, 2, 3]
    assert data["commitments"][0]["updates"][-1]["text"] == "Усі послуги онлайн"
    assert data["commitments"][0]["status"] == "complete"
    snapshot = await _snapshot(db)
    again = tmp_path / "exported.yaml"
    again.write_text(exported, encoding="utf-8")
    async with db.transaction() as session:
        report = await import_plan(session, parse(exported, str(again)))
    assert not report.changed, report.summary()
    assert await _snapshot(db) == snapshot


def test_cli_import_export_and_dry_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    assert main(["content", "import", "--dry-run"]) == 0
    assert "valid; would change: created: 3 commitments" in capsys.readouterr().out
    assert main(["content", "import"]) == 0
    assert "imported; created: 3 commitments" in capsys.readouterr().out
    target = tmp_path / "out.yaml"
    assert main(["content", "export", str(target)]) == 0
    assert yaml.safe_load(target.read_text("utf-8"))["plan"]["code"] == "ogp-local-2021"
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    assert main(["content", "import", str(broken)]) == 1
    assert "8 error(s); nothing was changed." in capsys.readouterr().out
