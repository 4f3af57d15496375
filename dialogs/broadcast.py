"""Operator broadcasts in the chat (operators only; the command is `/broadcast`).

Steps:
  broadcast.start → new | recent
  new: compose (type the text) → link (`Label | https://…` or skip) → audience (everyone,
       by language, followers of a commitment, subscribers of a waste zone — the last two
       only when those features are installed) → [language | value] → summary: how many
       residents, per channel, a Viber cost estimate, the urgent switch, and a preview
       exactly as residents will see it → send now | schedule (type a date and time,
       Kyiv time) → queued: the broadcast's number with progress and cancel buttons
  recent: the last broadcasts → one broadcast: progress, cancel

Progress and cancel are also global actions (`g:bc:p:<id>`, `g:bc:x:<id>`) so they work
from the queued message and from the author's delivery report at any later time. Every
handler checks `turn.is_operator` again when it runs and audits what it did.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core import dialog
from bot.core.dialog import MENU, Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button
from bot.delivery import broadcasts
from bot.delivery.broadcasts import Audience, AudienceUnavailable, Draft, DraftError
from bot.delivery.content import compose
from storage.models.delivery import CANCELLED, DONE, SCHEDULED, DeliveryBroadcast

FLOW = "broadcast"
TEXT_LIMIT = broadcasts.TEXT_LIMIT
LABEL_LIMIT = broadcasts.LABEL_LIMIT
WHEN = re.compile(r"^\s*(?:(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s+)?(\d{1,2}):(\d{2})\s*$")
MAX_AHEAD = timedelta(days=60)
CHOICES_SHOWN = 24


async def refuse(turn: Turn, what: str) -> None:
    await dialog.refuse(turn, "broadcast", what)


operator_only = dialog.operator_only("broadcast", FLOW)


def deliverable_channels(turn: Turn) -> list[str]:
    return sorted(c for c in turn.engine.capabilities if c not in broadcasts.NOT_DELIVERABLE)


def draft_from(turn: Turn) -> Draft:
    return Draft(
        text=str(turn.get("text", "")),
        audience=Audience(str(turn.get("audience", broadcasts.EVERYONE)), turn.get("value")),
        link_label=turn.get("link_label"),
        link_url=turn.get("link_url"),
        urgent=bool(turn.get("urgent", False)),
    )


def audience_name(turn: Turn, audience: Audience) -> str:
    return turn.t(f"broadcast-audience-{audience.kind}", value=audience.value or "")


def status_line(turn: Turn, broadcast: DeliveryBroadcast) -> str:
    when = turn.t.datetime(broadcast.scheduled_at)
    return turn.t(
        "broadcast-line",
        id=broadcast.id,
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
        turn.set(text=None, link_label=None, link_url=None, audience=None, value=None)
        turn.set(urgent=False)
        await turn.goto("compose")
    elif payload == "recent":
        await turn.goto("recent")


# --- compose ---------------------------------------------------------------------------
@operator_only
async def render_compose(turn: Turn) -> None:
    turn.say(turn.t("broadcast-compose", limit=TEXT_LIMIT), [turn.nav_row()])


@operator_only
async def on_compose(turn: Turn, text: str) -> None:
    # The engine has already refused an empty text and the screen one over TEXT_LIMIT
    # (broadcasts.TEXT_LIMIT, the same limit as the console's and the CLI's).
    turn.set(text=text.strip())
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
        turn.set(link_label=None, link_url=None)
        await turn.goto("audience")


@operator_only
async def on_link_text(turn: Turn, text: str) -> None:
    try:
        label, url = broadcasts.parse_link(text)
    except DraftError:
        turn.say(turn.t("broadcast-link-invalid", limit=LABEL_LIMIT))
        await turn.goto("link")
        return
    turn.set(link_label=label, link_url=url)
    await turn.goto("audience")


# --- audience --------------------------------------------------------------------------
@operator_only
async def render_audience(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(turn.t(f"broadcast-audience-pick-{kind}"), f"aud:{kind}")]
        for kind in broadcasts.available_audiences()
    ]
    turn.say(turn.t("broadcast-audience"), [*rows, turn.nav_row()])


@operator_only
async def on_audience(turn: Turn, payload: str) -> None:
    kind = payload.removeprefix("aud:")
    if kind not in broadcasts.available_audiences():
        await turn.goto("audience")
        return
    turn.set(audience=kind, value=None)
    if kind == broadcasts.EVERYONE:
        await turn.goto("summary")
    elif kind == broadcasts.LANGUAGE:
        await turn.goto("language")
    else:
        await turn.goto("value")


@operator_only
async def render_language(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(turn.t(f"broadcast-language-{code}"), f"lang:{code}")]
        for code in turn.engine.i18n.locales
    ]
    turn.say(turn.t("broadcast-pick-language"), [*rows, turn.nav_row()])


@operator_only
async def on_language(turn: Turn, payload: str) -> None:
    code = payload.removeprefix("lang:")
    if code in turn.engine.i18n.locales:
        turn.set(value=code)
        await turn.goto("summary")


@operator_only
async def render_value(turn: Turn) -> None:
    kind = str(turn.get("audience", ""))
    options = await broadcasts.audience_choices(turn.session, kind, turn.locale)
    if not options:
        turn.say(turn.t("broadcast-no-choices"))
        await turn.goto("audience")
        return
    rows: list[list[AnyButton]] = [
        [Button(f"{code} · {label}"[:60], f"v:{code}")] for code, label in options[:CHOICES_SHOWN]
    ]
    turn.say(turn.t(f"broadcast-pick-{kind}"), [*rows, turn.nav_row()])


@operator_only
async def on_value(turn: Turn, payload: str) -> None:
    turn.set(value=payload.removeprefix("v:")[:64])
    await turn.goto("summary")


# --- summary, preview, send ------------------------------------------------------------
@operator_only
async def render_summary(turn: Turn) -> None:
    draft = draft_from(turn)
    if not draft.text:
        await turn.goto("compose")
        return
    try:
        counts = await broadcasts.count_by_channel(
            turn.session, draft.audience, deliverable_channels(turn)
        )
    except AudienceUnavailable:
        turn.say(turn.t("broadcast-no-choices"))
        await turn.goto("audience")
        return
    settings = turn.engine.settings
    per_channel = ", ".join(f"{channel}: {n}" for channel, n in sorted(counts.items()))
    turn.say(
        turn.t(
            "broadcast-summary",
            audience=audience_name(turn, draft.audience),
            count=sum(counts.values()),
            channels=per_channel or "—",
            urgent="yes" if draft.urgent else "no",
        )
    )
    if counts.get("viber"):
        turn.say(
            turn.t(
                "broadcast-viber-cost",
                count=counts["viber"],
                cost=f"{broadcasts.viber_cost(counts, settings.delivery_viber_price):.2f}",
                currency=settings.delivery_viber_currency,
            )
        )
    turn.say(turn.t("broadcast-preview"))
    preview = compose(
        turn.engine.i18n,
        turn.locale,
        text=draft.text,
        template_key=None,
        template_args={},
        buttons=draft.buttons(),
        category=broadcasts.CATEGORY,
    )
    turn.replies.append(preview)
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


@operator_only
async def on_summary(turn: Turn, payload: str) -> None:
    if payload == "urgent":
        turn.set(urgent=not bool(turn.get("urgent", False)))
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


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """`DD.MM.YYYY HH:MM`, `DD.MM HH:MM` or `HH:MM` (today, or tomorrow if past), city time."""
    match = WHEN.match(text)
    if match is None:
        return None
    day, month, year, hour, minute = match.groups()
    local_now = now.astimezone(zone)
    try:
        base = local_now.replace(
            year=int(year) if year else local_now.year,
            month=int(month) if month else local_now.month,
            day=int(day) if day else local_now.day,
            hour=int(hour),
            minute=int(minute),
            second=0,
            microsecond=0,
        )
    except ValueError:
        return None
    if day is None and base <= local_now:
        base += timedelta(days=1)  # wall-clock arithmetic: zoneinfo re-computes the offset
    return base


@operator_only
async def on_schedule(turn: Turn, text: str) -> None:
    when = parse_when(text, turn.now, turn.engine.settings.zone)
    if when is None:
        turn.say(turn.t("broadcast-schedule-invalid"))
        await turn.goto("schedule")
        return
    if when <= turn.now or when - turn.now > MAX_AHEAD:
        turn.say(turn.t("broadcast-schedule-range", days=MAX_AHEAD.days))
        await turn.goto("schedule")
        return
    await _create(turn, when)


async def _create(turn: Turn, when: datetime | None) -> None:
    draft = draft_from(turn)
    author = (turn.resident.channel, turn.resident.user_id)
    broadcast = await broadcasts.create(turn.session, draft, author=author, scheduled_at=when)
    if when is None:
        count = await broadcasts.start(turn.session, broadcast.id, deliverable_channels(turn))
        turn.say(turn.t("broadcast-queued", id=broadcast.id, count=count or 0))
    else:
        turn.say(turn.t("broadcast-scheduled", id=broadcast.id, when=turn.t.datetime(when)))
    turn.audit(
        "broadcast-send",
        str(broadcast.id),
        audience=draft.audience.kind,
        value=draft.audience.value,
        urgent=draft.urgent,
        scheduled=when.isoformat() if when else None,
    )
    turn.set(text=None, link_label=None, link_url=None, broadcast=broadcast.id)
    await turn.goto("detail")


# --- recent and one broadcast ------------------------------------------------------------
@operator_only
async def render_recent(turn: Turn) -> None:
    items = await broadcasts.recent(turn.session)
    if not items:
        turn.say(turn.t("broadcast-none"), [turn.nav_row()])
        return
    lines = [status_line(turn, b) for b in items]
    rows: list[list[AnyButton]] = [[Button(f"#{b.id}", f"show:{b.id}")] for b in items]
    turn.say("\n".join(lines), [*rows, turn.nav_row()])


@operator_only
async def on_recent(turn: Turn, payload: str) -> None:
    value = payload.removeprefix("show:")
    if value.isdigit():
        turn.set(broadcast=int(value))
        await turn.goto("detail")


async def describe(turn: Turn, broadcast_id: int) -> DeliveryBroadcast | None:
    """Say where a broadcast stands; None when it does not exist."""
    broadcast = await turn.session.get(DeliveryBroadcast, broadcast_id, populate_existing=True)
    if broadcast is None:
        turn.say(turn.t("broadcast-not-found", id=broadcast_id))
        return None
    progress = await broadcasts.progress(turn.session, broadcast_id)
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
        [Button(turn.t("broadcast-btn-progress"), f"g:bc:p:{broadcast.id}")]
    ]
    if broadcast.status not in (DONE, CANCELLED):
        rows.append([Button(turn.t("broadcast-btn-cancel"), f"g:bc:x:{broadcast.id}")])
    return rows


@operator_only
async def render_detail(turn: Turn) -> None:
    value = turn.get("broadcast")
    broadcast = await describe(turn, value) if isinstance(value, int) else None
    rows = _actions(turn, broadcast) if broadcast is not None else []
    turn.replies[-1].buttons = [*rows, turn.nav_row()] if turn.replies else []
    if not turn.replies:
        turn.say(turn.t("broadcast-none"), [turn.nav_row()])


async def broadcast_action(turn: Turn, arg: str) -> None:
    """`g:bc:p:<id>` progress, `g:bc:x:<id>` cancel — from any message, operators only."""
    if not turn.is_operator:
        await refuse(turn, f"bc:{arg[:16]}")
        return
    what, _, value = arg.partition(":")
    if what not in ("p", "x") or not value.isdigit() or len(value) > 12:
        turn.say(turn.t("broadcast-not-found", id=value[:12]))
        return
    broadcast_id = int(value)
    if what == "x":
        cancelled = await broadcasts.cancel(turn.session, broadcast_id)
        turn.audit("broadcast-cancel", value, outcome="done" if cancelled else "too-late")
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
        "compose": Screen(render_compose, on_text=on_compose, text_limit=TEXT_LIMIT, back="start"),
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
