"""The plan's console pages over dialogs/plan/service.py: the feedback inbox (filter by
commitment, waiting only) → one item: read, answer (→ the resident's channel), mark
reviewed; commitments → one commitment: publish an update (→ followers notified); polls:
create → one poll: edit, open, close, results chart."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.web.admin import charts
from bot.channels.web.admin.operator import Operator, Route, form_date
from bot.core.actions import Refused
from dialogs.plan import service as plan
from dialogs.plan.views import COMMENT_LIMIT, localized
from storage import clock
from storage.models.plan import OGP_STATUSES, POLL_DRAFT, POLL_OPEN
from storage.repos.plan import PlanRepo, percentages
from storage.repos.residents import ResidentRepo

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console


def routes(console: Console) -> list[Route]:
    page = PlanPages(console)
    return [
        ("GET", "/admin/feedback", page.feedback_list),
        ("GET", "/admin/feedback/{id:\\d+}", page.feedback_item),
        ("POST", "/admin/feedback/{id:\\d+}/answer", page.feedback_answer),
        ("POST", "/admin/feedback/{id:\\d+}/reviewed", page.feedback_reviewed),
        ("GET", "/admin/commitments", page.commitments),
        ("GET", "/admin/commitments/{code:c\\d{1,3}}", page.commitment),
        ("POST", "/admin/commitments/{code:c\\d{1,3}}/publish", page.commitment_publish),
        ("GET", "/admin/polls", page.polls),
        ("POST", "/admin/polls", page.poll_create),
        ("GET", "/admin/polls/{id:\\d+}", page.poll),
        ("POST", "/admin/polls/{id:\\d+}/{action:open|close}", page.poll_state),
        ("POST", "/admin/polls/{id:\\d+}/edit", page.poll_edit),
    ]


class PlanPages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    # --- feedback ---------------------------------------------------------------------
    async def feedback_list(self, request: web.Request, op: Operator) -> web.Response:
        code = request.query.get("commitment") or None
        waiting = request.query.get("waiting") == "1"
        async with self.svoi.db.transaction() as session:
            commitments = await PlanRepo(session).commitments()
            if code not in {c.code for c in commitments}:
                code = None
            items = await plan.inbox(session, code, waiting)
        return self.console.render(
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
        return self.console.render(
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
                request, op, feedback_id, status=400, error=self.console.error(op, refused)
            )
        raise self.console.redirect(f"/admin/feedback/{feedback_id}", "answered")

    async def feedback_reviewed(self, request: web.Request, op: Operator) -> web.Response:
        feedback_id = int(request.match_info["id"])
        try:
            async with self.svoi.db.transaction() as session:
                await plan.mark_reviewed(session, feedback_id, actor=op.actor, now=clock.now())
        except Refused:
            raise web.HTTPNotFound() from None
        raise self.console.redirect(f"/admin/feedback/{feedback_id}", "reviewed")

    # --- commitments ------------------------------------------------------------------
    async def commitments(self, request: web.Request, op: Operator) -> web.Response:
        async with self.svoi.db.transaction() as session:
            repo = PlanRepo(session)
            rows = []
            stats = {s.commitment.id: s for s in await repo.rating_stats()}
            for commitment in await repo.commitments():
                followers = len(await repo.followers(commitment.id))
                rows.append((commitment, followers, stats.get(commitment.id)))
        return self.console.render(
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
        return self.console.render(
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
                request, op, code, status=400, error=self.console.error(op, refused), form=form
            )
        raise self.console.redirect(f"/admin/commitments/{code}", "published")

    # --- polls ------------------------------------------------------------------------
    async def polls(
        self, request: web.Request, op: Operator, *, status: int = 200, error: str | None = None,
        form: Any = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            polls = await PlanRepo(session).polls(include_drafts=True)
        return self.console.render(
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
            closes_on = form_date(closes)
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
                request, op, status=400, error=self.console.error(op, refused), form=form
            )
        raise self.console.redirect(f"/admin/polls/{poll_id}", "poll-created")

    async def poll(
        self, request: web.Request, op: Operator, *, status: int = 200, error: str | None = None,
        form: Any = None,
    ) -> web.Response:  # fmt: skip
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
        total = sum(r.votes for r in results)
        closes = poll.closes_at.astimezone(self.svoi.settings.zone) if poll.closes_at else None
        return self.console.render(
            request,
            "admin/poll.html",
            operator=op,
            status=status,
            error=error,
            poll=poll,
            chart=chart,
            total=total,
            can_open=not poll.accepts_votes(now),
            can_close=poll.state == POLL_OPEN,
            options_locked=poll.state != POLL_DRAFT or total > 0,
            form=form
            or {
                "question": localized(poll.question, "uk"),
                "options": "\n".join(localized(r.option.text, "uk") for r in results),
                # the last day: a poll closes at the start of the day after it
                "closes": (closes.date() - timedelta(days=1)).isoformat() if closes else "",
            },
            localized=localized,
        )

    async def poll_edit(self, request: web.Request, op: Operator) -> web.Response:
        poll_id = int(request.match_info["id"])
        form = await request.post()
        closes = str(form.get("closes", "")).strip()
        try:
            closes_on = form_date(closes)
            if closes and closes_on is None:
                raise Refused("web-admin-error-date")
            async with self.svoi.db.transaction() as session:
                await plan.edit_poll(
                    session,
                    poll_id,
                    str(form.get("question", "")),
                    str(form.get("options", "")),
                    closes_on,
                    actor=op.actor,
                    now=clock.now(),
                    zone=self.svoi.settings.zone,
                )
        except Refused as refused:
            if refused.key == "web-admin-error-not-found":
                raise web.HTTPNotFound() from None
            return await self.poll(
                request, op, status=400, error=self.console.error(op, refused), form=form
            )
        raise self.console.redirect(f"/admin/polls/{poll_id}", "poll-edited")

    async def poll_state(self, request: web.Request, op: Operator) -> web.Response:
        poll_id = int(request.match_info["id"])
        action = request.match_info["action"]
        try:
            async with self.svoi.db.transaction() as session:
                await plan.set_poll_state(session, poll_id, action, actor=op.actor, now=clock.now())
        except Refused:
            raise web.HTTPNotFound() from None
        raise self.console.redirect(f"/admin/polls/{poll_id}", f"poll-{action}ed")
