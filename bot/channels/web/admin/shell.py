"""The console's shell: construction and the route table, the checks on every request
(session, role, CSRF, locale), rendering, redirects with a notice, login and logout, and
the audit page. Each feature's pages live in a page module (pages/) that gets this shell and
uses only `svoi`, `render`, `error` and `redirect`."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import jinja2
from aiohttp import web

from bot.channels.web.admin import auth
from bot.channels.web.admin.operator import Handler, Operator, Route
from bot.channels.web.admin.pages import PAGES
from bot.channels.web.clients import client_address
from bot.channels.web.pages import (
    ADMIN_CSP,
    BASE_HEADERS,
    LANG_COOKIE,
    translator,
    ui_locale,
)
from bot.channels.web.pages import render as render_page
from bot.config import Network
from bot.core.actions import Refused
from storage import clock
from storage.repos.access import AuditRepo, may_read_audit
from storage.repos.web import AdminSessionRepo

if TYPE_CHECKING:
    from bot.core.ports import ConsolePort

log = logging.getLogger(__name__)
NOTICES = frozenset(
    {
        "answered",
        "reviewed",
        "question-answered",
        "question-redirected",
        "report-status",
        "published",
        "poll-created",
        "poll-opened",
        "poll-closed",
        "poll-edited",
        "broadcast-queued",
        "broadcast-scheduled",
        "broadcast-cancelled",
        "waste-saved",
        "logged-out",
    }
)
HEADERS = {**BASE_HEADERS, "Content-Security-Policy": ADMIN_CSP, "Cache-Control": "no-store",
           "X-Frame-Options": "DENY"}  # fmt: skip


class Console:
    """The shell under `/admin`; the pages are the page modules registered in pages/PAGES."""

    def __init__(
        self,
        svoi: ConsolePort,
        app: web.Application,
        env: jinja2.Environment,
        *,
        secret: str,
        secure: bool,
        trusted_proxies: list[Network],
    ) -> None:
        self.svoi = svoi
        self.env = env
        env.filters["city_time"] = city_time
        self.secure = secure
        self.trusted_proxies = trusted_proxies
        self.secret = secret
        self.logins = asyncio.Semaphore(auth.CONCURRENT_LOGINS)
        get, post = app.router.add_get, app.router.add_post
        get("/admin/login", self.login_page)
        post("/admin/login", self.login)
        post("/admin/logout", self.logout)
        pages: list[Route] = [route for page in PAGES for route in page(self)]
        pages.append(("GET", "/admin/audit", self.audit))
        self.routes = [(method, path) for method, path, _ in pages]
        for method, path, handler in pages:
            app.router.add_route(method, path, self._guard(handler, method == "POST"))

    # --- what pages use: rendering, refusals, redirects -------------------------------
    def render(
        self,
        request: web.Request,
        name: str,
        *,
        operator: Operator | None = None,
        locale: str | None = None,
        status: int = 200,
        **context: Any,
    ) -> web.Response:
        lang = operator.locale if operator else (locale or self.svoi.i18n.default_locale)
        t = operator.t if operator else translator(self.svoi.i18n, lang)
        notice = request.query.get("notice")
        response = render_page(
            self.env,
            name,
            {
                "t": t,
                "lang": lang,
                "other_lang": "en" if lang == "uk" else "uk",
                "operator": operator,
                "csrf": operator.csrf if operator else "",
                "path": request.path,
                "notice": notice if notice in NOTICES else None,
                "error": None,
                **context,
            },
            status=status,
            headers=HEADERS,
        )
        if request.query.get("lang") in self.svoi.i18n.locales:
            # The language link keeps its choice for the next pages too.
            response.set_cookie(
                LANG_COOKIE,
                lang,
                max_age=365 * 24 * 3600,
                path="/",
                httponly=True,
                secure=self.secure,
                samesite="Lax",
            )
        return response

    def error(self, operator: Operator, refused: Refused) -> str:
        """A feature service's refusal, worded in the operator's language."""
        return operator.t(refused.key, **refused.args_)

    @staticmethod
    def redirect(path: str, notice: str) -> web.HTTPSeeOther:
        """After an action: back to its page, with a notice the page shows (NOTICES)."""
        return web.HTTPSeeOther(f"{path}?{urlencode({'notice': notice})}")

    # --- the checks on every request --------------------------------------------------
    def _guard(self, handler: Handler, is_post: bool) -> Callable[[web.Request], Awaitable[Any]]:
        async def guarded(request: web.Request) -> web.StreamResponse:
            i18n = self.svoi.i18n
            locale = ui_locale(request, i18n)
            token = request.cookies.get(auth.COOKIE)
            now = clock.now()
            async with self.svoi.db.transaction() as session:
                row = await AdminSessionRepo(session).get(token, now) if token else None
                account = row.account if row is not None else None
                csrf = row.csrf_token if row is not None else ""
                role = await auth.role_of(session, self.svoi.settings, account) if account else None
                if account is not None and role not in auth.CONSOLE_ROLES:
                    AuditRepo(session).write(
                        account, role, "web-admin", request.path, "refused", method=request.method
                    )
            if account is None:
                if is_post:
                    return self.render(
                        request, "admin/refused.html", locale=locale, status=403, reason="login"
                    )
                raise web.HTTPSeeOther(f"/admin/login?next={quote(request.path_qs)}")
            t = translator(i18n, locale)
            operator = Operator(account, role or "", csrf, locale, t)
            if role not in auth.CONSOLE_ROLES:
                log.warning("console refused to role %s", role or "none")
                return self.render(
                    request, "admin/refused.html", operator=operator, status=403, reason="role"
                )
            if is_post and not await self._post_allowed(request, operator):
                async with self.svoi.db.transaction() as session:
                    AuditRepo(session).write(
                        account, role, "web-admin-csrf", request.path, "refused"
                    )
                return self.render(
                    request, "admin/refused.html", operator=operator, status=403, reason="csrf"
                )
            return await handler(request, operator)

        return guarded

    async def _post_allowed(self, request: web.Request, operator: Operator) -> bool:
        from bot.channels.web.channel import same_origin

        if not same_origin(request, self.svoi.settings.public_base_url):
            return False
        given = request.headers.get("X-CSRF-Token")
        if given is None and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            form = await request.post()
            value = form.get("csrf")
            given = value if isinstance(value, str) else None
        return auth.tokens_match(operator.csrf, given)

    # --- login and logout -------------------------------------------------------------
    def _login_form(
        self, request: web.Request, locale: str, *, status: int = 200, error: str | None = None
    ) -> web.Response:
        login_token = secrets.token_urlsafe(24)
        next_path = request.query.get("next") or request.rel_url.query.get("next") or "/admin/"
        response = self.render(
            request,
            "admin/login.html",
            locale=locale,
            status=status,
            login_token=login_token,
            next_path=next_path if _local_path(next_path) else "/admin/",
            login_error=error,
        )
        response.set_cookie(
            auth.LOGIN_COOKIE,
            login_token,
            max_age=1800,
            path="/admin",
            httponly=True,
            secure=self.secure,
            samesite="Strict",
        )
        return response

    async def login_page(self, request: web.Request) -> web.Response:
        return self._login_form(request, ui_locale(request, self.svoi.i18n))

    async def login(self, request: web.Request) -> web.StreamResponse:
        from bot.channels.web.channel import same_origin

        locale = ui_locale(request, self.svoi.i18n)
        t = translator(self.svoi.i18n, locale)
        form = await request.post()
        given = form.get("login_token")
        if not same_origin(request, self.svoi.settings.public_base_url) or not auth.tokens_match(
            request.cookies.get(auth.LOGIN_COOKIE), given if isinstance(given, str) else None
        ):
            return self.render(
                request, "admin/refused.html", locale=locale, status=403, reason="csrf"
            )
        account = str(form.get("account", "")).strip()[:160]
        password = str(form.get("password", ""))[:512]
        # login() audits the attempt itself and holds no transaction while it checks the
        # password; a flood of attempts waits here, holding no connection and no lock.
        async with self.logins:
            now = clock.now()
            result = await auth.login(
                self.svoi.db,
                self.svoi.settings,
                account,
                password,
                now,
                client=client_address(request, self.trusted_proxies),
            )
        if not result.ok:
            if result.locked_until is not None:
                message = t(
                    "web-admin-login-locked",
                    minutes=max(1, round((result.locked_until - now).total_seconds() / 60)),
                )
            else:
                message = t("web-admin-login-failed")
            return self._login_form(request, locale, status=401, error=message)
        assert result.session is not None
        next_path = str(form.get("next", "/admin/"))
        response = web.HTTPSeeOther(next_path if _local_path(next_path) else "/admin/")
        response.set_cookie(
            auth.COOKIE,
            result.session.token,
            max_age=int(auth.SESSION_TTL.total_seconds()),
            path="/admin",
            httponly=True,
            secure=self.secure,
            samesite="Strict",
        )
        response.del_cookie(auth.LOGIN_COOKIE, path="/admin")
        raise response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        token = request.cookies.get(auth.COOKIE)
        form = await request.post()
        value = form.get("csrf")
        async with self.svoi.db.transaction() as session:
            row = await AdminSessionRepo(session).get(token, clock.now()) if token else None
            if row is not None and auth.tokens_match(
                row.csrf_token, value if isinstance(value, str) else None
            ):
                await AdminSessionRepo(session).end(token or "")
                AuditRepo(session).write(row.account, None, "web-logout")
        response = web.HTTPSeeOther("/admin/login?notice=logged-out")
        response.del_cookie(auth.COOKIE, path="/admin")
        raise response

    # --- audit ------------------------------------------------------------------------
    async def audit(self, request: web.Request, op: Operator) -> web.Response:
        # The log holds other people's data: admins only, as `/audit` in the chat.
        async with self.svoi.db.transaction() as session:
            if not may_read_audit(op.role):
                AuditRepo(session).write(
                    op.account, op.role, "audit-read", request.path, "refused", via="web"
                )
                entries = None
            else:
                entries = await AuditRepo(session).latest(100)
        if entries is None:
            return self.render(
                request, "admin/refused.html", operator=op, status=403, reason="role"
            )
        return self.render(request, "admin/audit.html", operator=op, entries=entries)


@jinja2.pass_context
def city_time(
    context: jinja2.runtime.Context, value: datetime | None, seconds: bool = False
) -> str:
    """`{{ x.created_at|city_time }}`: an instant as the city's clock shows it, with the zone
    named ("04.12.2026 12:30 (Київ)"), never UTC; a stored instant without an offset is UTC."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(clock.city_zone())
    shown = local.strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")
    return f"{shown} ({context['t']('web-admin-zone')})"


def _local_path(path: str) -> bool:
    """Only our own console pages after a login: no open redirect to another site."""
    return path.startswith("/admin") and not path.startswith("//") and "\\" not in path
