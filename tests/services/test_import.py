"""Staff maintain the catalogue as a file: a bad file names every problem with its line or row
and changes nothing; a good file imports once (again is a no-op) and exports back exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main as cli
from bot.core.contentkit import ContentInvalid
from dialogs.services.catalogue import (
    DEFAULT_CATALOGUE,
    export_catalogue,
    import_catalogue,
    read_file,
)
from storage.db import Database
from storage.models.services import Service, ServiceCatalogue, ServiceCategory, ServiceOffice
from storage.repos.services import ServiceRepo
from tests.support.databases import truncate_all

BAD_YAML = """\
version: 1
offices:
  - code: cnap
    name: {uk: ЦНАП, en: Centre}
    website: cnap.khm.gov.ua
    latitude: 149.5
    phones: ["+380 382 76-58-61", "call us"]
categories:
  - code: Passports
    title: {uk: Паспорти}
services:
  - code: id-card
    category: passports
    name: {uk: Паспорт, en: Passport}
    paid: maybe
    descripton: {uk: Опис}
  - code: id-card
    category: nowhere
    name: {uk: Ще раз, en: Again}
  - code: third
    category: passports
    office: cnap
    name: {uk: Третя}
    online_url: "tel:+380382765861"
    documents: {uk: Паспорт, de: Pass}
