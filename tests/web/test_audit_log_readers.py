"""Who may read the audit log is one rule for both front ends: admins only (it holds other
people's data — who did what, on whom, from which address). An operator is refused the
console's audit page as they are refused `/audit` in the chat, and both refusals are
audited; an admin reads it in both places."""

from __future__ import annotations

import secrets

import aiohttp
from sqlalchemy import select
from yarl import URL

from storage.models.access import AuditEntry
from storage.repos.access import may_read_audit
from tests.support.conversation import Resident
from tests.web.conftest import ADMIN, OPERATOR, PASSWORD, VIEWER, WebService, add_account


async def console_audit_page(web: WebService, account: str) -> tuple[int, str]:
    """Log in as `account` in a browser of its own and open the audit page."""
    jar = aiohttp.CookieJar(unsafe=True)  # keep cookies of an IP-address host, as a browser
    token = secrets.token_urlsafe(16)
    jar.update_cookies({"svoi_admin_login": token}, URL(web.url("/admin/")))
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        async with browser.post(
            web.url("/admin/login"),
            data={"login_token": token, "account": account, "password": PASSWORD},
            allow_redirects=False,
        ) as logged_in:
            assert logged_in.status == 303, account
        async with browser.get(web.url("/admin/audit"), allow_redirects=False) as page:
            return page.status, await page.text()


async def chat_audit(web: WebService, account: str) -> str:
    channel, _, user_id = account.partition(":")
    resident = Resident.on(web.svoi.engine, channel=channel, user_id=user_id)
    await resident.onboard("en")
    await resident.send("/audit")
    return resident.text


ACCOUNTS = {"viewer": VIEWER, "operator": OPERATOR, "admin": ADMIN}


async def test_only_admins_read_the_audit_log_in_the_console_and_in_the_chat(
    web: WebService,
) -> None:
    for role, account in ACCOUNTS.items():
        await add_account(web.svoi, account, role)

    seen = {}
    for role, account in ACCOUNTS.items():
        status, page = await console_audit_page(web, account)
        console = {200: "reads", 403: "refused"}[status]
        assert console == "refused" or "вхід до консолі" in page  # the action by its name
        answer = await chat_audit(web, account)
        chat = "reads" if "Latest working-group actions" in answer else "refused"
        assert chat == "reads" or "for the working group only" in answer
        seen[role] = (console, chat)
    # The same rule in both places, and the rule is "admins only".
    assert seen == {
        role: ("reads",) * 2 if may_read_audit(role) else ("refused",) * 2 for role in ACCOUNTS
    }
    assert seen == {
        "viewer": ("refused", "refused"),
        "operator": ("refused", "refused"),
        "admin": ("reads", "reads"),
    }

    async with web.svoi.db.transaction() as session:
        refusals = (
            await session.execute(
                select(AuditEntry).where(AuditEntry.outcome == "refused").order_by(AuditEntry.id)
            )
        ).scalars()
        # The viewer is refused the whole console; the operator this page (and `/audit`).
        assert [(e.actor, e.action, e.details.get("via")) for e in refusals] == [
            (VIEWER, "web-admin", None),
            (VIEWER, "audit-read", None),
            (OPERATOR, "audit-read", "web"),
            (OPERATOR, "audit-read", None),
        ]
