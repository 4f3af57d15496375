"""`python -m bot reports export`: a report made in the chat comes out as GeoJSON for the
geoportal and as CSV for a spreadsheet, from the command line (the city's IT staff)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from bot.app import Svoi
from bot.config import Settings
from storage.db import Database
from tests.support.conversation import Resident
from tests.support.process import PROJECT, clean_env


async def test_a_report_made_in_the_chat_is_exported_for_the_geoportal(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'svoi.sqlite3'}"
    db = Database(url)
    svoi = Svoi.create(Settings(database_url=url, _env_file=None), db)  # type: ignore[call-arg]
    await svoi.prepare_database()
    resident = Resident.on(svoi.engine)
    await resident.onboard("uk")
    await resident.press("Повідомити про проблему")
    await resident.press("Стихійне звалище")
    await resident.share_location(49.4105, 26.9497)
    await resident.press("Без фото")
    await resident.send('=HYPERLINK("http://evil")')
    await resident.press("Надіслати")
    await db.dispose()

    def export(fmt: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "reports", "export", "--format", fmt],
            cwd=PROJECT,
            env=clean_env(DATABASE_URL=url),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    collection = json.loads(export("geojson"))
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [26.9497, 49.4105]}
    assert feature["properties"]["category"] == "illegal-dump"
    [row] = list(csv.DictReader(io.StringIO(export("csv").lstrip("\ufeff"))))
    assert row["description"].startswith("'=HYPERLINK")  # text in a spreadsheet, not a formula
