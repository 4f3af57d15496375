"""The web chat keeps the resident's language and never greets a returning visitor with an
empty page — over real HTTP (the page, its cookies and the JSON actions), both databases.

* A language chosen in the chat wins over the browser's Accept-Language and over the page's
  language cookie, on the page and in every answer.
* The page's own language link is a choice too: the chat's answers follow it.
* A returning visitor (same cookie) in a tab without a transcript is told to resume, and the
  resume action answers with the menu in the resident's language (or the language choice
  for a resident who has not made one).
* In a real browser (Debian's Chromium through Playwright; skipped when missing, unless
  SVOI_REQUIRE_BROWSER=1): a new tab of a returning visitor shows the menu in the chosen
  language, whatever the browser's language; a reloaded tab shows its own transcript.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.channels.web.pages import LANG_COOKIE
from tests.web.conftest import WebService, button_payload, chat_send, text

FRESH = re.compile(r'data-fresh="(true|false)"')


def _texts(answer: Any) -> str:
    return "\n".join(m["text"] for m in answer["messages"])


async def _page(client: TestClient[Any, Any], path: str = "/", **headers: str) -> str:
    return await text(await client.get(path, headers=headers))


def _fresh(page: str) -> bool:
    found = FRESH.search(page)
    assert found is not None
    return found.group(1) == "true"


async def _onboard(client: TestClient[Any, Any], language: str, **headers: str) -> None:
    start = await chat_send(client, {"type": "start"}, **headers)
    chosen = await chat_send(client, {"type": "button", "payload": button_payload(start, language)})
    assert "Main menu" in _texts(chosen) or "Головне меню" in _texts(chosen)


async def test_a_language_chosen_in_the_chat_wins_over_the_browser(web: WebService) -> None:
    client = web.client
    ukrainian_browser = {"Accept-Language": "uk-UA,uk;q=0.9"}
    first = await _page(client, **ukrainian_browser)
    assert '<html lang="uk">' in first and _fresh(first)
    await _onboard(client, "English", **ukrainian_browser)

    again = await _page(client, **ukrainian_browser)
    assert '<html lang="en">' in again and "Your message" in again
    assert not _fresh(again)
    answer = await chat_send(client, {"type": "text", "text": "/menu"}, **ukrainian_browser)
    assert "Main menu" in _texts(answer)


async def test_a_choice_in_the_chat_wins_over_the_page_language_cookie(web: WebService) -> None:
    client = web.client
    english = await _page(client, "/?lang=en", **{"Accept-Language": "en"})
    assert '<html lang="en">' in english
    await _onboard(client, "Українська")

    page = await _page(client, **{"Accept-Language": "en"})  # the cookie still says "en"
    assert '<html lang="uk">' in page and "Ваше повідомлення" in page
    jar = client.session.cookie_jar.filter_cookies(client.make_url("/"))
    assert jar[LANG_COOKIE].value == "uk"  # the cookie follows the choice
    answer = await chat_send(client, {"type": "text", "text": "/menu"}, **{"Accept-Language": "en"})
    assert "Головне меню" in _texts(answer)


async def test_the_page_language_link_changes_the_chat_language(web: WebService) -> None:
    client = web.client
    await _page(client, **{"Accept-Language": "uk"})
    await _onboard(client, "Українська")

    switched = await _page(client, "/?lang=en")
    assert '<html lang="en">' in switched
    answer = await chat_send(client, {"type": "text", "text": "/menu"})
    assert "Main menu" in _texts(answer)
    later = await _page(client, **{"Accept-Language": "uk"})
    assert '<html lang="en">' in later


async def test_the_widgets_language_is_a_hint_a_choice_wins(web: WebService) -> None:
    client = web.client
    first = await _page(client, "/?embed=1&hl=en", **{"Accept-Language": "uk"})
    assert '<html lang="en">' in first  # a new visitor: the embedding site's language
    await _onboard(client, "Українська")

    embedded = await _page(client, "/?embed=1&hl=en", **{"Accept-Language": "en"})
    assert '<html lang="uk">' in embedded
    answer = await chat_send(client, {"type": "text", "text": "/menu"})
    assert "Головне меню" in _texts(answer)
    widget = await _page(client, "/web/widget.js")
    assert '"/?embed=1&hl=" + lang' in widget


async def test_a_returning_visitor_gets_the_menu_not_an_empty_page(web: WebService) -> None:
    client = web.client
    await _page(client, **{"Accept-Language": "uk"})
    await _onboard(client, "English")
    plan = await chat_send(client, {"type": "text", "text": "/menu"})
    await chat_send(client, {"type": "button", "payload": button_payload(plan, "Plan")})

    # A new tab (the same cookie, none of the old tab's transcript) on another day.
    page = await _page(client, **{"Accept-Language": "uk"})
    assert not _fresh(page) and '<html lang="en">' in page
    resumed = await chat_send(client, {"type": "resume"})
    assert "Main menu" in _texts(resumed)
    assert resumed["messages"][-1]["buttons"], "the menu comes with its buttons"


async def test_a_returning_visitor_who_never_chose_a_language_is_asked(web: WebService) -> None:
    client = web.client
    await _page(client)
    await chat_send(client, {"type": "start"})  # left before choosing
    page = await _page(client)
    assert not _fresh(page)
    resumed = await chat_send(client, {"type": "resume"})
    assert "Оберіть мову / Choose your language" in _texts(resumed)


async def test_the_page_script_resumes_a_tab_without_a_transcript(web: WebService) -> None:
    script = await _page(web.client, "/web/static/chat.js")
    assert 'send({ type: main.dataset.fresh === "true" ? "start" : "resume" })' in script


CHROMIUM = Path("/usr/bin/chromium")
NO_BROWSER = not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None


@pytest.mark.skipif(
    NO_BROWSER and os.environ.get("SVOI_REQUIRE_BROWSER") != "1",
    reason="no /usr/bin/chromium or Playwright",
)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_new_tab_of_a_returning_visitor_shows_the_menu_in_a_browser(
    web: WebService,
) -> None:
    from playwright.async_api import async_playwright, expect

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            # A Ukrainian browser whose resident chooses English in the chat.
            context = await browser.new_context(locale="uk-UA")
            context.set_default_timeout(30_000)
            first = await context.new_page()
            await first.goto(web.url("/"))
            log = first.locator("#log")
            await expect(log).to_contain_text("Choose your language", timeout=20_000)
            await first.get_by_role("button", name="English").click()
            await expect(log).to_contain_text("Main menu", timeout=20_000)

            await first.reload()  # the same tab: its own transcript
            await expect(first.locator("html")).to_have_attribute("lang", "en")
            await expect(first.locator("#log li.msg.bot").first).to_contain_text(
                "Choose your language", timeout=20_000
            )

            second = await context.new_page()  # a new tab: same cookie, no transcript
            await second.goto(web.url("/"))
            await expect(second.locator("html")).to_have_attribute("lang", "en")
            await expect(second.locator("#log li.msg.bot").last).to_contain_text(
                "Main menu", timeout=20_000
            )
            await expect(second.get_by_role("button", name="Plan").first).to_be_enabled()
        finally:
            await browser.close()
