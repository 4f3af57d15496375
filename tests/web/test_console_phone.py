"""The console on a 390 px wide phone (issue 22, point 11): an operator (and an admin, for the
audit log) opens every page with realistic data in a 390×844 viewport, and no page scrolls
sideways, and every chart label lies inside its chart.

Realistic data: residents in three channels and two languages, ratings of commitments with
their long titles, comments and an answer, a poll with a long question, long options and votes,
a sent broadcast and a previewed one, a waste exception with a long reason, the shipped
services catalogue, a long question from a resident, and the audit entries all that left.

Skips like tests/web/test_browser.py when Chromium or Playwright is missing, unless
SVOI_REQUIRE_BROWSER=1. With SVOI_SCREENSHOTS=1 each page is saved, full page, to
docs/screenshots/console-390-<page>.png (in CSS pixels, so the files stay small).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot.config import PROJECT_ROOT
from bot.core.capabilities import TELEGRAM, VIBER, WEB
from storage import clock
from storage.models.plan import Commitment, Poll
from storage.models.reports import Report
from storage.models.services import ServiceQuestion
from tests.support.conversation import Resident
from tests.support.images import phone_jpeg
from tests.support.process import PROJECT
from tests.web.conftest import ADMIN, OPERATOR, PASSWORD, WebService, add_account, csrf_of
from tests.web.test_browser import CHROMIUM, LAUNCH_ARGS  # skips the module like it does
from tests.web.test_console_pages import post

from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect  # isort: skip

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

SCREENSHOTS = PROJECT / "docs" / "screenshots"
PHONE = ViewportSize(width=390, height=844)
LONG_TITLE = {
    "uk": "Якісні муніципальні послуги завдяки цифровим технологіям, відкритим даним і "
    "прозорій інформації для кожного мешканця громади",
    "en": "Quality municipal services through digital technologies, open data and transparent "
    "information for every resident of the community",
}
POLL_QUESTION = (
    "Де у Хмельницькому насамперед відкрити наступний хаб цифрових навичок для людей "
    "старшого віку та внутрішньо переміщених осіб?"
)
POLL_OPTIONS = [
    "Центральна міська бібліотека на вулиці Проскурівській",
    "Центр надання адміністративних послуг «Гуфі» (Соборна)",
    "Бібліотека-філія в мікрорайоні Озерна",
    "Інше",
]
QUESTION = (
    "Коли відремонтують зупинку громадського транспорту на вулиці Кам'янецькій біля "
    "Центрального ринку? Дах протікає, лавки зламані, а розклад руху давно не оновлювали, "
    "тож людям старшого віку доводиться чекати під дощем без жодної інформації."
)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        await launched.close()


async def phone(browser: Browser, web: WebService, account: str) -> Page:
    context = await browser.new_context(
        locale="uk-UA", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(30_000)
    page = await context.new_page()
    await page.goto(web.url("/admin/login"))
    await check(page, "login")
    await page.locator("#account").fill(account)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("button[type=submit]").click()
    await expect(page.locator("nav ul")).to_be_attached()
    return page


# What the test measures, in the page: sideways overflow (and which elements stick out),
# and the chart texts whose box is not inside their (visible) SVG's box.
MEASURE = """(phone) => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > phone + 0.5 && !el.closest('.table-wrap')) {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
        + `${el.className && typeof el.className === 'string' ? '.' + el.className : ''}`
        + ` right=${Math.round(box.right)}`);
    }
  }
  const clipped = [];
  let texts = 0;
  for (const svg of document.querySelectorAll('svg')) {
    const outer = svg.getBoundingClientRect();
    if (!outer.width || !outer.height) continue;  // not shown at this width
    for (const text of svg.querySelectorAll('text')) {
      texts += 1;
      const box = text.getBoundingClientRect();
      const local = text.getBBox();
      if (box.left < outer.left - 0.5 || box.right > outer.right + 0.5
          || box.top < outer.top - 0.5 || box.bottom > outer.bottom + 0.5
          || local.width === 0) {
        clipped.push(`${text.textContent} [${Math.round(box.left)}..${Math.round(box.right)}`
          + ` in ${Math.round(outer.left)}..${Math.round(outer.right)}]`);
      }
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: width,
          wide: wide.slice(0, 10), clipped, texts};
}"""


async def check(page: Page, name: str, *, charts: int = 0) -> None:
    await page.wait_for_load_state("load")
    found: dict[str, Any] = await page.evaluate(MEASURE, PHONE["width"])
    # A phone browser widens the layout to fit content that is too wide (and zooms out), so
    # the window must keep the device's width as well as the page staying within the window.
    wide = f"{name} scrolls sideways ({found['scroll']} px): {found['wide']}"
    assert found["inner"] == PHONE["width"], wide
    assert found["scroll"] <= found["inner"], wide
    assert not found["clipped"], f"{name}: chart labels outside the chart: {found['clipped']}"
    if charts:
        assert found["texts"] >= charts, f"{name}: no chart shown"
    # Nothing is cut off inside the page either: a wide table scrolls in its own box.
    for wrap in await page.locator(".table-wrap").all():
        assert await wrap.evaluate("w => getComputedStyle(w).overflowX") == "auto", name
    if os.environ.get("SVOI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(
            path=str(SCREENSHOTS / f"console-390-{name}.png"), full_page=True, scale="css"
        )


async def realistic_data(web: WebService, client: TestClient[Any, Any]) -> dict[str, int]:
    """What a working console has: returns the ids of the poll, broadcast and question."""
    from dialogs.waste import ensure_default_waste
    from dialogs.waste.schedule import local_today
    from dialogs.waste.service import ZoneSchedules
    from storage.repos.waste import WasteRepo

    async with web.svoi.db.transaction() as session:
        await session.execute(
            update(Commitment).where(Commitment.code == "c1").values(title=LONG_TITLE)
        )
    residents = [
        Resident.on(web.svoi.engine, channel=channel, caps=caps, user_id=user, language=language)
        for channel, caps, user, language in (
            ("telegram", TELEGRAM, "310000501", "uk"),
            ("telegram", TELEGRAM, "310000502", "en"),
            ("telegram", TELEGRAM, "310000503", "uk"),
            ("viber", VIBER, "viber-resident-0504", "uk"),
            ("viber", VIBER, "viber-resident-0505", "en"),
            ("web", WEB, "web-resident-0506", "uk"),
        )
    ]
    for index, resident in enumerate(residents):
        await resident.onboard(resident.language or "uk")
        if index < 3:  # ratings and comments on the commitments with their long titles
            await resident.press("Plan" if resident.language == "en" else "План")
            await resident.press(f"{index + 1}. ")
            await resident.press("Rate" if resident.language == "en" else "Оцінити")
            await resident.press(str(5 - index))
            await resident.send(
                "Будь ласка, відкрийте ще два хаби цифрових навичок: у бібліотеці на Озерній і "
                "в Центрі надання адміністративних послуг, бо черги на курси вже на два місяці."
            )
            await resident.press("Yes" if resident.language == "en" else "Так")

    created = await post(
        client,
        "/admin/polls",
        {"question": POLL_QUESTION, "options": "\n".join(POLL_OPTIONS)},
    )
    assert created.status == 303
    async with web.svoi.db.transaction() as session:
        poll = (await session.execute(select(Poll).where(Poll.created_by == OPERATOR))).scalar_one()
    assert (await post(client, f"/admin/polls/{poll.id}/open", {})).status == 303
    for resident, option in zip(residents, [0, 0, 1, 2, 0, 1], strict=True):
        await resident.send(f"/start p{poll.id}")
        await resident.press(POLL_OPTIONS[option][:20])

    sent = await post(
        client,
        "/admin/broadcasts",
        {
            "text": "З понеділка, 3 березня, на вулиці Кам'янецькій від Проскурівської до "
            "Соборної ремонтують водогін; воду подаватимуть за графіком, деталі на сайті.",
            "link": "Графік подачі води | https://khm.gov.ua/uk/content/grafik-podachi-vody-2025",
            "audience": "everyone",
            "action": "send",
        },
    )
    assert sent.status == 303
    broadcast = int(sent.headers["Location"].split("/")[3].split("?")[0])

    assert await ensure_default_waste(web.svoi.db)
    async with web.svoi.db.transaction() as session:
        repo = WasteRepo(session)
        zone = (await repo.zones())[0]
        schedules = await ZoneSchedules.load(repo, zone.id)
        waste_type = schedules.types_of(zone.id)[0]
        today = local_today(clock.now())
        day = next(
            c.day
            for c in schedules.collections(
                zone.id, today + timedelta(days=1), today + timedelta(days=60)
            )
            if c.waste_type == waste_type
        )
    moved = await post(
        client,
        "/admin/waste/exceptions",
        {"zone": zone.code, "type": waste_type, "date": day.isoformat(), "action": "move",
         "moved_to": (day + timedelta(days=1)).isoformat(),
         "reason_uk": "Державне свято: вивезення переноситься на наступний робочий день, "
                      "контейнери виставляйте до 7:00 ранку"},
    )  # fmt: skip
    assert moved.status == 303

    token = await csrf_of(client)
    shipped = (PROJECT_ROOT / "content" / "services.yaml").read_bytes()
    form = FormData()
    form.add_field("csrf", token)
    form.add_field("file", shipped, filename="services.yaml", content_type="application/x-yaml")
    imported = await client.post("/admin/services/import", data=form)
    assert imported.status == 200

    asker = residents[3]
    await asker.send("/myquestions")
    await asker.press("Поставити")
    await asker.send(QUESTION)
    async with web.svoi.db.transaction() as session:
        question = (await session.execute(select(ServiceQuestion))).scalar_one()
    # Reports: one with a location and a photo, one at a long typed address.
    reporter, walker = residents[4], residents[5]
    await reporter.send("/menu")
    await reporter.press("Report a problem")
    await reporter.press("Overflowing container")
    await reporter.share_location(49.4216, 26.9965)
    await reporter.send_photo(phone_jpeg())
    await reporter.press("Done")
    await reporter.send(QUESTION)
    await reporter.press("Send")
    await walker.send("/menu")
    await walker.press("Повідомити про проблему")
    await walker.press("Зламана лавка чи урна")
    await walker.send("сквер біля вул. Проскурівської, 1, навпроти головного входу до ринку")
    await walker.press("Без фото")
    await walker.press("Пропустити")
    await walker.press("Надіслати")
    async with web.svoi.db.transaction() as session:
        report = (await session.execute(select(Report).order_by(Report.id))).scalars().first()
    assert report is not None
    return {
        "poll": poll.id,
        "broadcast": broadcast,
        "question": question.id,
        "report": report.id,
    }


async def test_every_console_page_fits_a_390_px_phone(
    web: WebService, operator: TestClient[Any, Any], browser: Browser
) -> None:
    ids = await realistic_data(web, operator)
    page = await phone(browser, web, OPERATOR)

    await page.goto(web.url("/admin/"))
    await check(page, "dashboard", charts=6)
    # The navigation is reachable: every section's link is on the screen, none off to the side.
    links = page.locator("nav ul a")
    assert await links.count() >= 8
    for link in await links.all():
        box = await link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    await page.goto(web.url("/admin/feedback"))
    await check(page, "feedback")
    await page.locator("table a").first.click()
    await expect(page.locator("#answer")).to_be_visible()
    await check(page, "feedback-item")
    await page.goto(web.url("/admin/commitments"))
    await check(page, "commitments")
    await page.goto(web.url("/admin/commitments/c1"))
    await check(page, "commitment")
    await page.goto(web.url("/admin/polls"))
    await check(page, "polls")
    await page.goto(web.url(f"/admin/polls/{ids['poll']}"))
    await expect(page.locator("main")).to_contain_text("(3)")
    await check(page, "poll", charts=len(POLL_OPTIONS))
    await page.goto(web.url(f"/admin/broadcasts/{ids['broadcast']}"))
    await check(page, "broadcast")
    await page.goto(web.url("/admin/broadcasts"))
    await check(page, "broadcasts")
    await page.locator("#text").fill("Укриття на Соборній, 16 відкрите цілодобово. " * 4)
    await page.locator("#link").fill("Перелік укриттів | https://khm.gov.ua/uk/ukryttya-2025")
    await page.locator("button[value=preview]").click()
    await expect(page.locator(".preview").first).to_be_visible()
    await check(page, "broadcast-preview")
    await page.goto(web.url("/admin/waste"))
    await check(page, "waste")
    await page.goto(web.url("/admin/services"))
    await check(page, "services")
    await page.goto(web.url("/admin/questions"))
    await check(page, "questions")
    await page.goto(web.url(f"/admin/questions/{ids['question']}"))
    await check(page, "question")
    await page.goto(web.url("/admin/reports"))
    await expect(page.locator("svg .pin").first).to_be_visible()
    await check(page, "reports")
    await page.goto(web.url(f"/admin/reports/{ids['report']}"))
    await expect(page.locator(".photos img")).to_be_visible()
    await check(page, "report")

    # The desktop keeps its layout (labels left of the bars), and its labels fit as well.
    desktop = await browser.new_context(
        locale="uk-UA",
        viewport={"width": 1100, "height": 900},
        storage_state=await page.context.storage_state(),
    )
    await page.context.close()
    wide = await desktop.new_page()
    for path, bars in (("/admin/", 6), (f"/admin/polls/{ids['poll']}", len(POLL_OPTIONS))):
        await wide.goto(web.url(path))
        found = await wide.evaluate(MEASURE, 1100)
        assert found["scroll"] <= 1100 and not found["clipped"], (path, found)
        assert found["texts"] >= 2 * bars, path
        assert await wide.locator("svg.chart-wide").first.is_visible()
        assert not await wide.locator("svg.chart-narrow").first.is_visible()
    await desktop.close()

    await add_account(web.svoi, ADMIN, "admin")
    page = await phone(browser, web, ADMIN)
    await page.goto(web.url("/admin/audit"))
    await expect(page.locator("table tbody tr").first).to_be_visible()
    await check(page, "audit")
    await page.context.close()
