"""Operator broadcasts in the chat (operators only; the command is `/broadcast`): the chat's
screens over `service.py`, which checks, counts, sends, cancels and audits.

Steps:
  broadcast.start → new | recent
  new: compose (type the text) → link (`Label | https://…` or skip) → audience (everyone,
       by language, followers of a commitment, subscribers of a waste zone — the last two
       only when those features are installed) → [language | value] → summary: how many
       residents, per channel, a Viber cost estimate, the urgent switch, and a preview
       exactly as residents will see it → send now | schedule (type a date and time,
       Kyiv time, one of `service.WHEN_FORMATS`) → queued: the broadcast's number with
       progress and cancel buttons
  recent: the last broadcasts → one broadcast: progress, cancel

Progress and cancel are also global actions (`g:bc:p:<id>`, `g:bc:x:<id>`) so they work
from the queued message and from the author's delivery report at any later time. Every
handler checks `turn.is_operator` again when it runs; the service audits what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from fluent.runtime.types import FluentDecimal

from bot.core import dialog
from bot.core.dialog import MENU, Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button, Reply
from bot.core.payloads import Payload
from bot.core.state import FlowState
from dialogs.broadcast import service
from dialogs.broadcast.service import Audience, Draft, Refused
from storage.models.delivery import CANCELLED, DONE, SCHEDULED, DeliveryBroadcast

FLOW = "broadcast"
CHOICES_SHOWN = 24


async def refuse(turn: Turn, what: str) -> None:
    await dialog.refuse(turn, "broadcast", what)


operator_only = dialog.operator_only("broadcast", FLOW)


def deliverable_channels(turn: Turn) -> list[str]:
    return service.deliverable(turn.engine.capabilities)


@dataclass
class DraftState(FlowState):
    """What the steps collect; each step has already checked its part."""

    text: str | None = None
    link_label: str | None = None
    link_url: str | None = None
    audience: str | None = None
    value: str | None = None
    urgent: bool = False
    broadcast: int | None = None  # the broadcast shown on the detail screen


@dataclass(frozen=True, slots=True)
class PickAudience(Payload, prefix="aud"):
    kind: str


@dataclass(frozen=True, slots=True)
class PickLanguage(Payload, prefix="lang"):
    code: str


@dataclass(frozen=True, slots=True)
class PickValue(Payload, prefix="v"):
    code: str


@dataclass(frozen=True, slots=True)
class ShowBroadcast(Payload, prefix="show"):
    id: int


@dataclass(frozen=True, slots=True)
class BroadcastAction(Payload, prefix="bc"):
    """`g:bc:p:<id>` progress, `g:bc:x:<id>` cancel (the global action's argument)."""

    what: str
    id: int


def draft_from(turn: Turn) -> Draft:
    """The draft the steps collected."""
    state = turn.load(DraftState)
    return Draft(
        text=state.text or "",
        audience=Audience(state.audience or service.EVERYONE, state.value),
        link_label=state.link_label,
        link_url=state.link_url,
        urgent=state.urgent,
    )


def _update(turn: Turn, **changes: Any) -> None:
    turn.keep(replace(turn.load(DraftState), **changes))


async def audience_name(turn: Turn, audience: Audience) -> str:
    """The audience in the operator's words: a language through the message's selector, a
    commitment or a waste zone by its name in the operator's language, never its code."""
    value = audience.value or ""
    if audience.kind not in (service.EVERYONE, service.LANGUAGE) and value:
        names = dict(await service.audience_choices(turn.session, audience.kind, turn.locale))
        value = names.get(value, value)
    return turn.t(f"broadcast-audience-{audience.kind}", value=value)


def per_channel(turn: Turn, counts: dict[str, int]) -> str:
    """«Telegram: 800, Viber: 450»: channels by their names."""
    return ", ".join(
        f"{turn.t('channel-name', channel=channel)}: {n}" for channel, n in sorted(counts.items())
    )


def money(amount: float | Decimal) -> FluentDecimal:
    """A sum for Fluent to format in the reader's locale: «0,85» in Ukrainian, «0.85» in
    English, always with kopiyky."""
    return FluentDecimal(Decimal(str(amount)), minimumFractionDigits=2, maximumFractionDigits=2)


def status_line(turn: Turn, broadcast: DeliveryBroadcast) -> str:
    when = turn.t.datetime(broadcast.scheduled_at)
    return turn.t(
        "broadcast-line",
        id=str(broadcast.id),  # a reference, not a quantity: «№ 1250», not «№ 1 250»
        status=turn.t(f"broadcast-status-{broadcast.status}"),
        when=when,
        recipients=broadcast.recipients,
    )


# --- start -----------------------------------------------------------------------------
@operator_only
async def render_start(turn: Turn) -> None:
    turn.say(
        turn.t("broadcast-title"),
        [
            [Button(turn.t("broadcast-btn-new"), "new")],
            [Button(turn.t("broadcast-btn-recent"), "recent")],
            [Button(turn.t("btn-menu"), MENU)],
        ],
    )


@operator_only
async def on_start(turn: Turn, payload: str) -> None:
    if payload == "new":
        turn.keep(DraftState())
        await turn.goto("compose")
    elif payload == "recent":
        await turn.goto("recent")


# --- compose ---------------------------------------------------------------------------
@operator_only
async def render_compose(turn: Turn) -> None:
    turn.say(turn.t("broadcast-compose", limit=service.TEXT_LIMIT), [turn.nav_row()])


@operator_only
async def on_compose(turn: Turn, text: str) -> None:
    # The engine has already refused an empty text and the screen one over
    # service.TEXT_LIMIT, the limit the console and the CLI get from the service too.
    _update(turn, text=text.strip())
    await turn.goto("link")


@operator_only
async def render_link(turn: Turn) -> None:
    turn.say(
        turn.t("broadcast-link"),
        [[Button(turn.t("broadcast-btn-no-link"), "skip")], turn.nav_row()],
    )


@operator_only
async def on_link_button(turn: Turn, payload: str) -> None:
    if payload == "skip":
        _update(turn, link_label=None, link_url=None)
        await turn.goto("audience")


@operator_only
async def on_link_text(turn: Turn, text: str) -> None:
    try:
        label, url = service.read_link(text)
    except Refused as refused:
        turn.say(turn.t("broadcast-link-invalid", **refused.args_))
        await turn.goto("link")
        return
    _update(turn, link_label=label, link_url=url)
    await turn.goto("audience")


# --- audience --------------------------------------------------------------------------
@operator_only
async def render_audience(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(turn.t(f"broadcast-audience-pick-{kind}"), PickAudience(kind).pack())]
        for kind in service.available_audiences()
    ]
    turn.say(turn.t("broadcast-audience"), [*rows, turn.nav_row()])


