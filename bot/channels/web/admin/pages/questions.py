"""Residents' questions on the console, over dialogs/questions/service.py: the list (the
waiting ones first, oldest first; or every question, newest first), refreshing itself while
it is open → one question: read it, answer it, or say it is not the council's and where to
turn (→ the resident's channel, once per question, whichever front end answers first)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.web.admin.operator import Operator, Route
from bot.core.actions import Refused
from dialogs.questions import service as questions
from storage import clock
from storage.models.services import QUESTION_NEW

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console

# How often the open list looks for new questions (seconds): a `<meta http-equiv="refresh">`,
# since the console's CSP forbids inline scripts.
REFRESH_SECONDS = 30
LIST_LIMIT = 200
# The service's "already answered" refusal.
ALREADY_ANSWERED = "web-admin-error-already-answered"


def routes(console: Console) -> list[Route]:
    page = QuestionPages(console)
    return [
        ("GET", "/admin/questions", page.question_list),
        ("GET", "/admin/questions/count", page.count),
        ("GET", "/admin/questions/{id:\\d+}", page.question),
        ("POST", "/admin/questions/{id:\\d+}/answer", page.answer),
        ("POST", "/admin/questions/{id:\\d+}/redirect", page.redirect),
    ]


class QuestionPages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    async def question_list(self, request: web.Request, op: Operator) -> web.Response:
        show_all = request.query.get("show") == "all"
        async with self.svoi.db.transaction() as session:
            items = await questions.inbox(session, waiting_only=not show_all, limit=LIST_LIMIT)
            waiting = await questions.waiting(session)
        return self.console.render(
            request,
            "admin/questions.html",
            operator=op,
            items=items,
            show_all=show_all,
            questions_waiting=waiting,
            refresh=REFRESH_SECONDS,
            excerpt=questions.excerpt,
        )

    async def count(self, request: web.Request, op: Operator) -> web.Response:
        """The number of waiting questions, for anything that wants to watch it live."""
        async with self.svoi.db.transaction() as session:
            waiting = await questions.waiting(session)
        return web.json_response({"waiting": waiting}, headers={"Cache-Control": "no-store"})

    async def _page(
        self, request: web.Request, op: Operator, question_id: int, *, status: int = 200,
        error: str | None = None, form: Any = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            row = await questions.question(session, question_id)
            if row is None:
                raise web.HTTPNotFound()
            waiting = await questions.waiting(session)
        return self.console.render(
            request,
            "admin/question.html",
            operator=op,
            status=status,
            error=error,
            question=row,
            is_new=row.status == QUESTION_NEW,
            questions_waiting=waiting,
            form=form or {},
            limit=questions.ANSWER_LIMIT,
        )

    async def question(self, request: web.Request, op: Operator) -> web.Response:
        return await self._page(request, op, int(request.match_info["id"]))

    async def answer(self, request: web.Request, op: Operator) -> web.Response:
        return await self._settle(request, op, "answer")

    async def redirect(self, request: web.Request, op: Operator) -> web.Response:
        """ "Not ours": the resident is told where to turn instead."""
        return await self._settle(request, op, "redirect")

    async def _settle(self, request: web.Request, op: Operator, action: str) -> web.Response:
        question_id = int(request.match_info["id"])
        form = await request.post()
        text = str(form.get(action, ""))
        settle = questions.answer if action == "answer" else questions.redirect
        try:
            async with self.svoi.db.transaction() as session:
                await settle(session, question_id, text, actor=op.actor, now=clock.now())
        except Refused as refused:
            if refused.key == "web-admin-error-not-found":
                raise web.HTTPNotFound() from None
            if refused.key == ALREADY_ANSWERED:
                # Said of a question (the service's wording is shared with feedback).
                error = op.t("web-admin-question-already")
            else:
                error = self.console.error(op, refused)
            return await self._page(request, op, question_id, status=400, error=error, form=form)
        notice = "question-answered" if action == "answer" else "question-redirected"
        raise self.console.redirect(f"/admin/questions/{question_id}", notice)
