"""The working group's waste screens: move or cancel one collection day of a zone.

Steps (operators only; "🛠 Change the schedule" on the waste section's first screen):
    zone → type → date (a button, or a typed day) → action (move | cancel)
      → new (moving: a button, or a typed day) → reason → confirm

The flow is `operator_only`: the engine keeps everyone else out of it, on entry and on every
turn inside it, and each handler is guarded by `bot.core.dialog.operator_only` as well.
What the change does (its rules, the change notices, the audit entry) is
`service.change_collection`, the one implementation the console and the CLI call too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Literal

from bot.core import dates, dialog
from bot.core.actions import Refused
from bot.core.dialog import Flow, Screen, Turn
from bot.core.i18n import localized
from bot.core.messages import AnyButton, Button
from dialogs.waste import schedule
from dialogs.waste.payloads import OpsDate, OpsNewDate, OpsState, OpsType, OpsZone
from dialogs.waste.service import TypeNames, ZoneSchedules, change_collection
from storage.models.waste import WasteZone
from storage.repos.waste import WasteRepo

FLOW = "waste_ops"
WASTE_FLOW = "waste"  # the resident's waste section, where these screens are opened
BACK_TO_WASTE = "waste"
# The engine keeps non-operators out of the flow; each handler checks again when it runs
# (a role revoked mid-way, a handler reached some other way), as every operator flow does.
operator_only = dialog.operator_only("waste-exception", FLOW)
DAYS_OFFERED = 6  # the next collection days shown as buttons
DAYS_AHEAD = 62  # how far ahead they are looked for


def _repo(turn: Turn) -> WasteRepo:
    return WasteRepo(turn.session)


def _state(turn: Turn) -> OpsState:
    return turn.load(OpsState)


def _update(turn: Turn, **changes: Any) -> None:
    turn.keep(replace(_state(turn), **changes))


def _iso(text: str | None) -> date | None:
    """A day the state keeps as an ISO date, or None if it has none (or a stale one)."""
    try:
        return date.fromisoformat(text) if text is not None else None
    except ValueError:
        return None


async def _zone(turn: Turn, zone_id: int | None) -> WasteZone | None:
    return None if zone_id is None else await _repo(turn).zone(zone_id)


@operator_only
async def render_zone(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(localized(z.name, turn.locale), OpsZone(z.id).pack())]
        for z in await _repo(turn).zones()
    ]
    # Back leaves the operator screens for the waste section they were opened from.
    rows.append([Button(turn.t("btn-back"), BACK_TO_WASTE), *turn.nav_row(back=False)])
    turn.say(turn.t("waste-ops-zone"), rows)


@operator_only
async def on_zone(turn: Turn, payload: str) -> None:
    if payload == BACK_TO_WASTE:
        await turn.start(WASTE_FLOW)
    elif (picked := OpsZone.unpack(payload)) is not None:
        _update(turn, zone=picked.id)
        await turn.goto("type")


@operator_only
async def render_type(turn: Turn) -> None:
    names = await TypeNames.load(_repo(turn))
    zone_id = _state(turn).zone
    types: list[str] = []
    if zone_id is not None:
        types = (await ZoneSchedules.load(_repo(turn), zone_id)).types_of(zone_id)
    rows: list[list[AnyButton]] = [
        [Button(names.name(c, turn.locale), OpsType(c).pack())] for c in types
    ]
    rows.append(turn.nav_row())
    turn.say(turn.t("waste-ops-type"), rows)


@operator_only
async def on_type(turn: Turn, payload: str) -> None:
    if (picked := OpsType.unpack(payload)) is not None:
        _update(turn, waste_type=picked.code)
        await turn.goto("date")


async def _next_days(turn: Turn) -> list[date]:
    """The zone's next collection days of the chosen type, to pick from."""
    state = _state(turn)
    if state.zone is None:
        return []
    today = schedule.local_today(turn.now)
    schedules = await ZoneSchedules.load(_repo(turn), state.zone)
    specs = [s for s in schedules.rules.get(state.zone, []) if s.waste_type == state.waste_type]
    days: set[date] = set()
    for spec in specs:
        days.update(schedule.scheduled_days(spec, today, today + timedelta(days=DAYS_AHEAD)))
    return sorted(days)[:DAYS_OFFERED]


@operator_only
async def render_date(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(turn.t.date(d, "short"), OpsDate.of(d).pack())] for d in await _next_days(turn)
    ]
    rows.append(turn.nav_row())
    turn.say(turn.t("waste-ops-date"), rows)


async def _pick(
    turn: Turn, key: Literal["day", "moved_to"], value: date | None, next_screen: str
) -> None:
    if value is None:
        turn.say(turn.t("waste-ops-date-invalid"))
        await turn.goto(turn.screen_name or "date")
        return
    _update(turn, **{key: value.isoformat()})
    await turn.goto(next_screen)


@operator_only
async def on_date_button(turn: Turn, payload: str) -> None:
    picked = OpsDate.unpack(payload)
    if picked is not None and (day := picked.as_date()) is not None:
        await _pick(turn, "day", day, "action")