"""


async def _empty(url: str) -> None:
    database = Database(url)
    if not database.is_sqlite:
        await truncate_all(database)
    await database.dispose()


async def _snapshot(db: Database) -> tuple[int, int, int, str | None]:
    async with db.transaction() as session:
        services = await session.scalar(select(func.count()).select_from(Service))
        categories = await session.scalar(select(func.count()).select_from(ServiceCategory))
        offices = await session.scalar(select(func.count()).select_from(ServiceOffice))
        stamp = await ServiceRepo(session).stamp()
    return int(services or 0), int(categories or 0), int(offices or 0), stamp


def test_every_problem_of_a_bad_yaml_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_YAML, encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        read_file(path)
    report = [str(p) for p in caught.value.problems]
    expected = [
        (5, "website: 'cnap.khm.gov.ua' must be a full http:// or https:// address"),
        (6, "latitude: 149.5 is outside -90…90"),
        (7, "phones[2]: 'call us' is not a phone number"),
        (9, "code: 'Passports' must be lower-case latin letters"),
        (10, "title.en: required"),
        (15, "paid: expected true or false, got 'maybe'"),
        (16, "unknown field 'descripton' (did you mean 'description'?)"),
        (17, "services[2]: code 'id-card' is used twice (first at line 12)"),
        (18, "services[2].category: category 'nowhere' is not in categories"),
        (23, "name.en: required"),
        (24, "online_url: 'tel:+380382765861' must be a full http:// or https:// address"),
        (25, "documents: unknown language 'de'"),
    ]
    for line, message in expected:
        assert any(r.startswith(f"{path}:{line}: ") and message in r for r in report), (
            line,
            message,
            report,
        )
    assert len(report) == len(expected)


def test_broken_yaml_syntax_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("services:\n  - code: a\n    name: {uk: x\n  - oops\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        read_file(path)
    [problem] = caught.value.problems
    assert problem.line is not None and "not valid YAML" in problem.message


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes("code,category,name_uk,name_en\nx,c,Паспорт,Passport\n".encode("cp1251"))
    with pytest.raises(ContentInvalid, match="not UTF-8"):
        read_file(path)


async def test_a_bad_file_changes_nothing(db: Database, catalogue: None, tmp_path: Path) -> None:
    before = await _snapshot(db)
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_YAML, encoding="utf-8")
    with pytest.raises(ContentInvalid):
        await import_catalogue(db, path)
    assert await _snapshot(db) == before


async def test_a_csv_with_problems_names_rows_and_changes_nothing(
    db: Database, catalogue: None, tmp_path: Path
) -> None:
    before = await _snapshot(db)
    path = tmp_path / "services.csv"
    path.write_text(
        "code,category,office,name_uk,name_en,paid,keywords\n"
        'ok-one,passports,cnap,Добра,Good,false,"один\nдва"\n'
        "bad one,passports,cnap,Погана,Bad,false,\n"
        "no-name,passports,,,,так,\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentInvalid) as caught:
        await import_catalogue(db, path)
    report = [str(p) for p in caught.value.problems]
    # the line a row starts on, and the row as a spreadsheet numbers it (row 2 has two lines)
    assert any(r.startswith(f"{path}:4: row 3: code: 'bad one'") for r in report), report
    assert f"{path}:5: row 4: name.uk: required" in report
    assert f"{path}:5: row 4: name.en: required" in report
    assert await _snapshot(db) == before

    path.write_text(
        "code,category,name_uk,name_en\nnew-one,no-such-category,Нова,New\n", encoding="utf-8"
    )
    with pytest.raises(ContentInvalid) as caught:
        await import_catalogue(db, path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: row 2: category 'no-such-category' is not in the catalogue's categories "
        "(import the YAML catalogue first)"
    ]
    assert await _snapshot(db) == before

    path.write_text("code,category,name,name_en\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        await import_catalogue(db, path)
    assert f"{path}:1: header: unknown column 'name' (did you mean 'name_uk'?)" in [
        str(p) for p in caught.value.problems
    ]


async def test_import_is_idempotent_and_export_round_trips(db: Database, tmp_path: Path) -> None:
    first = await import_catalogue(db, DEFAULT_CATALOGUE)
    assert first.created == {
        "offices": 2,
        "categories": 8,
        "services": len(read_file(DEFAULT_CATALOGUE).services),
    }
    after_first = await _snapshot(db)
    again = await import_catalogue(db, DEFAULT_CATALOGUE)
    assert not again.changed
    assert await _snapshot(db) == after_first  # same stamp: no index rebuild either

    for suffix in (".yaml", ".csv"):
        text, count = await export_catalogue(db, suffix)
        assert count == after_first[0]
        path = tmp_path / f"export{suffix}"
        path.write_text(text, encoding="utf-8")
        report = await import_catalogue(db, path)
        assert not report.changed, (suffix, report.summary())
    assert await _snapshot(db) == after_first


async def test_a_smaller_catalogue_replaces_the_old_one(
    db: Database, catalogue: None, tmp_path: Path
) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(
        "categories:\n  - {code: passports, title: {uk: Паспорти, en: Passports}}\n"
        "services:\n  - {code: id-card, category: passports, name: {uk: ID-картка, en: ID card}}\n",
        encoding="utf-8",
    )
    report = await import_catalogue(db, path)
    assert report.updated["services"] == 1
    assert report.removed == {"services": 28, "categories": 7, "offices": 2}
    async with db.transaction() as session:
        revision = (await session.execute(select(ServiceCatalogue))).scalar_one().revision
        [service] = await ServiceRepo(session).all_services()
    assert revision == 2
    assert service.office_id is None and service.name == {"uk": "ID-картка", "en": "ID card"}


async def test_the_default_catalogue_loads_only_into_an_empty_database(
    db: Database, tmp_path: Path
) -> None:
    from dialogs.services import ensure_default_catalogue

    assert await ensure_default_catalogue(db) is True
    loaded = await _snapshot(db)
    assert loaded[0] >= 25
    assert await ensure_default_catalogue(db) is False
    assert await _snapshot(db) == loaded


def test_cli_import_reports_problems_and_exits_non_zero(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A plain (not async) test: the CLI runs its own event loop, as it does for the staff.
    asyncio.run(_empty(db_url))
    monkeypatch.setenv("DATABASE_URL", db_url)
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_YAML, encoding="utf-8")
    assert cli(["services", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:6: offices[1].latitude: 149.5 is outside -90…90" in err
    assert "problems; nothing was changed" in err

    assert cli(["services", "import", str(DEFAULT_CATALOGUE)]) == 0
    assert "services import: imported" in capsys.readouterr().out
    assert cli(["services", "import", str(DEFAULT_CATALOGUE)]) == 0
    assert "already up to date" in capsys.readouterr().out

    out = tmp_path / "out.csv"
    assert cli(["services", "export", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("code,category,office,")
    assert cli(["services", "export", str(tmp_path / "out.txt")]) == 1