@operator_only
async def on_audience(turn: Turn, payload: str) -> None:
    picked = PickAudience.unpack(payload)
    if picked is None or picked.kind not in service.available_audiences():
        await turn.goto("audience")
        return
    kind = picked.kind
    _update(turn, audience=kind, value=None)
    if kind == service.EVERYONE:
        await turn.goto("summary")
    elif kind == service.LANGUAGE:
        await turn.goto("language")
    else:
        await turn.goto("value")


@operator_only
async def render_language(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(turn.t(f"broadcast-language-{code}"), PickLanguage(code).pack())]
        for code in turn.engine.i18n.locales
    ]
    turn.say(turn.t("broadcast-pick-language"), [*rows, turn.nav_row()])


@operator_only
async def on_language(turn: Turn, payload: str) -> None:
    picked = PickLanguage.unpack(payload)
    if picked is not None and picked.code in turn.engine.i18n.locales:
        _update(turn, value=picked.code)
        await turn.goto("summary")


@operator_only
async def render_value(turn: Turn) -> None:
    kind = turn.load(DraftState).audience or ""
    options = await service.audience_choices(turn.session, kind, turn.locale)
    if not options:
        turn.say(turn.t("broadcast-no-choices"))
        await turn.goto("audience")
        return
    rows: list[list[AnyButton]] = [
        [Button(label, PickValue(code).pack())] for code, label in options[:CHOICES_SHOWN]
    ]
    turn.say(turn.t(f"broadcast-pick-{kind}"), [*rows, turn.nav_row()])


@operator_only
async def on_value(turn: Turn, payload: str) -> None:
    picked = PickValue.unpack(payload)
    if picked is None:
        await turn.goto("value")
        return
    _update(turn, value=picked.code)
    await turn.goto("summary")


