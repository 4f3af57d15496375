"""A Ukrainian operator's screens are Ukrainian (issue 22, point 13): roles, audiences,
broadcast, poll and outbox statuses and waste types are shown by their names from the locale
files or the content, never by their codes («Роль operator надано», «mixed», «everyone»).

The chat's /grant, /roles, /audit and /broadcast (audience, value, summary, queued, recent)
and the console's broadcast, polls and waste pages are rendered in Ukrainian with data of every
kind on them, and no code from the lists in storage/models and content/waste.yaml may appear
there as a word (command arguments the operator types, like /grant's usage line, are not shown
here).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import yaml
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.config import PROJECT_ROOT
from bot.core.capabilities import TELEGRAM, VIBER
from bot.core.messages import Button
from bot.delivery.broadcasts import AUDIENCES
from storage import clock
from storage.models.access import ROLES
from storage.models.delivery import CANCELLED, DONE, SCHEDULED, SENDING
from storage.models.outbox import STATUSES as OUTBOX_STATUSES
from storage.models.plan import POLL_STATES, Poll
from storage.models.services import QUESTION_STATES
from tests.support.conversation import Resident
from tests.web.conftest import OPERATOR, WebService, add_account, csrf_of, text

WASTE = yaml.safe_load((PROJECT_ROOT / "content" / "waste.yaml").read_text("utf-8"))
WASTE_TYPES = [t["code"] for t in WASTE["types"]]
WASTE_ZONES = [z["code"] for z in WASTE["zones"]]
RAW_CODES = sorted(
    {
        *ROLES,
        *AUDIENCES,
        SCHEDULED, SENDING, DONE, CANCELLED,
        *POLL_STATES,
        *OUTBOX_STATUSES,
        *QUESTION_STATES,
        *WASTE_TYPES,
        *WASTE_ZONES,
    }
)  # fmt: skip
CODE = re.compile(
    r"(?<![\w/:.-])(" + "|".join(map(re.escape, RAW_CODES)) + r")(?![\w/.-])", re.IGNORECASE
)


def raw_codes(shown: str) -> list[str]:
    return CODE.findall(shown)


def test_the_lists_are_the_real_ones() -> None:
    assert {"admin", "operator", "viewer", "everyone", "language", "followers", "zone"} <= set(
        RAW_CODES
    )
    assert {"draft", "open", "closed", "sending", "scheduled", "done", "cancelled"} <= set(
        RAW_CODES
    )
    assert {"mixed", "glass", "recyclables"} <= set(WASTE_TYPES)
    assert raw_codes("Роль operator надано") == ["operator"]
    assert raw_codes("• mixed, 07:00") == ["mixed"]
    assert not raw_codes("telegram:5550001 /grant Мішані")


# --- the chat ------------------------------------------------------------------------------
def screen(person: Resident) -> str:
    """What the last answer shows: its texts and its button labels."""
    parts = []
    for reply in person.last:
        parts.append(reply.text)
        parts.extend(b.label for row in reply.buttons for b in row if isinstance(b, Button))
    return "\n".join(parts)


async def test_the_chat_names_roles_audiences_and_statuses_in_ukrainian(web: WebService) -> None:
    from dialogs.waste import ensure_default_waste

    assert await ensure_default_waste(web.svoi.db)
    engine = web.svoi.engine
    await add_account(web.svoi, "test:chief", "admin")
    chief = Resident.on(engine, user_id="chief")
    await chief.onboard("uk")
    for user, channel, caps in (("3100001", "telegram", TELEGRAM), ("3100002", "viber", VIBER)):
        resident = Resident.on(engine, channel=channel, caps=caps, user_id=user)
        await resident.onboard("uk")

    shown: dict[str, str] = {}
    await chief.send("/grant test:someone operator")
    shown["/grant"] = screen(chief)
    assert "учасник робочої групи" in shown["/grant"]
    await chief.send("/roles")
    shown["/roles"] = screen(chief)
    assert "test:someone — учасник робочої групи" in shown["/roles"]
    await chief.send("/audit")
    shown["/audit"] = screen(chief)
    assert "надання ролі" in shown["/audit"] and "виконано" in shown["/audit"]

    await chief.send("/broadcast")
    await chief.press("Нова розсилка")
    await chief.send("Завтра з 9:00 до 12:00 не буде води на вул. Соборній.")
    await chief.press("Без посилання")
    shown["audience"] = screen(chief)
    await chief.press("За мовою")
    shown["language"] = screen(chief)
    await chief.press("Українська")
    shown["summary: language"] = screen(chief)
    assert "Аудиторія: мова: українська." in shown["summary: language"]
    assert "Telegram: 1" in shown["summary: language"] and "Viber: 1" in shown["summary: language"]
    assert "0,00 грн" in shown["summary: language"]  # a decimal comma, not «0.00»
    await chief.press("Змінити текст")  # and on to another audience
    await chief.send("Завтра з 9:00 до 12:00 не буде води на вул. Соборній.")
    await chief.press("Без посилання")
    await chief.press("За зоною вивезення")
    shown["zones"] = screen(chief)
    zone = next(b for b in chief.buttons if not b.label.startswith(("◀️", "🏠", "✖️")))
    await chief.press_payload(zone.payload)
    shown["summary: zone"] = screen(chief)
    assert f"підписники зони вивезення: {zone.label}" in shown["summary: zone"]
    await chief.press("Надіслати зараз")
    shown["queued"] = screen(chief)
    await chief.send("/broadcast")
    await chief.press("Останні розсилки")
    shown["recent"] = screen(chief)
    assert "№\u00a01 ·" in shown["recent"]

    found = {where: raw_codes(what) for where, what in shown.items() if raw_codes(what)}
    assert not found, "\n\n".join(f"{w}: {found[w]}\n{shown[w]}" for w in found)


async def test_the_viber_cost_has_a_decimal_comma(web: WebService) -> None:
    web.svoi.settings.delivery_viber_price = 0.85
    await add_account(web.svoi, "test:chief", "admin")
    chief = Resident.on(web.svoi.engine, user_id="chief")
    await chief.onboard("uk")
    viber = Resident.on(web.svoi.engine, channel="viber", caps=VIBER, user_id="3100003")
    await viber.onboard("uk")
    await chief.send("/broadcast")
    await chief.press("Нова розсилка")
    await chief.send("Укриття на Соборній відкрите.")
    await chief.press("Без посилання")
    await chief.press("Усім")
    assert "орієнтовна вартість 0,85 грн." in chief.text


# --- the console ---------------------------------------------------------------------------
class _Visible(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


async def post(client: TestClient[Any, Any], path: str, data: dict[str, str]) -> Any:
    token = await csrf_of(client)
    return await client.post(path, data={"csrf": token, **data}, allow_redirects=False)


async def test_the_console_names_audiences_statuses_and_waste_types_in_ukrainian(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    from dialogs.waste import ensure_default_waste
    from dialogs.waste.schedule import local_today
    from dialogs.waste.service import ZoneSchedules
    from storage.repos.waste import WasteRepo

    assert await ensure_default_waste(web.svoi.db)
    for user, channel, caps in (("3100011", "telegram", TELEGRAM), ("3100012", "viber", VIBER)):
        resident = Resident.on(web.svoi.engine, channel=channel, caps=caps, user_id=user)
        await resident.onboard("uk")
    shown: dict[str, str] = {}

    # Broadcasts: one to a language, one to a zone (cancelled), one scheduled.
    async with web.svoi.db.transaction() as session:
        repo = WasteRepo(session)
        zone = (await repo.zones())[0]
    draft = {"text": "Укриття на Соборній відкрите.", "link": ""}
    language = {**draft, "audience": "language", "value_language": "uk"}
    preview = await post(operator, "/admin/broadcasts", {**language, "action": "preview"})
    shown["broadcasts: preview"] = visible(await preview.text())
    assert "Отримають: 2 (Telegram: 1, Viber: 1)" in shown["broadcasts: preview"]
    assert (await post(operator, "/admin/broadcasts", {**language, "action": "send"})).status == 303
    to_zone = {**draft, "audience": "zone", "value_zone": zone.code, "action": "send"}
    sent = await post(operator, "/admin/broadcasts", to_zone)
    zone_page = sent.headers["Location"].split("?")[0]
    assert (await post(operator, zone_page + "/cancel", {})).status == 303
    later = (clock.now() + timedelta(days=1)).astimezone(web.svoi.settings.zone)
    when = {"schedule": "1", "when": later.strftime("%Y-%m-%dT%H:%M")}
    assert (
        await post(operator, "/admin/broadcasts", {**language, **when, "action": "send"})
    ).status == 303
    shown["broadcasts"] = visible(await text(await operator.get("/admin/broadcasts")))
    assert "за мовою: українська" in shown["broadcasts"]
    assert f"підписники зони вивезення: {zone.name['uk']}" in shown["broadcasts"]
    for status in ("надсилається", "скасовано", "заплановано"):
        assert status in shown["broadcasts"]
    shown["broadcast"] = visible(await text(await operator.get(zone_page)))
    assert f"підписники зони вивезення: {zone.name['uk']}" in shown["broadcast"]

    # Polls: a draft, an open one and a closed one.
    for question in ("Де відкрити хаб?", "Який парк облаштувати?", "Коли прибирати двори?"):
        options = "Перший варіант\nДругий варіант"
        created = await post(operator, "/admin/polls", {"question": question, "options": options})
        assert created.status == 303
    async with web.svoi.db.transaction() as session:
        polls = list(
            (await session.execute(select(Poll).where(Poll.created_by == OPERATOR))).scalars()
        )
    assert await post(operator, f"/admin/polls/{polls[1].id}/open", {})
    assert await post(operator, f"/admin/polls/{polls[2].id}/open", {})
    assert await post(operator, f"/admin/polls/{polls[2].id}/close", {})
    shown["polls"] = visible(await text(await operator.get("/admin/polls")))
    for state in ("чернетка", "відкрите", "закрите"):
        assert state in shown["polls"]
    for poll in polls:
        shown[f"poll {poll.id}"] = visible(
            await text(await operator.get(f"/admin/polls/{poll.id}"))
        )

    # Waste: a moved collection of every type the zone has.
    async with web.svoi.db.transaction() as session:
        repo = WasteRepo(session)
        schedules = await ZoneSchedules.load(repo, zone.id)
        names = {t.code: t.name["uk"] for t in await repo.types()}
        today = local_today(clock.now())
        upcoming = schedules.collections(
            zone.id, today + timedelta(days=1), today + timedelta(days=60)
        )
        first_of = {}
        for collection in upcoming:
            first_of.setdefault(collection.waste_type, collection.day)
    for waste_type, day in first_of.items():
        moved = await post(
            operator,
            "/admin/waste/exceptions",
            {"zone": zone.code, "type": waste_type, "date": day.isoformat(), "action": "cancel",
             "reason_uk": "Ремонт дороги"},
        )  # fmt: skip
        assert moved.status == 303
    shown["waste"] = visible(await text(await operator.get("/admin/waste")))
    for waste_type in first_of:
        assert names[waste_type] in shown["waste"]

    found = {where: raw_codes(what) for where, what in shown.items() if raw_codes(what)}
    assert not found, "\n\n".join(f"{w}: {found[w]}\n{shown[w]}" for w in found)
