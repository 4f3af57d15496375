"""The working group's console under `/admin`: server-rendered pages over the same
actions the chat and the CLI use (each feature's service: dialogs/plan/service.py,
dialogs/broadcast/service.py, dialogs/waste/service.py, dialogs/services/service.py), behind
the checks in auth.py.

Pages (operators and admins; every other role and anyone logged out is refused on every
page and every action, and every action is written to the audit log):

    /admin/                     dashboard: residents by channel and language, subscriptions,
                                ratings per commitment, delivery health
    /admin/feedback             inbox (filter by commitment, waiting only) → one item:
                                read, answer (→ the resident's channel), mark reviewed
    /admin/commitments          status and progress → one commitment: publish an update
                                (→ followers notified)
    /admin/polls                create → one poll: open, close, results chart
    /admin/broadcasts           compose with a live audience count, preview per channel,
                                Viber cost, send now or schedule → progress, cancel
    /admin/waste                move or cancel a collection day (→ subscribers notified)
    /admin/services             import the services catalogue with a validation report
    /admin/audit                the latest audit entries (admins only)
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import jinja2
from aiohttp import web

from bot.channels.web.admin import auth, charts
from bot.channels.web.admin.dashboard import dashboard
from bot.channels.web.clients import client_address
from bot.channels.web.pages import (
    ADMIN_CSP,
    BASE_HEADERS,
    LANG_COOKIE,
    Translate,
    render,
    translator,
    ui_locale,
)
from bot.config import Network
from bot.core.actions import Actor, Refused
from dialogs.broadcast import service as broadcasting
from dialogs.plan import service as plan
from dialogs.plan.views import COMMENT_LIMIT, localized
from dialogs.services.service import import_services
from dialogs.waste.service import change_collection
from storage import clock
from storage.models.delivery import CANCELLED, DONE, SCHEDULED, SENDING
from storage.models.plan import OGP_STATUSES, POLL_OPEN
from storage.repos.access import AuditRepo, may_read_audit
from storage.repos.plan import PlanRepo, percentages
from storage.repos.residents import ResidentRepo
from storage.repos.web import AdminSessionRepo

if TYPE_CHECKING:
    from bot.app import Svoi

log = logging.getLogger(__name__)
NOTICES = frozenset(
    {
        "answered",
        "reviewed",
        "published",
        "poll-created",
        "poll-opened",
        "poll-closed",
        "broadcast-queued",
        "broadcast-scheduled",
        "broadcast-cancelled",
        "waste-saved",
        "logged-out",
    }
)
HEADERS = {**BASE_HEADERS, "Content-Security-Policy": ADMIN_CSP, "Cache-Control": "no-store",
           "X-Frame-Options": "DENY"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Operator:
    """Who is asking, as checked for this request."""

    account: str
    role: str
    csrf: str
    locale: str
    t: Translate

    @property
    def address(self) -> tuple[str, str]:
        channel, _, user_id = self.account.partition(":")
        return channel, user_id

    @property
    def actor(self) -> Actor:
        """This operator as a feature service's actor: audited "via web", reports to their chat."""
        return Actor(self.account, self.role, self.address, via="web")


