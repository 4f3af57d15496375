"""Every CSV Svoi writes is safe to open in a spreadsheet: a resident who types
`=HYPERLINK(…)`, `+cmd`, `-1+1` or `@SUM(1)` as a comment, a name, a question or an
`X-Forwarded-For` header finds it in the working group's export as text with a leading `'`,
not as a formula. Exports that staff import again (the services catalogue, waste content)
import back unchanged."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import FormData

from bot.app import Svoi
from bot.cli import main
from bot.commands.feedback import as_csv, feedback_report
from dialogs.plan.content import ensure_default_content
from dialogs.services.catalogue import export_catalogue, import_catalogue
from dialogs.waste import ensure_default_waste
from storage import csvsafe
from storage.db import Database
from storage.repos.services import ServiceRepo
from tests.support.conversation import Resident
from tests.web.conftest import (
    OPERATOR,
    add_account,
    csrf_of,
    login,
    start_web,
    stop_web,
    web_settings,
)

ROOT = Path(__file__).resolve().parents[2]
LINK = '=HYPERLINK("http://evil","x")'
PLANTED = (LINK, "+cmd", "-1+1", "@SUM(1)")

Cli = Callable[..., Awaitable[int]]


@pytest.fixture
def cli(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `python -m bot …` in a thread (it runs its own event loop), like a shell would."""
    monkeypatch.setenv("DATABASE_URL", db_url)

    async def run(*argv: str) -> int:
        return await asyncio.to_thread(main, list(argv))

    return run


def _rows(text: str, **options: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), **options))


def _runs_in_a_spreadsheet(value: str) -> bool:
    return value.startswith(tuple(csvsafe.FORMULA_START))


# --- the rule ---------------------------------------------------------------------------
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote() -> None:
    assert [csvsafe.cell(value) for value in PLANTED] == [
        "'" + LINK,
        "'+cmd",
        "'-1+1",
        "'@SUM(1)",
    ]
    assert csvsafe.cell("\tcmd") == "'\tcmd" and csvsafe.cell("\r=1") == "'\r=1"
    # Text that only looks like a number is text; numbers our code writes stay numbers.
    assert csvsafe.cell("-5") == "'-5"
    assert [csvsafe.cell(value) for value in (-5, -0.5, 3, True, None)] == [
        -5,
        -0.5,
        3,
        True,
        None,
    ]
    assert [csvsafe.cell(value) for value in ("a=b", "", "'quoted", "5-1")] == [
        "a=b",
        "",
        "'quoted",
        "5-1",
    ]


@pytest.mark.parametrize(
    "value",
    [*PLANTED, "'=already quoted", "''-twice", "'plain", "'", "plain", "", "\t=1", "a-b"],
)
def test_unquote_gives_back_exactly_what_was_written(value: str) -> None:
    written = csvsafe.cell(value)
    assert isinstance(written, str) and not _runs_in_a_spreadsheet(written)
    assert csvsafe.unquote(written) == value


def test_every_csv_the_project_writes_goes_through_the_safe_writer() -> None:
    raw_writer = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("bot", "handlers", "dialogs", "storage")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.relative_to(ROOT).as_posix() != "storage/csvsafe.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if raw_writer.search(line)
    ]
    assert offenders == [], "write CSV with storage.csvsafe.Writer or DictWriter"


# --- exports of what residents typed ------------------------------------------------------
async def test_feedback_export_shows_a_residents_formula_as_text(svoi: Svoi, db: Database) -> None:
    assert await ensure_default_content(db) is True
    for comment, name in ((LINK, "+cmd"), ("-1+1", "@SUM(1)")):
        resident = Resident.on(svoi.engine)
        await resident.onboard("en")
        await resident.send("/start c2", display_name=name)
        await resident.press("Rate")
        await resident.press("2")
        await resident.send(comment)
        await resident.press("Yes")

    rows = _rows(as_csv(await feedback_report(db)))
    comments = [(r["comment"], r["contact_name"]) for r in rows if r["section"] == "comment"]
    assert sorted(comments) == sorted([("'" + LINK, "'+cmd"), ("'-1+1", "'@SUM(1)")])
    # Figures stay numbers.
    rating = next(r for r in rows if r["section"] == "rating" and r["commitment"] == "c2")
    assert (rating["count"], rating["average"], rating["r2"]) == ("2", "2.0", "2")