# --- summary, preview, send ------------------------------------------------------------
@operator_only
async def render_summary(turn: Turn) -> None:
    draft = draft_from(turn)
    if not draft.text:
        await turn.goto("compose")
        return
    settings = turn.engine.settings
    try:
        estimate = await service.estimate(
            turn.session,
            draft.audience,
            deliverable_channels(turn),
            settings.delivery_viber_price,
            settings.delivery_viber_currency,
        )
    except Refused:
        turn.say(turn.t("broadcast-no-choices"))
        await turn.goto("audience")
        return
    counts = estimate.counts
    turn.say(
        turn.t(
            "broadcast-summary",
            audience=await audience_name(turn, draft.audience),
            count=estimate.total,
            channels=per_channel(turn, counts) or "—",
            urgent="yes" if draft.urgent else "no",
        )
    )
    if counts.get("viber"):
        turn.say(
            turn.t(
                "broadcast-viber-cost",
                count=counts["viber"],
                cost=money(estimate.viber_cost),
                currency=estimate.currency,
            )
        )
    turn.say(turn.t("broadcast-preview"))
    turn.replies.append(inert(service.message(turn.engine.i18n, turn.locale, draft)))
    turn.say(
        turn.t("broadcast-confirm"),
        [
            [Button(turn.t("broadcast-btn-send"), "send")],
            [Button(turn.t("broadcast-btn-schedule"), "schedule")],
            [
                Button(
                    turn.t("broadcast-btn-urgent-off" if draft.urgent else "broadcast-btn-urgent"),
                    "urgent",
                )
            ],
            [Button(turn.t("broadcast-btn-edit"), "edit"), Button(turn.t("btn-menu"), MENU)],
        ],
    )


PREVIEW = "bc-preview"


def inert(reply: Reply) -> Reply:
    """The preview as residents will see it, but its buttons only say they are a preview:
    pressing "mute" there must not mute the operator, nor any button leave the draft."""
    rows = [
        [Button(b.label, PREVIEW) if isinstance(b, Button) else b for b in row]
        for row in reply.buttons
    ]
    return replace(reply, buttons=rows)


@operator_only
async def on_summary(turn: Turn, payload: str) -> None:
    if payload == PREVIEW:
        turn.say(turn.t("broadcast-preview-inert"))
        await turn.goto("summary")
    elif payload == "urgent":
        _update(turn, urgent=not turn.load(DraftState).urgent)
        await turn.goto("summary")
    elif payload == "edit":
        await turn.goto("compose")
    elif payload == "schedule":
        await turn.goto("schedule")
    elif payload == "send":
        await _create(turn, None)


@operator_only
async def render_schedule(turn: Turn) -> None:
    example = turn.now.astimezone(turn.engine.settings.zone) + timedelta(days=1)
    turn.say(
        turn.t("broadcast-schedule", example=example.strftime("%d.%m.%Y 10:00")),
        [turn.nav_row()],
    )


SCHEDULE_ERRORS = {
    "when-invalid": "broadcast-schedule-invalid",
    "when-range": "broadcast-schedule-range",
}


@operator_only
async def on_schedule(turn: Turn, text: str) -> None:
    try:
        when = service.scheduled(text, turn.now, turn.engine.settings.zone)
    except Refused as refused:
        turn.say(turn.t(SCHEDULE_ERRORS[refused.code], **refused.args_))
        await turn.goto("schedule")
        return
    await _create(turn, when)


async def _create(turn: Turn, when: datetime | None) -> None:
    try:
        sent = await service.send(
            turn.session,
            draft_from(turn),
            actor=turn.acting,
            channels=deliverable_channels(turn),
            when=when,
            now=turn.now,
        )
    except Refused as refused:  # the audience went away since the summary; the time passed
        if refused.code in SCHEDULE_ERRORS:
            turn.say(turn.t(SCHEDULE_ERRORS[refused.code], **refused.args_))
            await turn.goto("schedule")
        else:
            turn.say(turn.t("broadcast-no-choices"))
            await turn.goto("audience")
        return
    broadcast = sent.broadcast
    if when is None:
        turn.say(turn.t("broadcast-queued", id=str(broadcast.id), count=sent.queued or 0))
    else:
        turn.say(turn.t("broadcast-scheduled", id=str(broadcast.id), when=turn.t.datetime(when)))
    _update(turn, text=None, link_label=None, link_url=None, broadcast=broadcast.id)
    await turn.goto("detail")


