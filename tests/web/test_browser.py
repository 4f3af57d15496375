"""The web chat and the console in a real browser: Debian's Chromium driven by Playwright.

* A resident chats on the page through onboarding and the plan flow (keyboard included:
  focus moves to each answer, Tab reaches its buttons), leaves a rating and a comment, and
  receives a proactive message from the outbox while the page is open.
* An operator logs in, answers a Telegram resident's comment (the answer arrives on the fake
  Bot API), publishes an update (the Telegram follower is notified), sends a broadcast and
  watches its progress bar complete.
* A logged-out visitor and a viewer are refused; a POST without the CSRF token is refused.

The service runs with the web and Telegram channels and the real delivery service. The tests
skip when /usr/bin/chromium or Playwright is missing, unless SVOI_REQUIRE_BROWSER=1 (CI).
Screenshots of the main pages go to artifacts/ (not committed). Never `playwright install`:
the system Chromium is used.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web as aiohttp_web
from pydantic import SecretStr

from bot.app import Svoi
from bot.channels.telegram import TelegramChannel
from bot.config import TelegramSettings
from bot.core.capabilities import TELEGRAM
from bot.delivery.outbox import Notification, OutboxButton, enqueue
from bot.delivery.service import DeliveryService
from dialogs.plan.content import ensure_default_content
from storage.db import Database
from tests.delivery.conftest import fast_config
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI
from tests.support.conversation import Resident
from tests.support.process import PROJECT
from tests.support.telegram import SECRET
from tests.web.conftest import (
    OPERATOR,
    PASSWORD,
    VIEWER,
    WebService,
    add_account,
    start_web,
    stop_web,
    web_settings,
)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT / "artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TELEGRAM_USER = "310000900"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install playwright; never `playwright install`)"
    return None


if (reason := _missing()) is not None:
    if os.environ.get("SVOI_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"SVOI_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"browser tests skipped: {reason}", allow_module_level=True)

from playwright.async_api import Browser, Page, async_playwright, expect  # noqa: E402

expect.set_options(timeout=20_000)  # a busy CI machine (2 cores) is slower than a laptop

# The browser tests drive the UI; the databases are covered by the HTTP tests, so these run
# on the embedded default (SQLite), as `make run` does.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {within} s")
        await asyncio.sleep(0.1)


@dataclass
class Stack:
    web: WebService
    api: FakeTelegramAPI
    delivery: DeliveryService
    telegram: TelegramChannel

    @property
    def svoi(self) -> Svoi:
        return self.web.svoi

    def url(self, path: str = "/") -> str:
        return self.web.url(path)

    def telegram_texts(self) -> list[str]:
        return self.telegram_texts_of(int(TELEGRAM_USER))

    def telegram_texts_of(self, user_id: int) -> list[str]:
        return [c.text for c in self.api.sent(user_id)]


@pytest.fixture
async def stack(db_url: str, db: Database) -> AsyncIterator[Stack]:
    api = FakeTelegramAPI()
    await api.start()
    settings = web_settings(
        db_url,
        telegram=TelegramSettings(  # type: ignore[call-arg]
            bot_token=SecretStr(TOKEN),
            webhook_secret=SecretStr(SECRET),  # as tests/channels/telegram posts it
            webhook_url="https://svoi.example.org/webhook/telegram",
            api_base=api.url,
            _env_file=None,
        ),
    )
    svoi = Svoi.create(settings, db)
    assert await ensure_default_content(db) is True
    channels: list[TelegramChannel] = []

    def add_telegram(app: aiohttp_web.Application) -> None:
        channels.append(TelegramChannel(svoi, app, request_timeout=5, sweep_interval=None))
        svoi.add_channel(channels[0])

    web = await start_web(svoi, more_channels=add_telegram)
    (telegram,) = channels
    # Quick, but not so eager that the senders' claims crowd SQLite's single writer out on
    # a busy machine (every claim is a write transaction).
    config = fast_config(poll_interval=0.25)
    delivery = DeliveryService(svoi, configs={"web": config, "telegram": config})
    delivery.SUPERVISE_EVERY = 1.0  # finish broadcasts quickly (an instance attribute only)
    await delivery.start()
    yield Stack(web, api, delivery, telegram)
    await delivery.stop()
    await telegram.stop(grace=1.0)
    await stop_web(web)
    await api.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        await launched.close()


async def new_page(browser: Browser, **options: Any) -> Page:
    context = await browser.new_context(
        locale="en-GB", viewport={"width": 1100, "height": 900}, **options
    )
    context.set_default_timeout(30_000)
    return await context.new_page()


async def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def bot_messages(page: Page) -> Any:
    return page.locator("#log li.msg.bot")


async def test_a_resident_chats_on_the_web_page_and_gets_a_proactive_message(
    stack: Stack, browser: Browser
) -> None:
    page = await new_page(browser)
    await page.goto(stack.url("/"))
    await expect(page).to_have_title("Svoi — Khmelnytskyi City Council chat")
    await expect(bot_messages(page).first).to_contain_text("Choose your language")

    # Keyboard only: press English with Enter; focus moves to the answer, Tab to its buttons.
    await page.get_by_role("button", name="English").focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#log")).to_contain_text("Main menu")
    assert await page.evaluate("document.activeElement.classList.contains('msg')")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert "Plan" in focused
    await page.keyboard.press("Enter")
    await expect(page.locator("#log")).to_contain_text("choose one to see where it ended")

    await page.get_by_role("button", name="2. Green City Action Plan").click()
    await expect(bot_messages(page).last).to_contain_text("Final state: complete")
    await page.get_by_role("button", name="Follow progress").click()
    await expect(page.locator("#log")).to_contain_text("we'll send you the updates of commitment 2")
    await page.get_by_role("button", name="Rate").last.click()
    await page.get_by_role("button", name="4", exact=True).click()
    await expect(bot_messages(page).last).to_contain_text("Anything to add?")
    box = page.get_by_label("Your message")
    await box.fill("More bins near the Gufi Centre, please")
    await box.press("Enter")
    await expect(page.locator("#log li.msg.you").last).to_have_text(
        "You" + "More bins near the Gufi Centre, please"
    )
    await page.get_by_role("button", name="Yes").click()
    await expect(bot_messages(page).last).to_contain_text("Reference number: C2-")
    old = page.get_by_role("button", name="Follow progress")
    assert await old.count() == 0 or await old.first.is_disabled()

    # A proactive message (what a published update enqueues) while the page is open.
    cookies = await page.evaluate("document.cookie")
    assert "svoi_web" not in cookies  # HttpOnly: scripts cannot read the identity
    web_user = await _only_web_user(stack)
    async with stack.svoi.db.transaction() as session:
        await enqueue(
            session,
            [
                Notification(
                    resident_id=web_user[0],
                    channel="web",
                    user_id=web_user[1],
                    kind="plan-update",
                    dedup_key="browser-test-update",
                    template_key="plan-notify-update",
                    template_args={
                        "number": 2,
                        "status": "complete",
                        "progress": 100,
                        "text": "The Gufi Centre welcomed its 27,000th visitor.",
                    },
                    buttons=((OutboxButton("plan-btn-unfollow", "g:unfollow:c2"),),),
                    category="plan:c2",
                )
            ],
        )
    await expect(bot_messages(page).last).to_contain_text("27,000th visitor", timeout=20_000)
    await expect(page.locator("#status")).to_have_text("A new message from Svoi.")
    await shot(page, "web-chat", full_page=False)  # what the resident sees: the latest

    # The proactive message's own button works at any later time (a global action).
    await bot_messages(page).last.get_by_role("button", name="Unfollow").click()
    await expect(page.locator("#log")).to_contain_text("no longer follow commitment 2")

    # A reload keeps the conversation (this tab) and does not show a message twice.
    await page.reload()
    await expect(page.locator("#log")).to_contain_text("27,000th visitor")
    assert await page.locator("#log li", has_text="27,000th visitor").count() == 1
    await page.context.close()


async def _only_web_user(stack: Stack) -> tuple[int, str]:
    from sqlalchemy import select

    from storage.models import Resident as ResidentRow

    async with stack.svoi.db.transaction() as session:
        row = (
            await session.execute(select(ResidentRow).where(ResidentRow.channel == "web"))
        ).scalar_one()
        return row.id, row.user_id


async def _telegram_resident_with_comment_and_follow(stack: Stack) -> None:
    resident = Resident.on(
        stack.svoi.engine, channel="telegram", caps=TELEGRAM, user_id=TELEGRAM_USER, language="en"
    )
    await resident.onboard("en")
    await resident.press("Plan")
    await resident.press("1. ")
    await resident.press("Follow")
    await resident.press("Rate")
    await resident.press("5")
    await resident.send("Please add a hub in the Ozerna library")
    await resident.press("Yes")
    assert "Reference number: C1-" in resident.text


async def log_in(page: Page, stack: Stack, account: str) -> None:
    await page.goto(stack.url("/admin/broadcasts"))
    await expect(page).to_have_url(stack.url("/admin/login?next=/admin/broadcasts"))
    await page.get_by_label("Account").fill(account)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()


async def test_an_operator_answers_publishes_and_broadcasts(stack: Stack, browser: Browser) -> None:
    await _telegram_resident_with_comment_and_follow(stack)
    await add_account(stack.svoi, OPERATOR, "operator")
    page = await new_page(browser)
    await log_in(page, stack, OPERATOR)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Broadcasts")

    await page.get_by_role("link", name="Overview").click()
    await expect(page.get_by_role("img", name="Residents by channel")).to_be_visible()
    await shot(page, "console-dashboard")

    # Feedback: find the comment, answer it; the resident gets it on Telegram.
    await page.get_by_role("link", name="Feedback").click()
    await page.get_by_label("Only those waiting for an answer or review").check()
    await page.get_by_role("button", name="Show").click()
    await page.get_by_role("link", name="C1-").click()
    await expect(page.locator("main")).to_contain_text("Please add a hub in the Ozerna library")
    await shot(page, "console-feedback")
    await page.get_by_label("Answer to the resident").fill("The Ozerna library hub opens in May.")
    await page.get_by_role("button", name="Send the answer").click()
    await expect(page.get_by_role("status")).to_contain_text("The answer is saved")

    async def answered() -> bool:
        return any("The Ozerna library hub opens in May." in t for t in stack.telegram_texts())

    await eventually(answered)

    # Commitments: publish an update; the Telegram follower is notified.
    await page.get_by_role("link", name="Commitments").click()
    await page.get_by_role("link", name="1. ").first.click()
    await page.get_by_label("Status").select_option("substantial")
    await page.get_by_label("Progress, %").fill("80")
    await page.get_by_label("Text of the update").fill("Forty officials trained in open data.")
    await page.get_by_role("button", name="Publish", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("The update is published")
    await expect(page.locator(".timeline")).to_contain_text("Forty officials trained")
    await shot(page, "console-commitment")

    async def notified() -> bool:
        return any("Forty officials trained in open data." in t for t in stack.telegram_texts())

    await eventually(notified)

    # Broadcasts: live count, preview per channel, send, watch the progress bar complete.
    await page.get_by_role("link", name="Broadcasts").click()
    await expect(page.locator("#audience-count")).to_contain_text("Recipients: 1 (Telegram: 1)")
    await page.get_by_label("Text", exact=True).fill("Svoi now has a web chat on khm.gov.ua!")
    await page.get_by_role("button", name="Preview").click()
    await expect(page.get_by_role("heading", name="How each channel will show it")).to_be_visible()
    await expect(page.locator(".preview figcaption")).to_contain_text(
        ["terminal chat", "Telegram", "web chat"]
    )
    await shot(page, "console-broadcast-preview")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Broadcast No.")
    await expect(page.locator("#bc-status")).to_have_text("finished", timeout=60_000)
    bar = page.locator("#bc-bar")
    assert await bar.evaluate("bar => bar.value === bar.max && bar.max > 0")
    await expect(page.locator("#bc-sent")).to_have_text("1")
    await shot(page, "console-broadcast-progress")

    async def broadcast_arrived() -> bool:
        return any("Svoi now has a web chat" in t for t in stack.telegram_texts())

    await eventually(broadcast_arrived)

    for path, name in (("/admin/polls", "console-polls"), ("/admin/waste", "console-waste"),
                       ("/admin/services", "console-services")):  # fmt: skip
        await page.goto(stack.url(path))
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        await shot(page, name)
    await page.context.close()


async def test_logged_out_and_viewer_are_refused_in_the_browser(
    stack: Stack, browser: Browser
) -> None:
    page = await new_page(browser)
    for path in ("/admin/", "/admin/feedback", "/admin/broadcasts", "/admin/polls/1"):
        await page.goto(stack.url(path))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Log in to the console")
    await shot(page, "console-login")

    await add_account(stack.svoi, VIEWER, "viewer")
    await log_in(page, stack, VIEWER)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Access denied")
    await expect(page.get_by_role("alert")).to_contain_text("Your role (viewer)")
    assert await page.get_by_role("navigation", name="Console sections").count() == 0
    await shot(page, "console-refused")
    status = await page.evaluate(
        """async () => (await fetch('/admin/polls', {method: 'POST',
             headers: {'Content-Type': 'application/x-www-form-urlencoded'},
             body: 'question=Q&options=a%0Ab'})).status"""
    )
    assert status == 403
    await page.context.close()

    await add_account(stack.svoi, OPERATOR, "operator")
    page = await new_page(browser)
    await log_in(page, stack, OPERATOR)
    forged = await page.evaluate(
        """async () => (await fetch('/admin/polls', {method: 'POST',
             headers: {'Content-Type': 'application/x-www-form-urlencoded'},
             body: 'question=Q&options=a%0Ab'})).status"""
    )
    assert forged == 403  # a logged-in operator, but no CSRF token
    await page.context.close()


async def test_a_visitor_past_the_new_chat_limit_is_told_so(
    db_url: str, db: Database, browser: Browser
) -> None:
    # One new chat per address per hour: the second visitor's first message is refused, and
    # the page says why instead of "check your connection".
    svoi = Svoi.create(web_settings(db_url, web_new_chats_per_hour=1), db)
    assert await ensure_default_content(db) is True
    web = await start_web(svoi)
    try:
        first = await new_page(browser)
        await first.goto(web.url("/"))
        await expect(bot_messages(first).first).to_contain_text("Choose your language")

        second = await new_page(browser)
        await second.goto(web.url("/"))
        await expect(second.locator("#status")).to_contain_text(
            "Too many new chats were started from your network this hour"
        )
        await expect(bot_messages(second)).to_have_count(0)
    finally:
        await stop_web(web)
