"""A large content file is parsed and checked in a worker thread, so the bot's event loop
keeps answering residents while the city's staff import a catalogue of thousands of
services: the services catalogue, waste content and the action plan, from the CLI and at
start-up. Each parser logs how long it took; the log record says which thread it ran in."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import yaml

from bot.commands.content import import_file
from dialogs.plan.content import DEFAULT_FILE as PLAN_FILE
from dialogs.plan.content import ensure_default_content
from dialogs.services import ensure_default_catalogue
from dialogs.services.catalogue import import_catalogue
from dialogs.services.service import import_services
from dialogs.waste import ensure_default_waste
from storage.db import Database

PARSERS = ("dialogs.services.catalogue", "dialogs.waste.content", "dialogs.plan.content")


@pytest.fixture
def parser_threads(caplog: pytest.LogCaptureFixture) -> Callable[[], list[int]]:
    """The threads the content parsers ran in, from their "read in" log records."""
    for name in PARSERS:
        caplog.set_level(logging.DEBUG, logger=name)

    def threads() -> list[int]:
        return [
            record.thread or 0
            for record in caplog.records
            if record.name in PARSERS and " read in " in record.getMessage()
        ]

    return threads


def _large_catalogue(services: int) -> str:
    return yaml.safe_dump(
        {
            "version": 1,
            "categories": [
                {"code": f"cat-{i}", "title": {"uk": f"Категорія {i}", "en": f"Category {i}"}}
                for i in range(10)
            ],
            "services": [
                {
                    "code": f"service-{i}",
                    "category": f"cat-{i % 10}",
                    "name": {"uk": f"Послуга {i}", "en": f"Service {i}"},
                    "description": {"uk": "Опис послуги. " * 10, "en": "A description. " * 10},
                    "documents": {"uk": ["Паспорт", "Заява"], "en": ["Passport"]},
                    "keywords": ["довідка", f"k{i}"],
                }
                for i in range(services)
            ],
        },
        allow_unicode=True,
    )


async def test_a_large_catalogue_import_keeps_the_event_loop_responsive(
    db: Database, tmp_path: Path, parser_threads: Callable[[], list[int]]
) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(_large_catalogue(300), encoding="utf-8")
    report = await import_catalogue(db, path)
    created = {kind: report.created.get(kind, 0) for kind in ("offices", "categories", "services")}
    assert created == {"offices": 0, "categories": 10, "services": 300}
    [parsed_in] = parser_threads()
    assert parsed_in != threading.get_ident()  # the test's event loop runs in this thread


async def test_a_catalogue_uploaded_in_the_console_is_parsed_off_the_event_loop(
    db: Database, parser_threads: Callable[[], list[int]]
) -> None:
    content = _large_catalogue(300).encode()
    result = await import_services(db, "services.yaml", content, dry_run=True)
    assert result.problems == [] and not result.changed
    [parsed_in] = parser_threads()
    assert parsed_in != threading.get_ident()


Load = Callable[[Database], Awaitable[object]]


async def _plan_command(db: Database) -> object:
    out = io.StringIO()
    assert await import_file(db, PLAN_FILE, out=out) == 0, out.getvalue()
    return out.getvalue()


@pytest.mark.parametrize(
    "load",
    [
        pytest.param(ensure_default_catalogue, id="services-at-start-up"),
        pytest.param(ensure_default_waste, id="waste-at-start-up"),
        pytest.param(ensure_default_content, id="plan-at-start-up"),
        pytest.param(_plan_command, id="plan-content-import-command"),
    ],
)
async def test_content_files_are_parsed_off_the_event_loop(
    load: Load, db: Database, parser_threads: Callable[[], list[int]]
) -> None:
    assert await load(db)
    threads = parser_threads()
    assert threads and threading.get_ident() not in threads
