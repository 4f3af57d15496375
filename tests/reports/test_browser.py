"""A report from Telegram to the console and back, in a real browser (Debian's Chromium driven
by Playwright, as in tests/web/test_browser.py, whose stack and browser fixtures this
reuses). A resident in Telegram — real webhook updates, the fake Bot API serving the photo —
reports a missed collection with a phone photo (EXIF with a GPS position) and a shared
location. The operator finds it in the console's list and on its plan, opens it, sees the
photo (the picture the console serves has no metadata: the test reads it), sets it resolved
with a comment; the delivery service sends the notice, which arrives on the fake Bot API.
Screenshots go to artifacts/. Skipped where tests/web/test_browser.py is skipped."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.channels.telegram.conftest import Chat, Service
from tests.support.images import metadata_of, phone_jpeg
from tests.web.conftest import OPERATOR, add_account
from tests.web.test_browser import (  # skips this module too where the browser is missing
    Stack,
    browser,
    eventually,
    log_in,
    new_page,
    shot,
    stack,
)

__all__ = ["browser", "stack"]  # the fixtures, used by name

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def test_a_telegram_report_is_resolved_on_the_console_and_the_resident_told(
    stack: Stack, browser: Browser
) -> None:
    chat = Chat(Service(stack.svoi, stack.telegram, stack.web.client, stack.api))
    await chat.onboard("Українська")
    await chat.press("Повідомити про проблему")
    await chat.press("Не вивезли сміття")
    await chat.act(chat.user.location(49.4216, 26.9965))
    stack.api.add_file("AgACreport1", phone_jpeg())
    await chat.act(chat.user.photo("AgACreport1", width=640, height=480))
    assert "Фото додано: 1 з 3" in chat.text
    await chat.press("Готово")
    await chat.send("Контейнери на Зарічанській не вивозили з понеділка")
    await chat.press("Надіслати")
    assert "Звернення №\u00a026-00001 надіслано робочій групі" in chat.text

    await add_account(stack.svoi, OPERATOR, "operator")
    page = await new_page(browser)
    await log_in(page, stack, OPERATOR)
    await page.goto(stack.url("/admin/reports?lang=en"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Residents' reports")
    await expect(page.locator("#missed-title")).to_contain_text("Not collected")
    plan = page.get_by_role("img", name="Reports with a location on the plan: 1")
    await expect(plan).to_be_visible()
    await shot(page, "console-reports")

    await page.locator("svg a").first.click()  # the report's point on the plan
    await expect(page.get_by_role("heading", level=1)).to_have_text("Report No. 26-00001")
    photo = page.get_by_role("img", name="Photo 1 of report No. 26-00001")
    await expect(photo).to_be_visible()
    assert await photo.evaluate("img => img.complete && img.naturalWidth") == 640
    source = await photo.get_attribute("src")
    assert source is not None
    served = await page.request.get(stack.url(source))
    assert served.ok and metadata_of(await served.body())["exif"] == {}

    await page.get_by_label("State").select_option("resolved")
    await page.get_by_label("Comment for the resident").fill("Collected today at 15:00.")
    await page.get_by_role("button", name="Save and notify").click()
    await expect(page.get_by_role("status")).to_contain_text("Status saved")
    await expect(page.locator("#report-status")).to_have_text("resolved")
    await shot(page, "console-report")

    async def told() -> bool:
        return any(
            "проблему вирішено" in t and "Collected today at 15:00." in t
            for t in stack.telegram_texts_of(chat.id)
        )

    await eventually(told)
    await page.context.close()