async def test_audit_export_shows_an_uploaded_file_name_formula_as_text(
    db: Database, db_url: str, cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    # The console audits a catalogue upload with the file's name, as the browser sent it.
    web = await start_web(Svoi.create(web_settings(db_url), db))
    try:
        await add_account(web.svoi, OPERATOR, "operator")
        assert (await login(web.client, OPERATOR)).status == 303
        for name in PLANTED:
            form = FormData(quote_fields=False)  # the name as typed, not percent-encoded
            form.add_field("csrf", await csrf_of(web.client))
            form.add_field("file", b"not: [yaml", filename=f"{name}.yaml")
            response = await web.client.post("/admin/services/import", data=form)
            assert response.status == 400
            response.release()
    finally:
        await stop_web(web)
    capsys.readouterr()

    assert await cli("audit", "export") == 0
    rows = _rows(capsys.readouterr().out)
    targets = [r["target"] for r in rows if r["action"] == "services-import"]
    assert targets == [f"'{name}.yaml" for name in PLANTED]
    assert not any(_runs_in_a_spreadsheet(value) for row in rows for value in row.values())


async def test_services_questions_show_a_residents_formula_as_text(
    svoi: Svoi, db: Database, cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    from dialogs.services import ensure_default_catalogue

    assert await ensure_default_catalogue(db) is True
    resident = Resident.on(svoi.engine)
    await resident.onboard("uk")
    await resident.press("Міські послуги")
    await resident.send("@SUM(1) космодром")
    await resident.press("Запитати міську раду")
    await resident.send(f"{LINK} де зареєструвати космодром?")
    assert "Ваше запитання №" in resident.text

    assert await cli("services", "questions") == 0
    [row] = _rows(capsys.readouterr().out)
    assert row["question"] == f"'{LINK} де зареєструвати космодром?"
    assert row["search_query"].startswith("'@SUM(1)")


async def test_roles_list_shows_an_address_that_looks_like_a_formula_as_text(
    cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await cli("roles", "grant", "@evil:2", "operator") == 0
    assert await cli("roles", "grant", "telegram:42", "viewer") == 0
    capsys.readouterr()
    assert await cli("roles", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["'@evil:2", "operator"],
        ["telegram:42", "viewer"],
    ]


# --- exports staff import again -------------------------------------------------------------
PLANTED_SERVICE: dict[str, Any] = {
    "code": "planted",
    "category": "papers",
    "position": -3,
    "name": {"uk": LINK, "en": "+cmd"},
    "description": {"uk": "-1+1", "en": "@SUM(1)"},
    "documents": {"uk": ["-паспорт", "=2+2"], "en": ["'=already quoted"]},
    "fee": {"uk": "'plain quote", "en": "\tcmd"},
    "keywords": ["@mention", "звичайне"],
}


def _catalogue(*services: dict[str, Any]) -> str:
    return yaml.safe_dump(
        {
            "version": 1,
            "categories": [{"code": "papers", "title": {"uk": "Довідки", "en": "Papers"}}],
            "services": list(services),
        },
        allow_unicode=True,
    )


async def test_a_catalogue_csv_export_shows_formulas_as_text_and_imports_back_unchanged(
    db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "catalogue.yaml"
    source.write_text(_catalogue(PLANTED_SERVICE), encoding="utf-8")
    assert (await import_catalogue(db, source)).changed

    text, count = await export_catalogue(db, ".csv")
    assert count == 1
    planted = next(r for r in _rows(text) if r["code"] == "planted")
    assert planted["name_uk"] == "'" + LINK and planted["name_en"] == "'+cmd"
    assert (planted["description_uk"], planted["description_en"]) == ("'-1+1", "'@SUM(1)")
    assert planted["documents_uk"] == "'-паспорт\n=2+2"
    assert planted["documents_en"] == "''=already quoted"
    assert planted["fee_uk"] == "'plain quote"  # no formula: left as it is
    assert planted["keywords"] == "'@mention\nзвичайне"
    assert planted["position"] == "-3"  # a number stays a number
    texts = [value for column, value in planted.items() if column != "position"]
    assert not any(_runs_in_a_spreadsheet(value) for value in texts)

    exported = tmp_path / "services.csv"
    exported.write_text(text, encoding="utf-8", newline="")
    report = await import_catalogue(db, exported)
    assert not report.changed, report.summary()
    async with db.transaction() as session:
        [service] = [s for s in await ServiceRepo(session).all_services() if s.code == "planted"]
    assert (service.name["uk"], service.name["en"]) == (LINK, "+cmd")
    assert service.documents["uk"] == ["-паспорт", "=2+2"]
    assert service.documents["en"] == ["'=already quoted"]
    assert service.keywords == ["@mention", "звичайне"]

    # What a spreadsheet saves (semicolons, no quotes added) imports as written.
    by_hand = tmp_path / "by-hand.csv"
    by_hand.write_text(
        f"code;category;name_uk;name_en\nplanted;papers;{LINK};+cmd\n",
        encoding="utf-8",
    )
    assert (await import_catalogue(db, by_hand)).changed
    async with db.transaction() as session:
        [service] = await ServiceRepo(session).all_services()
    assert service.name["uk"] == LINK and service.name["en"] == "+cmd"


async def test_a_catalogue_csv_export_with_quoted_words_imports_back_unchanged(
    db: Database, tmp_path: Path
) -> None:
    # Guessing the CSV dialect from the rows (csv.Sniffer) took the `'` before `-1+1` and
    # the quotes around 'Diia' for a quote character and read the row as garbage.
    service = {
        "code": "diia",
        "category": "papers",
        "name": {"uk": "-1+1", "en": "+cmd"},
        "description": {"en": "Apply in the 'Diia' app"},
    }
    source = tmp_path / "catalogue.yaml"
    source.write_text(_catalogue(service), encoding="utf-8")
    await import_catalogue(db, source)
    text, _count = await export_catalogue(db, ".csv")
    assert "diia,papers,,1,false,'-1+1,'+cmd,,Apply in the 'Diia' app," in text

    exported = tmp_path / "services.csv"
    exported.write_text(text, encoding="utf-8", newline="")
    report = await import_catalogue(db, exported)
    assert not report.changed, report.summary()


WASTE_CSV = {
    "streets": (
        "zone,kind,name_uk,name_en,aliases,from,to,side,example\n"
        f'center,,"{LINK.replace(chr(34), chr(34) * 2)}",+cmd,-1+1;@SUM(1),1,99,,true\n'
        "center,,Соборна,Soborna Street,,,,,true\n"
    ),
    "rules": (
        "zone,type,rrule,dates,starts_on,ends_on,window,note_uk,note_en,example\n"
        "center,mixed,FREQ=WEEKLY;BYDAY=TU,,2026-01-06,,07:00-09:00,@SUM(1),-1+1,true\n"
    ),
    "exceptions": (
        "zone,type,date,moved_to,reason_uk,reason_en\n"
        "center,mixed,2027-01-04,2027-01-05,+cmd,=1+1\n"
    ),
    "ecobus": (
        "code,place_uk,place_en,latitude,longitude,starts_at,ends_at,example\n"
        "eco-planted,-1+1,@SUM(1),49.42,26.99,2026-12-05T10:00,2026-12-05T10:40,true\n"
    ),
}


@pytest.mark.parametrize("kind", sorted(WASTE_CSV))
async def test_a_waste_csv_export_shows_formulas_as_text_and_imports_back_unchanged(
    kind: str, db: Database, cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await ensure_default_waste(db) is True
    by_hand = tmp_path / f"by-hand-{kind}.csv"
    by_hand.write_text(WASTE_CSV[kind], encoding="utf-8")
    assert await cli("waste", "import", str(by_hand)) == 0, capsys.readouterr().err

    exported = tmp_path / f"{kind}.csv"
    assert await cli("waste", "export", str(exported), "--kind", kind) == 0
    text = exported.read_text(encoding="utf-8")
    cells = [value for row in _rows(text) for value in row.values()]
    assert not any(_runs_in_a_spreadsheet(value) for value in cells), text
    planted = {value.removeprefix("'") for value in cells if value.startswith("'")}
    expected = {
        "streets": {LINK, "+cmd", "-1+1;@SUM(1)"},
        "rules": {"@SUM(1)", "-1+1"},
        "exceptions": {"+cmd", "=1+1"},
        "ecobus": {"-1+1", "@SUM(1)"},
    }
    assert planted == expected[kind]
    capsys.readouterr()

    assert await cli("waste", "import", str(exported)) == 0
    assert "0 created, 0 updated" in capsys.readouterr().out