Handler = Callable[[web.Request, Operator], Awaitable[web.StreamResponse]]


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) < 12 else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class Console:
    def __init__(
        self,
        svoi: Svoi,
        app: web.Application,
        env: jinja2.Environment,
        *,
        secret: str,
        secure: bool,
        trusted_proxies: list[Network],
    ) -> None:
        self.svoi = svoi
        self.env = env
        self.secure = secure
        self.trusted_proxies = trusted_proxies
        self.secret = secret
        self.logins = asyncio.Semaphore(auth.CONCURRENT_LOGINS)
        get, post = app.router.add_get, app.router.add_post
        get("/admin/login", self.login_page)
        post("/admin/login", self.login)
        post("/admin/logout", self.logout)
        pages: list[tuple[str, str, Handler]] = [
            ("GET", "/admin", self.dashboard),
            ("GET", "/admin/", self.dashboard),
            ("GET", "/admin/feedback", self.feedback_list),
            ("GET", "/admin/feedback/{id:\\d+}", self.feedback_item),
            ("POST", "/admin/feedback/{id:\\d+}/answer", self.feedback_answer),
            ("POST", "/admin/feedback/{id:\\d+}/reviewed", self.feedback_reviewed),
            ("GET", "/admin/commitments", self.commitments),
            ("GET", "/admin/commitments/{code:c\\d{1,3}}", self.commitment),
            ("POST", "/admin/commitments/{code:c\\d{1,3}}/publish", self.commitment_publish),
            ("GET", "/admin/polls", self.polls),
            ("POST", "/admin/polls", self.poll_create),
            ("GET", "/admin/polls/{id:\\d+}", self.poll),
            ("POST", "/admin/polls/{id:\\d+}/{action:open|close}", self.poll_state),
            ("GET", "/admin/broadcasts", self.broadcasts),
            ("POST", "/admin/broadcasts", self.broadcast_compose),
            ("GET", "/admin/broadcasts/audience", self.broadcast_audience),
            ("GET", "/admin/broadcasts/{id:\\d+}", self.broadcast),
            ("GET", "/admin/broadcasts/{id:\\d+}/progress", self.broadcast_progress),
            ("POST", "/admin/broadcasts/{id:\\d+}/cancel", self.broadcast_cancel),
            ("GET", "/admin/waste", self.waste),
            ("POST", "/admin/waste/exceptions", self.waste_exception),
            ("GET", "/admin/services", self.services),
            ("POST", "/admin/services/import", self.services_import),
            ("GET", "/admin/audit", self.audit),
        ]
        self.routes = [(method, path) for method, path, _ in pages]
        for method, path, handler in pages:
            app.router.add_route(method, path, self._guard(handler, method == "POST"))

    # --- rendering --------------------------------------------------------------------
    def _render(
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
        response = render(
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

    def _error(self, operator: Operator, refused: Refused) -> str:
        return operator.t(refused.key, **refused.args_)

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
                    return self._render(
                        request, "admin/refused.html", locale=locale, status=403, reason="login"
                    )
                raise web.HTTPSeeOther(f"/admin/login?next={quote(request.path_qs)}")
            t = translator(i18n, locale)
            operator = Operator(account, role or "", csrf, locale, t)
            if role not in auth.CONSOLE_ROLES:
                log.warning("console refused to role %s", role or "none")
                return self._render(
                    request, "admin/refused.html", operator=operator, status=403, reason="role"
                )
            if is_post and not await self._post_allowed(request, operator):
                async with self.svoi.db.transaction() as session:
                    AuditRepo(session).write(
                        account, role, "web-admin-csrf", request.path, "refused"
                    )
                return self._render(
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

    def _audit(
        self, session: Any, operator: Operator, action: str, target: str, **details: Any
    ) -> None:
        AuditRepo(session).write(
            operator.account, operator.role, action, target, "done", via="web", **details
        )

    @staticmethod
    def _redirect(path: str, notice: str) -> web.HTTPSeeOther:
        return web.HTTPSeeOther(f"{path}?{urlencode({'notice': notice})}")

    # --- login and logout -------------------------------------------------------------
    def _login_form(
        self, request: web.Request, locale: str, *, status: int = 200, error: str | None = None
    ) -> web.Response:
        login_token = secrets.token_urlsafe(24)
        next_path = request.query.get("next") or request.rel_url.query.get("next") or "/admin/"
        response = self._render(
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
            return self._render(
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

    # --- dashboard --------------------------------------------------------------------
    async def dashboard(self, request: web.Request, op: Operator) -> web.Response:
        async with self.svoi.db.transaction() as session:
            board = await dashboard(session, clock.now())
        t = op.t
        channels = charts.bar_chart(
            t("web-admin-chart-channels"),
            [(c, n, str(n)) for c, n in sorted(board.by_channel.items())],
        )
        languages = charts.bar_chart(
            t("web-admin-chart-languages"),
            [
                (t("web-admin-language", code=c), n, str(n))
                for c, n in sorted(board.by_language.items())
            ],
        )
        ratings = charts.bar_chart(
            t("web-admin-chart-ratings"),
            [
                (
                    f"{s.commitment.number}. {localized(s.commitment.title, op.locale)}",
                    s.average or 0.0,
                    t(
                        "web-admin-rating-shown",
                        average=f"{s.average:.2f}" if s.average else "—",
                        count=s.count,
                    ),
                )
                for s in board.ratings
            ],
            maximum=5.0,
        )
        return self._render(
            request,
            "admin/dashboard.html",
            operator=op,
            board=board,
            charts=[channels, languages, ratings],
        )

    # --- feedback ---------------------------------------------------------------------
    async def feedback_list(self, request: web.Request, op: Operator) -> web.Response:
        code = request.query.get("commitment") or None
        waiting = request.query.get("waiting") == "1"
        async with self.svoi.db.transaction() as session:
            commitments = await PlanRepo(session).commitments()
            if code not in {c.code for c in commitments}:
                code = None
            items = await plan.inbox(session, code, waiting)
        return self._render(
            request,
            "admin/feedback_list.html",
            operator=op,
            commitments=commitments,
            items=items,
            chosen=code,
            waiting=waiting,
            localized=localized,
        )

    async def _feedback_page(
        self, request: web.Request, op: Operator, feedback_id: int, *, status: int = 200,
        error: str | None = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            repo = PlanRepo(session)
            feedback = await repo.feedback(feedback_id)
            if feedback is None:
                raise web.HTTPNotFound()
            commitment = await repo.commitment_by_id(feedback.commitment_id)
            contact = None
            if feedback.consent:
                contact = await ResidentRepo(session).by_id(feedback.resident_id)
        return self._render(
            request,
            "admin/feedback_item.html",
            operator=op,
            status=status,
            error=error,
            feedback=feedback,
            commitment=commitment,
            contact=contact,
            localized=localized,
            limit=COMMENT_LIMIT,
        )

    async def feedback_item(self, request: web.Request, op: Operator) -> web.Response:
        return await self._feedback_page(request, op, int(request.match_info["id"]))

    async def feedback_answer(self, request: web.Request, op: Operator) -> web.Response:
        feedback_id = int(request.match_info["id"])
        form = await request.post()
        try:
            async with self.svoi.db.transaction() as session:
                await plan.answer_feedback(
                    session,
                    feedback_id,
                    str(form.get("answer", "")),
                    actor=op.actor,
                    now=clock.now(),
                )
        except Refused as refused:
            return await self._feedback_page(
                request, op, feedback_id, status=400, error=self._error(op, refused)
            )
        raise self._redirect(f"/admin/feedback/{feedback_id}", "answered")

    async def feedback_reviewed(self, request: web.Request, op: Operator) -> web.Response:
        feedback_id = int(request.match_info["id"])
        try:
            async with self.svoi.db.transaction() as session:
                await plan.mark_reviewed(session, feedback_id, actor=op.actor, now=clock.now())
        except Refused:
            raise web.HTTPNotFound() from None
        raise self._redirect(f"/admin/feedback/{feedback_id}", "reviewed")

    # --- commitments ------------------------------------------------------------------
    async def commitments(self, request: web.Request, op: Operator) -> web.Response:
        async with self.svoi.db.transaction() as session:
            repo = PlanRepo(session)
            rows = []
            stats = {s.commitment.id: s for s in await repo.rating_stats()}
            for commitment in await repo.commitments():
                followers = len(await repo.followers(commitment.id))
                rows.append((commitment, followers, stats.get(commitment.id)))
        return self._render(
            request, "admin/commitments.html", operator=op, rows=rows, localized=localized
        )

    async def _commitment_page(
        self, request: web.Request, op: Operator, code: str, *, status: int = 200,
        error: str | None = None, form: Any = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            repo = PlanRepo(session)
            commitment = await repo.commitment(code)
            if commitment is None:
                raise web.HTTPNotFound()
            updates = await repo.updates(commitment.id, 10)
            followers = len(await repo.followers(commitment.id))
        return self._render(
            request,
            "admin/commitment.html",
            operator=op,
            status=status,
            error=error,
            commitment=commitment,
            updates=updates,
            followers=followers,
            statuses=OGP_STATUSES,
            localized=localized,
            form=form or {},
            limit=COMMENT_LIMIT,
        )

    async def commitment(self, request: web.Request, op: Operator) -> web.Response:
        return await self._commitment_page(request, op, request.match_info["code"])

    async def commitment_publish(self, request: web.Request, op: Operator) -> web.Response:
        code = request.match_info["code"]
        form = await request.post()
        status = str(form.get("status", "keep"))
        progress_text = str(form.get("progress", "")).strip().rstrip("%")
        progress = None
        try:
            if progress_text:
                if not progress_text.isdigit():
                    raise Refused("web-admin-error-progress")
                progress = int(progress_text)
            async with self.svoi.db.transaction() as session:
                await plan.publish_update(
                    session,
                    code,
                    text=str(form.get("text", "")),
                    status=None if status == "keep" else status,
                    progress=progress,
                    actor=op.actor,
                    now=clock.now(),
                    zone=self.svoi.settings.zone,
                    notify=form.get("notify") == "1",
                )
        except Refused as refused:
            return await self._commitment_page(
                request, op, code, status=400, error=self._error(op, refused), form=form
            )
        raise self._redirect(f"/admin/commitments/{code}", "published")

    # --- polls ------------------------------------------------------------------------
    async def polls(
        self, request: web.Request, op: Operator, *, status: int = 200, error: str | None = None,
        form: Any = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            polls = await PlanRepo(session).polls(include_drafts=True)
        return self._render(
            request,
            "admin/polls.html",
            operator=op,
            status=status,
            error=error,
            polls=polls,
            form=form or {},
            localized=localized,
        )

    async def poll_create(self, request: web.Request, op: Operator) -> web.Response:
        form = await request.post()
        closes = str(form.get("closes", "")).strip()
        try:
            closes_on = _date(closes)
            if closes and closes_on is None:
                raise Refused("web-admin-error-date")
            async with self.svoi.db.transaction() as session:
                poll = await plan.create_poll(
                    session,
                    str(form.get("question", "")),
                    str(form.get("options", "")),
                    closes_on,
                    actor=op.actor,
                    now=clock.now(),
                    zone=self.svoi.settings.zone,
                )
                poll_id = poll.id
        except Refused as refused:
            return await self.polls(
                request, op, status=400, error=self._error(op, refused), form=form
            )
        raise self._redirect(f"/admin/polls/{poll_id}", "poll-created")

    async def poll(self, request: web.Request, op: Operator) -> web.Response:
        poll_id = int(request.match_info["id"])
        now = clock.now()
        async with self.svoi.db.transaction() as session:
            repo = PlanRepo(session)
            poll = await repo.poll(poll_id)
            if poll is None:
                raise web.HTTPNotFound()
            results = await repo.results(poll_id)
        shares = percentages([r.votes for r in results])
        chart = charts.bar_chart(
            op.t("web-admin-chart-poll"),
            [
                (localized(r.option.text, op.locale), share, f"{share}% ({r.votes})")
                for r, share in zip(results, shares, strict=True)
            ],
            maximum=100.0,
        )
        return self._render(
            request,
            "admin/poll.html",
            operator=op,
            poll=poll,
            chart=chart,
            total=sum(r.votes for r in results),
            can_open=not poll.accepts_votes(now),
            can_close=poll.state == POLL_OPEN,
            localized=localized,
        )

    async def poll_state(self, request: web.Request, op: Operator) -> web.Response:
        poll_id = int(request.match_info["id"])
        action = request.match_info["action"]
        try:
            async with self.svoi.db.transaction() as session:
                await plan.set_poll_state(session, poll_id, action, actor=op.actor, now=clock.now())
        except Refused:
            raise web.HTTPNotFound() from None
        raise self._redirect(f"/admin/polls/{poll_id}", f"poll-{action}ed")

    # --- broadcasts: pages over dialogs.broadcast.service -------------------------------
    def _broadcast_refusal(self, op: Operator, refused: broadcasting.Refused) -> str:
        key = {
            "audience-unavailable": "web-admin-error-audience",
            "when-invalid": "web-admin-error-date",
            "when-range": "web-admin-error-schedule",
        }.get(refused.code, f"web-admin-error-{refused.code}")
        return op.t(key, **refused.args_)

    def _channels(self) -> list[str]:
        return broadcasting.deliverable(self.svoi.engine.capabilities)

    async def _broadcasts_page(
        self, request: web.Request, op: Operator, *, status: int = 200, **context: Any
    ) -> web.Response:
        async with self.svoi.db.transaction() as session:
            recent = await broadcasting.recent(session, 20)
            choices = {
                kind: await broadcasting.audience_choices(session, kind, op.locale)
                for kind in (broadcasting.FOLLOWERS, broadcasting.ZONE)
            }
        context.setdefault("form", {})
        context.setdefault("preview", None)
        context.setdefault("estimate", None)
        return self._render(
            request,
            "admin/broadcasts.html",
            operator=op,
            status=status,
            recent=[r.broadcast for r in recent],
            progress={r.broadcast.id: r.progress for r in recent},
            audiences=broadcasting.available_audiences(),
            choices=choices,
            locales=self.svoi.i18n.locales,
            currency=self.svoi.settings.delivery_viber_currency,
            **context,
        )

    async def broadcasts(self, request: web.Request, op: Operator) -> web.Response:
        return await self._broadcasts_page(request, op)

    def _draft(self, form: Any) -> broadcasting.Draft:
        kind = str(form.get("audience", broadcasting.EVERYONE))
        value = str(form.get(f"value_{kind}", "")).strip() or None
        return broadcasting.draft(
            str(form.get("text", "")),
            broadcasting.Audience(kind, value),
            str(form.get("link", "")),
            form.get("urgent") == "1",
        )

    def _when(self, form: Any, now: datetime) -> datetime | None:
        if form.get("schedule") != "1":
            return None
        return broadcasting.read_when(str(form.get("when", "")), now, self.svoi.settings.zone)

    async def broadcast_compose(self, request: web.Request, op: Operator) -> web.Response:
        form = await request.post()
        settings = self.svoi.settings
        channels = self._channels()
        now = clock.now()
        try:
            draft = self._draft(form)
            when = self._when(form, now)
            if form.get("action") != "send":
                # Count and preview only; the page is rendered after this transaction
                # (SQLite has one writer: a second transaction inside would wait on it).
                async with self.svoi.db.transaction() as session:
                    estimate = await broadcasting.estimate(
                        session,
                        draft.audience,
                        channels,
                        settings.delivery_viber_price,
                        settings.delivery_viber_currency,
                    )
                caps = {c: self.svoi.engine.capabilities[c] for c in channels}
                shown = broadcasting.preview(self.svoi.i18n, op.locale, draft, caps)
                return await self._broadcasts_page(
                    request, op, form=form, preview=shown, estimate=estimate
                )
            async with self.svoi.db.transaction() as session:
                sent = await broadcasting.send(
                    session,
                    draft,
                    actor=op.actor,
                    channels=channels,
                    when=when,
                    now=now,
                )
                broadcast_id = sent.broadcast.id
        except broadcasting.Refused as refused:
            return await self._broadcasts_page(
                request, op, status=400, form=form, error=self._broadcast_refusal(op, refused)
            )
        notice = "broadcast-scheduled" if when is not None else "broadcast-queued"
        raise self._redirect(f"/admin/broadcasts/{broadcast_id}", notice)

    async def broadcast_audience(self, request: web.Request, op: Operator) -> web.Response:
        """The live count under the compose form (JSON)."""
        settings = self.svoi.settings
        try:
            audience = broadcasting.audience(
                request.query.get("audience", broadcasting.EVERYONE),
                request.query.get("value") or None,
            )
            async with self.svoi.db.transaction() as session:
                estimate = await broadcasting.estimate(
                    session,
                    audience,
                    self._channels(),
                    settings.delivery_viber_price,
                    settings.delivery_viber_currency,
                )
        except broadcasting.Refused as refused:
            return web.json_response({"error": self._broadcast_refusal(op, refused)}, status=400)
        return web.json_response(
            {
                "total": estimate.total,
                "counts": estimate.counts,
                "viber_cost": estimate.viber_cost,
                "currency": estimate.currency,
                "text": op.t(
                    "web-admin-audience-count",
                    count=estimate.total,
                    channels=", ".join(f"{c}: {n}" for c, n in sorted(estimate.counts.items()))
                    or "—",
                ),
                "cost_text": op.t(
                    "web-admin-viber-cost",
                    count=estimate.counts.get("viber", 0),
                    cost=f"{estimate.viber_cost:.2f}",
                    currency=estimate.currency,
                ),
            },
            headers={"Cache-Control": "no-store"},
        )

    async def _broadcast_state(self, broadcast_id: int) -> broadcasting.Report:
        async with self.svoi.db.transaction() as session:
            found = await broadcasting.report(session, broadcast_id)
        if found is None:
            raise web.HTTPNotFound()
        return found

    async def broadcast(self, request: web.Request, op: Operator) -> web.Response:
        found = await self._broadcast_state(int(request.match_info["id"]))
        return self._render(
            request,
            "admin/broadcast.html",
            operator=op,
            broadcast=found.broadcast,
            progress=found.progress,
            running=found.broadcast.status in (SCHEDULED, SENDING),
        )

    async def broadcast_progress(self, request: web.Request, op: Operator) -> web.Response:
        found = await self._broadcast_state(int(request.match_info["id"]))
        status, progress = found.broadcast.status, found.progress
        return web.json_response(
            {
                "status": status,
                "status_text": op.t("web-admin-broadcast-status", status=status),
                "finished": status in (DONE, CANCELLED),
                "total": progress.total,
                "sent": progress.sent,
                "blocked": progress.blocked,
                "failed": progress.failed,
                "waiting": progress.waiting,
                "skipped": progress.other_skipped,
                "done": progress.done,
            },
            headers={"Cache-Control": "no-store"},
        )

    async def broadcast_cancel(self, request: web.Request, op: Operator) -> web.Response:
        broadcast_id = int(request.match_info["id"])
        actor = op.actor
        try:
            async with self.svoi.db.transaction() as session:
                if not await broadcasting.cancel(session, broadcast_id, actor=actor):
                    # Leaving by the exception rolls back the attempt and its audit entry:
                    # the console records only what it did.
                    raise broadcasting.Refused("finished", id=broadcast_id)
        except broadcasting.Refused as refused:
            found = await self._broadcast_state(broadcast_id)
            return self._render(
                request,
                "admin/broadcast.html",
                operator=op,
                status=409,
                error=self._broadcast_refusal(op, refused),
                broadcast=found.broadcast,
                progress=found.progress,
                running=False,
            )
        raise self._redirect(f"/admin/broadcasts/{broadcast_id}", "broadcast-cancelled")

    # --- waste ------------------------------------------------------------------------
    async def waste(
        self, request: web.Request, op: Operator, *, status: int = 200, error: str | None = None,
        form: Any = None,
    ) -> web.Response:  # fmt: skip
        from dialogs.waste.schedule import local_today
        from storage.repos.waste import WasteRepo

        today = local_today(clock.now())
        async with self.svoi.db.transaction() as session:
            repo = WasteRepo(session)
            zones = await repo.zones()
            types = await repo.types()
            exceptions = await repo.exceptions(since=today)
        names = {z.id: z for z in zones}
        return self._render(
            request,
            "admin/waste.html",
            operator=op,
            status=status,
            error=error,
            form=form or {},
            zones=zones,
            types=types,
            exceptions=exceptions,
            zone_of=names,
            today=today.isoformat(),
        )

    async def waste_exception(self, request: web.Request, op: Operator) -> web.Response:
        form = await request.post()
        try:
            original = _date(str(form.get("date", "")))
            moved = form.get("action") == "move"
            moved_to = _date(str(form.get("moved_to", ""))) if moved else None
            if original is None or (moved and moved_to is None):
                raise Refused("web-admin-error-date")
            zone_code = str(form.get("zone", ""))
            waste_type = str(form.get("type", ""))
            async with self.svoi.db.transaction() as session:
                await change_collection(
                    session,
                    self.svoi.i18n,
                    zone_code=zone_code,
                    waste_type=waste_type,
                    original=original,
                    moved_to=moved_to,
                    reason_uk=str(form.get("reason_uk", ""))[:500],
                    reason_en=str(form.get("reason_en", ""))[:500],
                    actor=op.actor,
                    now=clock.now(),
                )
        except Refused as refused:
            return await self.waste(
                request, op, status=400, error=self._error(op, refused), form=form
            )
        raise self._redirect("/admin/waste", "waste-saved")

    # --- services ---------------------------------------------------------------------
    async def services(
        self, request: web.Request, op: Operator, *, status: int = 200, report: Any = None,
        error: str | None = None,
    ) -> web.Response:  # fmt: skip
        from storage.repos.services import ServiceRepo

        async with self.svoi.db.transaction() as session:
            repo = ServiceRepo(session)
            catalogue = await repo.catalogue()
            counts = {
                "services": len(await repo.all_services()),
                "categories": len(await repo.categories()),
                "offices": len(await repo.all_offices()),
            }
        return self._render(
            request,
            "admin/services.html",
            operator=op,
            status=status,
            error=error,
            catalogue=catalogue,
            counts=counts,
            report=report,
        )

    async def services_import(self, request: web.Request, op: Operator) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            return await self.services(request, op, status=400, error=op.t("web-admin-error-file"))
        content = upload.file.read(900_000)
        dry_run = form.get("dry_run") == "1"
        report = await import_services(self.svoi.db, upload.filename, content, dry_run=dry_run)
        async with self.svoi.db.transaction() as session:
            AuditRepo(session).write(
                op.account,
                op.role,
                "services-import",
                upload.filename[:160],
                "refused" if report.problems else "done",
                via="web",
                dry_run=dry_run,
                problems=len(report.problems),
                summary=report.summary,
            )
        return await self.services(
            request, op, status=400 if report.problems else 200, report=report
        )

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
            return self._render(
                request, "admin/refused.html", operator=op, status=403, reason="role"
            )
        return self._render(request, "admin/audit.html", operator=op, entries=entries)


def _local_path(path: str) -> bool:
    """Only our own console pages after a login: no open redirect to another site."""
    return path.startswith("/admin") and not path.startswith("//") and "\\" not in path
