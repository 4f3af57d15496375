"""Residents' reports on the console: a Telegram resident reports a missed collection with a
phone photo and a shared location; a web-chat visitor reports a broken bench with a photo
from the page and a typed address. The operator sees both in the list, on the plan and in
the missed-collection groups, opens one, sees its photo (served with the metadata stripped:
the test reads the bytes), sets it resolved with a comment — the reporter is told through
the outbox in their channel — and downloads the list as CSV and GeoJSON. Forged and
missing input gets a clear answer. On both databases."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.channels.web.admin.pages import reports as report_pages
from bot.core.capabilities import TELEGRAM
from storage.models.access import AuditEntry
from storage.models.reports import Report
from tests.support.conversation import Resident
from tests.support.images import metadata_of, phone_jpeg
from tests.web.conftest import OPERATOR, WebService, button_payload, chat_send, text
from tests.web.test_console_pages import outbox, post

NBSP = "\u00a0"
_ids = itertools.count(1)


def _press(answer: Any, label: str) -> dict[str, str]:
    return {"type": "button", "payload": button_payload(answer, label)}


def _texts(answer: Any) -> str:
    return "\n".join(m["text"] for m in answer["messages"])


async def telegram_missed_collection(web: WebService) -> Resident:
    resident = Resident.on(
        web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id="310000771", language="uk"
    )
    await resident.onboard("uk")
    await resident.press("Повідомити про проблему")
    await resident.press("Не вивезли сміття")
    await resident.share_location(49.4216, 26.9965)
    await resident.send_photo(phone_jpeg())  # the phone's EXIF with a GPS position
    await resident.press("Готово")
    await resident.send("Контейнери біля школи не вивозили з понеділка")
    await resident.press("Надіслати")
    assert f"Звернення №{NBSP}26-00001 надіслано" in resident.text
    return resident


async def web_broken_bench(web: WebService, client: TestClient[Any, Any]) -> None:
    """A visitor of the web chat, in English: menu → report → address → photo → send."""
    await chat_send(client, {"type": "start"})
    answer = await chat_send(client, {"type": "button", "payload": "lang:en"})
    answer = await chat_send(client, _press(answer, "Report a problem"))
    answer = await chat_send(client, _press(answer, "Broken bench or bin"))
    answer = await chat_send(
        client, {"type": "text", "text": "Proskurivska St, 1, by the fountain"}
    )
    assert "Add a photo" in _texts(answer)
    photo = await client.post(
        f"/web/api/photo?id=rep_{next(_ids):04d}",
        data=phone_jpeg(),
        headers={"Content-Type": "image/jpeg"},
    )
    assert photo.status == 200
    answer = await photo.json()
    assert "Photos added: 1 of 3" in _texts(answer)
    answer = await chat_send(client, _press(answer, "Done"))
    answer = await chat_send(client, {"type": "text", "text": "The bench's seat is broken"})
    answer = await chat_send(client, _press(answer, "Send"))
    assert "Report No. 26-00002 was sent" in _texts(answer)


async def test_an_operator_sees_reports_with_photos_and_resolves_one(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    await telegram_missed_collection(web)
    await web_broken_bench(web, web.client)

    listing = await operator.get("/admin/reports")
    page = await text(listing)
    assert listing.status == 200
    assert "Звернення мешканців" in page and 'aria-current="page"' in page
    assert f"Звернення №{NBSP}26-00001" in page and f"Звернення №{NBSP}26-00002" in page
    assert "Не вивезли сміття" in page and "Зламана лавка чи урна" in page
    assert "Proskurivska" in page  # the typed address
    # the plan: one point for the report with a location; the other is in the list only
    assert page.count('r="9" class="pin pin-received"') == 1
    assert "Звернень із геолокацією на схемі: 1" in page
    assert "Ще 1 звернення без геолокації є лише в списку." in page
    # the missed collections, grouped by zone and day
    missed = page.split('id="missed-title"')[1].split("</section>")[0]
    assert "зона невідома" in missed and f"№{NBSP}26-00001</a>" in missed

    only_missed = await text(await operator.get("/admin/reports?category=missed-collection"))
    assert "26-00001" in only_missed and "26-00002" not in only_missed
    resolved_only = await text(await operator.get("/admin/reports?status=resolved"))
    assert "Звернень із такими умовами немає." in resolved_only
    forged = await operator.get("/admin/reports?status=%3Cscript%3E&category=nope")
    assert forged.status == 200 and "<script>" not in await text(forged)

    async with web.svoi.db.transaction() as session:
        first = (
            await session.execute(select(Report).where(Report.reference == "26-00001"))
        ).scalar_one()
    item = await text(await operator.get(f"/admin/reports/{first.id}"))
    assert "Контейнери біля школи" in item and "openstreetmap.org/?mlat=49.421600" in item
    keys = re.findall(r'<img src="/admin/files/([0-9a-f]{32})"', item)
    assert len(keys) == 1
    image = await operator.get(f"/admin/files/{keys[0]}")
    assert image.status == 200 and image.headers["Content-Type"] == "image/jpeg"
    body = await image.read()
    assert metadata_of(body)["exif"] == {}  # no EXIF, no GPS position from the phone

    bad = await post(operator, f"/admin/reports/{first.id}/status", {"status": "done-ish"})
    assert bad.status == 400 and "Невідомий статус." in await bad.text()
    too_long = await post(
        operator, f"/admin/reports/{first.id}/status", {"status": "resolved", "comment": "я" * 1001}
    )
    assert too_long.status == 400
    assert await outbox(web.svoi.db, kind="report-status") == []

    done = await post(
        operator,
        f"/admin/reports/{first.id}/status",
        {"status": "resolved", "comment": "Вивезли сьогодні о 15:00"},
    )
    assert done.status == 303
    assert done.headers["Location"] == f"/admin/reports/{first.id}?notice=report-status"
    shown = await text(await operator.get(done.headers["Location"]))
    assert "Статус збережено" in shown and "Вивезли сьогодні о 15:00" in shown
    assert '<dd id="report-status">вирішено</dd>' in shown

    (note,) = await outbox(web.svoi.db, kind="report-status")
    assert (note.channel, note.user_id) == ("telegram", "310000771")
    assert note.template_key == "reports-notify-status"
    assert note.template_args["comment"] == "Вивезли сьогодні о 15:00"
    # saving the same status again notifies nobody a second time
    again = await post(
        operator, f"/admin/reports/{first.id}/status", {"status": "resolved", "comment": "Так"}
    )
    assert again.status == 303
    assert len(await outbox(web.svoi.db, kind="report-status")) == 1
    async with web.svoi.db.transaction() as session:
        audited = {
            (e.actor, e.action, e.target)
            for e in (await session.execute(select(AuditEntry))).scalars()
        }
    assert (OPERATOR, "report-status", "26-00001") in audited
    assert (OPERATOR, "file-view", keys[0]) in audited

    assert (await operator.get("/admin/reports/999")).status == 404
    gone = await post(operator, "/admin/reports/999/status", {"status": "resolved"})
    assert gone.status == 404


async def test_the_list_downloads_for_a_spreadsheet_and_the_geoportal(
    web: WebService, operator: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    await telegram_missed_collection(web)
    await web_broken_bench(web, web.client)

    # A long list shows the newest and says where the rest are.
    monkeypatch.setattr(report_pages, "LIST_LIMIT", 1)
    cut = await text(await operator.get("/admin/reports"))
    assert "26-00002" in cut and "Звернення №\u00a026-00001</a>" not in cut
    assert "Показано 1 найновіше. Усі вибрані звернення — у вивантаженні для таблиць." in cut
    monkeypatch.undo()

    sheet = await operator.get("/admin/reports.csv")
    assert sheet.status == 200 and sheet.headers["Content-Type"].startswith("text/csv")
    assert sheet.headers["Content-Disposition"].startswith('attachment; filename="svoi-reports-')
    rows = list(csv.DictReader(io.StringIO((await sheet.text()).lstrip("\ufeff"))))
    assert [r["reference"] for r in rows] == ["26-00002", "26-00001"]  # newest first
    assert rows[0]["channel"] == "web" and rows[1]["channel"] == "telegram"
    assert rows[1]["photos"].count("/admin/files/") == 1

    geo = await operator.get("/admin/reports.geojson")
    assert geo.headers["Content-Type"].startswith("application/geo+json")
    collection = json.loads(await geo.text())
    [feature] = collection["features"]
    assert feature["geometry"]["coordinates"] == [26.9965, 49.4216]
    assert collection["without_location"] == 1

    page = await text(await operator.get("/admin/reports?status=received&category=other"))
    assert 'href="/admin/reports.csv?status=received&amp;category=other"' in page
    only = await text(await operator.get("/admin/reports.csv?category=missed-collection"))
    assert [r["reference"] for r in csv.DictReader(io.StringIO(only.lstrip("\ufeff")))] == [
        "26-00001"
    ]
    nothing = json.loads(await text(await operator.get("/admin/reports.geojson?status=resolved")))
    assert nothing["features"] == [] and nothing["without_location"] == 0
    async with web.svoi.db.transaction() as session:
        exports = [
            e.target
            for e in (await session.execute(select(AuditEntry))).scalars()
            if e.action == "reports-export"
        ]
    assert exports == ["csv", "geojson", "csv", "geojson"]
