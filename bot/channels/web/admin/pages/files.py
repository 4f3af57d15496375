"""Residents' photos on the console: `/admin/files/<key>` serves one stored picture
(storage/models/attachments.py) to a console session — operators and admins, as every
console page (the shell checks the session and the role). Residents never reach it: their
chat has no session here, and the key is 32 random hex characters.

Each view is in the audit log (who looked at which resident's photo). The picture was
re-encoded without metadata when it was stored; it is sent as an attachment-free inline
image that browsers may not sniff, cache publicly or frame elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.web.admin.operator import Operator, Route
from storage.repos.access import AuditRepo
from storage.repos.attachments import AttachmentRepo

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console

IMAGE_HEADERS = {
    "Cache-Control": "private, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Disposition": "inline",
}


def routes(console: Console) -> list[Route]:
    page = FilePages(console)
    return [("GET", "/admin/files/{key:[0-9a-f]{32}}", page.file)]


class FilePages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    async def file(self, request: web.Request, op: Operator) -> web.Response:
        key = request.match_info["key"]
        async with self.svoi.db.transaction() as session:
            stored = await AttachmentRepo(session).get(key, with_data=True)
            AuditRepo(session).write(
                op.account,
                op.role,
                "file-view",
                key,
                "done" if stored is not None else "missing",
                via="web",
                **({"purpose": stored.purpose, "owner": stored.owner_id} if stored else {}),
            )
        if stored is None:
            raise web.HTTPNotFound()
        return web.Response(body=stored.data, content_type=stored.mime, headers=IMAGE_HEADERS)