# --- recent and one broadcast ------------------------------------------------------------
@operator_only
async def render_recent(turn: Turn) -> None:
    items = [r.broadcast for r in await service.recent(turn.session)]
    if not items:
        turn.say(turn.t("broadcast-none"), [turn.nav_row()])
        return
    lines = [status_line(turn, b) for b in items]
    rows: list[list[AnyButton]] = [
        [Button(f"№\u00a0{b.id}", ShowBroadcast(b.id).pack())] for b in items
    ]
    turn.say("\n".join(lines), [*rows, turn.nav_row()])


@operator_only
async def on_recent(turn: Turn, payload: str) -> None:
    if (shown := ShowBroadcast.unpack(payload)) is not None:
        _update(turn, broadcast=shown.id)
        await turn.goto("detail")


async def describe(turn: Turn, broadcast_id: int) -> DeliveryBroadcast | None:
    """Say where a broadcast stands; None when it does not exist."""
    found = await service.report(turn.session, broadcast_id)
    if found is None:
        turn.say(turn.t("broadcast-not-found", id=str(broadcast_id)))
        return None
    broadcast, progress = found.broadcast, found.progress
    turn.say(status_line(turn, broadcast))
    if broadcast.status != SCHEDULED:
        turn.say(
            turn.t(
                "broadcast-progress",
                total=progress.total,
                sent=progress.sent,
                blocked=progress.blocked,
                failed=progress.failed,
                waiting=progress.waiting,
                skipped=progress.other_skipped,
            )
        )
    return broadcast


def _actions(turn: Turn, broadcast: DeliveryBroadcast) -> list[list[AnyButton]]:
    rows: list[list[AnyButton]] = [
        [Button(turn.t("broadcast-btn-progress"), "g:" + BroadcastAction("p", broadcast.id).pack())]
    ]
    if broadcast.status not in (DONE, CANCELLED):
        cancel = "g:" + BroadcastAction("x", broadcast.id).pack()
        rows.append([Button(turn.t("broadcast-btn-cancel"), cancel)])
    return rows


@operator_only
async def render_detail(turn: Turn) -> None:
    value = turn.load(DraftState).broadcast
    broadcast = await describe(turn, value) if value is not None else None
    rows = _actions(turn, broadcast) if broadcast is not None else []
    turn.replies[-1].buttons = [*rows, turn.nav_row()] if turn.replies else []
    if not turn.replies:
        turn.say(turn.t("broadcast-none"), [turn.nav_row()])


async def broadcast_action(turn: Turn, arg: str) -> None:
    """`g:bc:p:<id>` progress, `g:bc:x:<id>` cancel — from any message, operators only."""
    if not turn.is_operator:
        await refuse(turn, f"bc:{arg[:16]}")
        return
    action = BroadcastAction.unpack(f"bc:{arg}")
    if action is None or action.what not in ("p", "x"):
        turn.say(turn.t("broadcast-not-found", id=arg.rpartition(":")[2][:12]))
        return
    broadcast_id = action.id
    if action.what == "x":
        cancelled = await service.cancel(turn.session, broadcast_id, actor=turn.acting)
        turn.say(turn.t("broadcast-cancelled" if cancelled else "broadcast-cancel-late"))
    broadcast = await describe(turn, broadcast_id)
    if broadcast is not None:
        turn.replies[-1].buttons = [*_actions(turn, broadcast), [Button(turn.t("btn-menu"), MENU)]]


async def broadcast_command(turn: Turn, _args: str) -> None:
    if not turn.is_operator:
        await refuse(turn, "command")
        return
    await turn.start(FLOW)


FLOW_DEF = Flow(
    FLOW,
    {
        "start": Screen(render_start, on_button=on_start),
        "compose": Screen(
            render_compose, on_text=on_compose, text_limit=service.TEXT_LIMIT, back="start"
        ),
        "link": Screen(render_link, on_button=on_link_button, on_text=on_link_text, back="compose"),
        "audience": Screen(render_audience, on_button=on_audience, back="link"),
        "language": Screen(render_language, on_button=on_language, back="audience"),
        "value": Screen(render_value, on_button=on_value, back="audience"),
        "summary": Screen(render_summary, on_button=on_summary, back="audience"),
        "schedule": Screen(render_schedule, on_text=on_schedule, back="summary"),
        "recent": Screen(render_recent, on_button=on_recent, back="start"),
        "detail": Screen(render_detail, back="recent"),
    },
    operator_only=True,
)


def register(registry: Registry) -> None:
    registry.add_flow(FLOW_DEF)
    registry.add_interrupt("broadcast", broadcast_command)
    registry.add_global_action("bc", broadcast_action)
