"""`/admin/broadcasts` over dialogs/broadcast/service.py: compose with a live audience
count, preview per channel, Viber cost, send now or schedule → progress, cancel."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiohttp import web
from fluent.runtime.types import FluentDecimal

from bot.channels.web.admin.operator import Operator, Route
from dialogs.broadcast import service as broadcasting
from storage import clock
from storage.models.delivery import CANCELLED, DONE, SCHEDULED, SENDING

if TYPE_CHECKING:
    from bot.channels.web.admin.shell import Console


def routes(console: Console) -> list[Route]:
    page = BroadcastPages(console)
    return [
        ("GET", "/admin/broadcasts", page.broadcasts),
        ("POST", "/admin/broadcasts", page.broadcast_compose),
        ("GET", "/admin/broadcasts/audience", page.broadcast_audience),
        ("GET", "/admin/broadcasts/{id:\\d+}", page.broadcast),
        ("GET", "/admin/broadcasts/{id:\\d+}/progress", page.broadcast_progress),
        ("POST", "/admin/broadcasts/{id:\\d+}/cancel", page.broadcast_cancel),
    ]


Names = dict[str, dict[str, str]]  # audience kind → value code → its name


def money(amount: float | Decimal) -> FluentDecimal:
    """A sum for Fluent to format in the operator's locale («0,85 грн», «0.85»)."""
    return FluentDecimal(Decimal(str(amount)), minimumFractionDigits=2, maximumFractionDigits=2)


def channel_counts(op: Operator, counts: dict[str, int]) -> str:
    """«Telegram: 800, Viber: 450»: channels by their names, not their codes."""
    named = (f"{op.t('channel-name', channel=c)}: {n}" for c, n in sorted(counts.items()))
    return ", ".join(named) or "—"


def audience_text(op: Operator, names: Names, kind: str, value: str | None) -> str:
    """An audience as the operator reads it: its kind, and a language, commitment or zone by
    its name (the code only if that value is gone from the content)."""
    shown = op.t("web-admin-audience-kind", kind=kind)
    if not value:
        return shown
    if kind == broadcasting.LANGUAGE:
        return f"{shown}: {op.t('web-admin-language', code=value)}"
    return f"{shown}: {names.get(kind, {}).get(value, value)}"


def estimate_texts(op: Operator, estimate: broadcasting.Estimate) -> dict[str, str]:
    """The live count and the Viber cost under the compose form."""
    viber = estimate.counts.get("viber", 0)
    return {
        "text": op.t(
            "web-admin-audience-count",
            count=estimate.total,
            channels=channel_counts(op, estimate.counts),
        ),
        "cost_text": op.t(
            "web-admin-viber-cost",
            count=viber,
            cost=money(estimate.viber_cost),
            currency=estimate.currency,
        )
        if viber
        else "",
    }


class BroadcastPages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.svoi = console.svoi

    def _broadcast_refusal(self, op: Operator, refused: broadcasting.Refused) -> str:
        key = {
            "audience-unavailable": "web-admin-error-audience",
            "when-invalid": "web-admin-error-date",
            "when-range": "web-admin-error-schedule",
        }.get(refused.code, f"web-admin-error-{refused.code}")
        return op.t(key, **refused.args_)

    def _channels(self) -> list[str]:
        return broadcasting.deliverable(self.svoi.capabilities)

    async def _names(self, session: Any, op: Operator) -> Names:
        return {
            kind: dict(await broadcasting.audience_choices(session, kind, op.locale))
            for kind in (broadcasting.FOLLOWERS, broadcasting.ZONE)
        }

    async def _broadcasts_page(
        self, request: web.Request, op: Operator, *, status: int = 200, **context: Any
    ) -> web.Response:
        async with self.svoi.db.transaction() as session:
            recent = await broadcasting.recent(session, 20)
            choices = {
                kind: await broadcasting.audience_choices(session, kind, op.locale)
                for kind in (broadcasting.FOLLOWERS, broadcasting.ZONE)
            }
        names = {kind: dict(pairs) for kind, pairs in choices.items()}
        context.setdefault("form", {})
        context.setdefault("preview", None)
        estimate = context.setdefault("estimate", None)
        return self.console.render(
            request,
            "admin/broadcasts.html",
            operator=op,
            status=status,
            recent=[r.broadcast for r in recent],
            audience_of={
                r.broadcast.id: audience_text(
                    op, names, r.broadcast.audience, r.broadcast.audience_value
                )
                for r in recent
            },
            estimate_text=estimate_texts(op, estimate) if estimate is not None else None,
            channel_names={c: op.t("channel-name", channel=c) for c in self._channels()},
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
                caps = {c: self.svoi.capabilities[c] for c in channels}
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
        raise self.console.redirect(f"/admin/broadcasts/{broadcast_id}", notice)

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
                **estimate_texts(op, estimate),
            },
            headers={"Cache-Control": "no-store"},
        )

    async def _broadcast_state(
        self, broadcast_id: int, op: Operator
    ) -> tuple[broadcasting.Report, str]:
        """Where a broadcast stands, and its audience in the operator's words."""
        async with self.svoi.db.transaction() as session:
            found = await broadcasting.report(session, broadcast_id)
            if found is None:
                raise web.HTTPNotFound()
            names = await self._names(session, op)
        broadcast = found.broadcast
        return found, audience_text(op, names, broadcast.audience, broadcast.audience_value)

    async def broadcast(self, request: web.Request, op: Operator) -> web.Response:
        found, audience = await self._broadcast_state(int(request.match_info["id"]), op)
        return self.console.render(
            request,
            "admin/broadcast.html",
            operator=op,
            broadcast=found.broadcast,
            audience=audience,
            progress=found.progress,
            running=found.broadcast.status in (SCHEDULED, SENDING),
        )

    async def broadcast_progress(self, request: web.Request, op: Operator) -> web.Response:
        found, _ = await self._broadcast_state(int(request.match_info["id"]), op)
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
            found, audience = await self._broadcast_state(broadcast_id, op)
            return self.console.render(
                request,
                "admin/broadcast.html",
                operator=op,
                status=409,
                error=self._broadcast_refusal(op, refused),
                broadcast=found.broadcast,
                audience=audience,
                progress=found.progress,
                running=False,
            )
        raise self.console.redirect(f"/admin/broadcasts/{broadcast_id}", "broadcast-cancelled")
