"""The conversations page in a real browser (Debian's Chromium driven by Playwright, as in
tests/web/test_browser.py, whose stack and browser fixtures this reuses): a Telegram
resident asks for a person; the operator opens the queue, takes the conversation, sees the
resident's next message appear on the open page without reloading it (static/handoff.js),
replies (the answer arrives on the fake Bot API) and closes it. Screenshots go to artifacts/.
Skipped where tests/web/test_browser.py is skipped."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from bot.core.capabilities import TELEGRAM
from tests.support.conversation import Resident
from tests.web.conftest import OPERATOR, add_account
from tests.web.test_browser import (  # skips this module too where the browser is missing
    TELEGRAM_USER,
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


async def test_an_operator_talks_to_a_telegram_resident_in_the_browser(
    stack: Stack, browser: Browser
) -> None:
    resident = Resident.on(
        stack.svoi.engine, channel="telegram", caps=TELEGRAM, user_id=TELEGRAM_USER, language="en"
    )
    await resident.onboard("en")
    await resident.press("Talk to a person")
    await resident.send("The bin on Proskurivska 4 is overflowing")

    await add_account(stack.svoi, OPERATOR, "operator")
    page = await new_page(browser)
    await log_in(page, stack, OPERATOR)
    await page.goto(stack.url("/admin/handoff?lang=en"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Conversations with residents")
    await expect(page.locator("main")).to_contain_text("1 conversation is waiting")
    await shot(page, "console-handoff-queue")
    await page.get_by_role("link", name="No.").first.click()
    await expect(page.locator("#transcript")).to_contain_text("is overflowing")
    await page.get_by_role("button", name="Take the conversation").click()
    await expect(page.get_by_role("status")).to_contain_text("You have taken the conversation")

    await resident.send("It has been like this since Monday.")
    await expect(page.locator("#transcript")).to_contain_text("since Monday")  # no reload
    await page.get_by_label("Reply to the resident").fill("A truck is on its way.")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("The reply has been sent.")
    await shot(page, "console-handoff-conversation")

    async def answered() -> bool:
        return any("A truck is on its way." in t for t in stack.telegram_texts())

    await eventually(answered)
    await page.get_by_role("button", name="End the conversation").click()
    await expect(page.get_by_role("status")).to_contain_text("The conversation has ended.")
    await expect(page.locator("#handoff-status")).to_have_text("Ended")
    await page.context.close()
