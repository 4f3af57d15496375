"""Conversations with a person on the console, over dialogs/handoff/service.py: the queue
(open conversations, the waiting ones first; or every conversation), refreshing itself while
it is open → one conversation: its transcript, which shows the resident's new messages as
they come (static/handoff.js reads `/messages`; without scripts the page has a refresh link),
take it, reply, send a canned answer, close it. Replies reach the resident's channel through
the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.web.admin.operator import Operator, Route
from bot.core.actions import Refused
from dialogs.handoff import service as handoff
from storage import clock
from storage.models.handoff import FROM_RESIDENT, HANDOFF_CLOSED, HANDOFF_WAITING

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console

# How often the open queue reloads itself (seconds): a `<meta http-equiv="refresh">`, since
# the console's CSP forbids inline scripts. A conversation's page polls instead (a reload
# would lose the reply being typed).
REFRESH_SECONDS = 15
POLL_SECONDS = 5
LIST_LIMIT = 200
DONE = frozenset({"take", "reply", "canned", "close"})


def routes(console: Console) -> list[Route]:
    page = HandoffPages(console)
    return [
        ("GET", "/admin/handoff", page.queue),
        ("GET", "/admin/handoff/count", page.count),
        ("GET", "/admin/handoff/{id:\\d+}", page.conversation),
        ("GET", "/admin/handoff/{id:\\d+}/messages", page.messages),
        ("POST", "/admin/handoff/{id:\\d+}/take", page.take),
        ("POST", "/admin/handoff/{id:\\d+}/reply", page.reply),
        ("POST", "/admin/handoff/{id:\\d+}/canned", page.canned),
        ("POST", "/admin/handoff/{id:\\d+}/close", page.close),
    ]


class HandoffPages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    async def queue(self, request: web.Request, op: Operator) -> web.Response:
        show_all = request.query.get("show") == "all"
        async with self.svoi.db.transaction() as session:
            items = await handoff.queue(session, open_only=not show_all, limit=LIST_LIMIT)
            waiting = await handoff.waiting(session)
        return self.console.render(
            request,
            "admin/handoff.html",
            operator=op,
            items=items,
            show_all=show_all,
            handoff_waiting=waiting,
            refresh=REFRESH_SECONDS,
            WAITING=HANDOFF_WAITING,
        )

    async def count(self, request: web.Request, op: Operator) -> web.Response:
        """The number of waiting conversations, for anything that watches it live."""
        async with self.svoi.db.transaction() as session:
            waiting = await handoff.waiting(session)
        return web.json_response({"waiting": waiting}, headers={"Cache-Control": "no-store"})

    async def messages(self, request: web.Request, op: Operator) -> web.Response:
        """The conversation's messages after `?after=<message id>`, and its status."""
        conversation_id = int(request.match_info["id"])
        after_text = request.query.get("after", "0")
        after = int(after_text) if after_text.isdigit() and len(after_text) < 18 else 0
        async with self.svoi.db.transaction() as session:
            row = await handoff.conversation(session, conversation_id)
            if row is None:
                raise web.HTTPNotFound()
            found = await handoff.transcript(session, conversation_id, after=after)
        return web.json_response(
            {
                "status": row.status,
                "status_text": op.t("web-admin-handoff-status", status=row.status),
                "messages": [
                    {
                        "id": m.id,
                        "who": op.t(
                            "web-admin-handoff-from-resident"
                            if m.author == FROM_RESIDENT
                            else "web-admin-handoff-from-us"
                        ),
                        "resident": m.author == FROM_RESIDENT,
                        "text": m.text,
                    }
                    for m in found
                ],
            },
            headers={"Cache-Control": "no-store"},
        )

    async def _page(
        self, request: web.Request, op: Operator, conversation_id: int, *, status: int = 200,
        error: str | None = None, form: Any = None,
    ) -> web.Response:  # fmt: skip
        async with self.svoi.db.transaction() as session:
            row = await handoff.conversation(session, conversation_id)
            if row is None:
                raise web.HTTPNotFound()
            messages = await handoff.transcript(session, conversation_id)
            waiting = await handoff.waiting(session)
        done = request.query.get("done")
        return self.console.render(
            request,
            "admin/handoff_conversation.html",
            operator=op,
            status=status,
            error=error,
            conversation=row,
            messages=messages,
            last_id=messages[-1].id if messages else 0,
            is_open=row.status != HANDOFF_CLOSED,
            is_waiting=row.status == HANDOFF_WAITING,
            canned=[(a.code, a.title_in(op.locale)) for a in handoff.canned()],
            handoff_waiting=waiting,
            handoff_done=done if done in DONE else None,
            form=form or {},
            limit=handoff.REPLY_LIMIT,
            poll=POLL_SECONDS,
            FROM_RESIDENT=FROM_RESIDENT,
        )

    async def conversation(self, request: web.Request, op: Operator) -> web.Response:
        return await self._page(request, op, int(request.match_info["id"]))

    async def take(self, request: web.Request, op: Operator) -> web.Response:
        return await self._act(request, op, "take")

    async def reply(self, request: web.Request, op: Operator) -> web.Response:
        return await self._act(request, op, "reply")

    async def canned(self, request: web.Request, op: Operator) -> web.Response:
        return await self._act(request, op, "canned")

    async def close(self, request: web.Request, op: Operator) -> web.Response:
        return await self._act(request, op, "close")

    async def _act(self, request: web.Request, op: Operator, action: str) -> web.Response:
        conversation_id = int(request.match_info["id"])
        form = await request.post()
        now, actor = clock.now(), op.actor
        try:
            async with self.svoi.db.transaction() as session:
                if action == "take":
                    await handoff.take(session, conversation_id, actor=actor, now=now)
                elif action == "close":
                    await handoff.close(session, conversation_id, actor=actor, now=now)
                elif action == "reply":
                    text = str(form.get("reply", ""))
                    await handoff.reply(session, conversation_id, text, actor=actor, now=now)
                else:
                    code = str(form.get("code", ""))
                    await handoff.reply_canned(session, conversation_id, code, actor=actor, now=now)
        except Refused as refused:
            if refused.key == handoff.NOT_FOUND:
                raise web.HTTPNotFound() from None
            error = self.console.error(op, refused)
            return await self._page(
                request, op, conversation_id, status=400, error=error, form=form
            )
        raise web.HTTPSeeOther(f"/admin/handoff/{conversation_id}?done={action}")