@operator_only
async def on_date_text(turn: Turn, text: str) -> None:
    await _pick(turn, "day", dates.parse_day(text, schedule.local_today(turn.now)), "action")


@operator_only
async def render_action(turn: Turn) -> None:
    day = _iso(_state(turn).day)
    if day is None:
        await turn.goto("date")
        return
    turn.say(
        turn.t("waste-ops-action", date=turn.t.date(day)),
        [
            [
                Button(turn.t("waste-btn-ops-move"), "move"),
                Button(turn.t("waste-btn-ops-cancel"), "cancel"),
            ],
            turn.nav_row(),
        ],
    )


@operator_only
async def on_action(turn: Turn, payload: str) -> None:
    if payload == "move":
        await turn.goto("new")
    elif payload == "cancel":
        _update(turn, moved_to=None)
        await turn.goto("reason")


@operator_only
async def render_new(turn: Turn) -> None:
    original = _iso(_state(turn).day)
    if original is None:
        await turn.goto("date")
        return
    choices = [original + timedelta(days=n) for n in (1, 2, 3)]
    rows: list[list[AnyButton]] = [
        [Button(turn.t.date(d, "short"), OpsNewDate.of(d).pack()) for d in choices],
        turn.nav_row(),
    ]
    turn.say(turn.t("waste-ops-new"), rows)


@operator_only
async def on_new_button(turn: Turn, payload: str) -> None:
    picked = OpsNewDate.unpack(payload)
    if picked is not None and (day := picked.as_date()) is not None:
        await _pick(turn, "moved_to", day, "reason")


@operator_only
async def on_new_text(turn: Turn, text: str) -> None:
    await _pick(turn, "moved_to", dates.parse_day(text, schedule.local_today(turn.now)), "reason")


@operator_only
async def render_reason(turn: Turn) -> None:
    turn.say(turn.t("waste-ops-reason"), [turn.nav_row()])


@operator_only
async def on_reason(turn: Turn, text: str) -> None:
    _update(turn, reason=text.strip())
    await turn.goto("confirm")


async def _checked(turn: Turn) -> tuple[WasteZone, date, date | None] | None:
    """The zone, day and new day of the change, or None after sending the operator back to
    the step that lost its value (a stale state is never read as a cancellation)."""
    state = _state(turn)
    zone = await _zone(turn, state.zone)
    if zone is None:
        await turn.goto("zone")
        return None
    original = _iso(state.day)
    if original is None:
        await turn.goto("date")
        return None
    moved_to = _iso(state.moved_to)
    if state.moved_to is not None and moved_to is None:
        await turn.goto("new")
        return None
    return zone, original, moved_to


@operator_only
async def render_confirm(turn: Turn) -> None:
    checked = await _checked(turn)
    if checked is None:
        return
    zone, original, moved_to = checked
    state = _state(turn)
    names = await TypeNames.load(_repo(turn))
    turn.say(
        turn.t(
            "waste-ops-summary",
            zone=localized(zone.name, turn.locale),
            type=names.name(str(state.waste_type), turn.locale),
            date=turn.t.date(original),
            new_date=turn.t.date(moved_to) if moved_to else "-",
            reason=state.reason,
        ),
        [[Button(turn.t("waste-btn-ops-confirm"), "confirm")], turn.nav_row()],
    )


@operator_only
async def on_confirm(turn: Turn, payload: str) -> None:
    if payload != "confirm" or (checked := await _checked(turn)) is None:
        return
    zone, original, moved_to = checked
    state = _state(turn)
    try:
        notices = await change_collection(
            turn.session,
            turn.engine.i18n,
            zone_code=zone.code,
            waste_type=str(state.waste_type),
            original=original,
            moved_to=moved_to,
            # Residents of both languages see the operator's words; English ones see them
            # as the English reason only when the operator wrote in English.
            reason_uk=state.reason,
            reason_en=state.reason if turn.locale == "en" else "",
            actor=turn.acting,
            now=turn.now,
        )
    except Refused as refused:
        if refused.key == "web-admin-error-schedule-day":
            turn.say(turn.t("waste-ops-not-a-day"))
            await turn.goto("date")
            return
        turn.say(turn.t(refused.key, **refused.args_))
        await turn.goto("zone")
        return
    turn.say(turn.t("waste-ops-done", count=notices))
    await turn.start(WASTE_FLOW)


WASTE_OPS_FLOW = Flow(
    FLOW,
    {
        "zone": Screen(render_zone, on_button=on_zone),
        "type": Screen(render_type, on_button=on_type, back="zone"),
        "date": Screen(
            render_date, on_button=on_date_button, on_text=on_date_text, back="type", text_limit=20
        ),
        "action": Screen(render_action, on_button=on_action, back="date"),
        "new": Screen(
            render_new, on_button=on_new_button, on_text=on_new_text, back="action", text_limit=20
        ),
        "reason": Screen(render_reason, on_text=on_reason, back="action", text_limit=300),
        "confirm": Screen(render_confirm, on_button=on_confirm, back="reason"),
    },
    start="zone",
    operator_only=True,
)
