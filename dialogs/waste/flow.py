"""The waste section: find the schedule for an address, subscribe to reminders, manage
subscriptions, get a calendar file, find where to take other waste; operators move or
cancel a collection day.

Steps:
    start (type an address or share a location; my subscriptions; other waste)
      → pick_street (ambiguous street) | house (the street needs a house number)
      | pick_zone (a location between zones) → schedule (next collection per type)
      → types (choose types) → time (evening before at an hour, or the morning of)
      → sub (one subscription: change types/time, pause/resume, remove, calendar)
    subs (all subscriptions, add an address, calendar file) → sub → remove (confirm)
    dropoff (waste-management centres, the company, Ecobus stops; nearest by location)
    "ops" (operators) opens the working group's screens: dialogs/waste/operator.py
Reminder buttons call the global actions `wstop` (pause) and `wedit` (open the subscription).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Flow, Screen, Turn
from bot.core.i18n import localized
from bot.core.messages import AnyButton, Button, Document, Location, Request, RequestButton
from dialogs.waste import addresses, schedule
from dialogs.waste.calendar import MIME, build_calendar, calendar_url
from dialogs.waste.config import WasteSettings
from dialogs.waste.content import read_register
from dialogs.waste.payloads import (
    EditReminder,
    OpenSubscription,
    PickStreet,
    PickZone,
    RemindAt,
    StopReminder,
    ToggleType,
    WasteState,
    from_action_arg,
)
from dialogs.waste.service import (
    TypeNames,
    ZoneSchedules,
    when_key,
    window_part,
)
from storage.clock import city_zone
from storage.models.waste import WasteStreet, WasteSubscription, WasteZone
from storage.repos.waste import WasteRepo

FLOW = "waste"
MISSED_ACTION = "report-missed"  # a global action of dialogs/reports
EVENING_HOURS = (18, 19, 20, 21)
MORNING_HOURS = (6, 7)
MAX_SUBSCRIPTIONS = 5
NEAR_KM = 0.3
CITY_KM = 15.0
OPS_FLOW = "waste_ops"  # dialogs/waste/operator.py


def _repo(turn: Turn) -> WasteRepo:
    return WasteRepo(turn.session)


def _today(turn: Turn) -> date:
    return schedule.local_today(turn.now)


def _state(turn: Turn) -> WasteState:
    return turn.load(WasteState)


def _update(turn: Turn, **changes: Any) -> None:
    turn.keep(replace(_state(turn), **changes))


async def _zone_types(turn: Turn, zone_id: int | None) -> list[str]:
    """The waste types a zone's schedule collects (none without a zone)."""
    if zone_id is None:
        return []
    return (await ZoneSchedules.load(_repo(turn), zone_id)).types_of(zone_id)


def remind_text(turn: Turn, offset: int, hour: int) -> str:
    key = "waste-remind-evening" if offset < 0 else "waste-remind-morning"
    return turn.t(key, hour=f"{hour:02d}:00")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


# The street index (zone streets from the database and the register from
# content/streets.yaml) is built once per version of both, not per message: the key is a
# fingerprint of the waste_streets rows (an import replaces a zone's rows, which changes their
# count, ids or names, in whatever process it ran) and the register file's version.
_INDEXES: dict[tuple[Any, ...], tuple[object, addresses.StreetIndex]] = {}


async def _streets_stamp(session: AsyncSession) -> tuple[Any, ...]:
    row = (
        await session.execute(
            select(
                func.count(WasteStreet.id),
                func.max(WasteStreet.id),
                func.sum(WasteStreet.id),
                func.sum(WasteStreet.zone_id),
                func.sum(func.length(cast(WasteStreet.name, String))),
                func.sum(func.coalesce(WasteStreet.house_from, 0)),
                func.sum(func.coalesce(WasteStreet.house_to, 0)),
            )
        )
    ).one()
    return tuple(row)


async def _streets(turn: Turn) -> addresses.StreetIndex:
    return await street_index(turn.session)


async def street_index(session: AsyncSession) -> addresses.StreetIndex:
    """The matching index of the zone streets and the register, as they are now."""
    register = read_register()
    key = (await _streets_stamp(session), id(register))
    cached = _INDEXES.get(key)
    if cached is None:
        segments = [
            addresses.StreetSegment(
                s.id,
                s.zone_id,
                s.kind,
                localized(s.name, "uk"),
                str(s.name.get("en", "")),
                tuple(s.aliases),
                s.house_from,
                s.house_to,
                s.side,
                s.is_example,
            )
            for s in await WasteRepo(session).streets()
        ]
        index = addresses.build_streets(segments, register)
        if len(_INDEXES) >= 8:  # several test databases or a few rolling imports, no more
            _INDEXES.pop(next(iter(_INDEXES)))
        cached = (register, index)  # the register stays alive, so its id stays unique
        _INDEXES[key] = cached
    return cached[1]


# --- start: an address or a location -----------------------------------------------------
async def render_start(turn: Turn) -> None:
    subs = await _repo(turn).subscriptions_of(turn.resident.id)
    rows: list[list[AnyButton]] = []
    if subs:
        rows.append([Button(turn.t("waste-btn-subscriptions", count=len(subs)), "subs")])
    rows.append([Button(turn.t("waste-btn-dropoff"), "dropoff")])
    if turn.is_operator:
        rows.append([Button(turn.t("waste-btn-operator"), "ops")])
    rows.append(turn.nav_row(back=False))
    turn.say(
        turn.t("waste-start"),
        rows,
        requests=[RequestButton(turn.t("waste-btn-location"), Request.LOCATION)],
    )


async def on_start_button(turn: Turn, payload: str) -> None:
    if payload == "ops":
        await turn.start(OPS_FLOW)  # operators only: the engine refuses everyone else
    elif payload in ("subs", "dropoff"):
        await turn.goto(payload)


async def on_address(turn: Turn, text: str) -> None:
    result = addresses.match(text, await _streets(turn))
    house = str(result.house) if result.house is not None else None
    if result.outcome is addresses.Outcome.AMBIGUOUS:
        _update(turn, candidates=[s.ref for s in result.candidates], house=house)
        await turn.goto("pick_street")
    else:
        await _resolved(turn, result)


async def _resolved(turn: Turn, result: addresses.AddressMatch) -> None:
    street = result.street
    if result.old is not None and street is not None:
        turn.say(
            turn.t(
                "waste-street-renamed",
                old=result.old.label(turn.locale),
                street=addresses.street_label(street, None, turn.locale),
            )
        )
    if result.outcome is addresses.Outcome.FOUND and result.zone_id is not None:
        example = result.segment is not None and result.segment.is_example
        _update(
            turn, zone_id=result.zone_id, address=result.label(turn.locale), zone_example=example
        )
        await turn.goto("schedule")
    elif result.outcome is addresses.Outcome.NEED_HOUSE and street is not None:
        _update(turn, street=street.ref)
        await turn.goto("house")
    elif result.outcome is addresses.Outcome.HOUSE_NOT_FOUND and street is not None:
        turn.say(
            turn.t(
                "waste-house-not-found",
                street=addresses.street_label(street, None, turn.locale),
                house=str(result.house),
            )
        )
        _update(turn, street=street.ref)
        await turn.goto("house")
    elif result.outcome is addresses.Outcome.NO_SCHEDULE and street is not None:
        text = turn.t("waste-street-no-schedule", street=result.label(turn.locale))
        office = next(
            (p for p in await _repo(turn).dropoff_points() if p.kind == "office" and p.phone),
            None,
        )
        if office is not None:
            text += "\n" + turn.t(
                "waste-office",
                name=localized(office.name, turn.locale),
                address=localized(office.address, turn.locale),
                phone=office.phone,
            )
        turn.say(text)
        await turn.goto("start")
    else:
        # An address in another town gets its own answer: Svoi serves Khmelnytskyi only.
        turn.say(
            turn.t("waste-address-other-city" if result.elsewhere else "waste-address-unknown")
        )
        await turn.goto("start")


async def _street_of(turn: Turn, ref: int | None) -> addresses.Street | None:
    if ref is None:
        return None
    for street in await _streets(turn):
        if street.ref == ref or any(s.id == ref for s in street.segments):
            return street
    return None


async def render_pick_street(turn: Turn) -> None:
    streets = await _streets(turn)
    wanted = _state(turn).candidates
    rows: list[list[AnyButton]] = []
    for street in streets:
        if street.ref in wanted:
            label = addresses.street_label(street, None, turn.locale)
            rows.append([Button(label, PickStreet(street.ref).pack())])
    rows.append(turn.nav_row())
    turn.say(turn.t("waste-pick-street"), rows)


async def on_pick_street(turn: Turn, payload: str) -> None:
    picked = PickStreet.unpack(payload)
    if picked is None:
        return
    street = await _street_of(turn, picked.ref)
    if street is None:
        await turn.goto("start")
        return
    house_text = _state(turn).house
    house = addresses.parse_house(house_text) if house_text is not None else None
    await _resolved(turn, addresses.resolve_house(street, house))


async def render_house(turn: Turn) -> None:
    street = await _street_of(turn, _state(turn).street)
    if street is None:
        await turn.goto("start")
        return
    label = addresses.street_label(street, None, turn.locale)
    turn.say(turn.t("waste-ask-house", street=label), [turn.nav_row()])


async def on_house(turn: Turn, text: str) -> None:
    street = await _street_of(turn, _state(turn).street)
    if street is None:
        await turn.goto("start")
        return
    house = addresses.parse_house(text)
    if house is None:
        turn.say(turn.t("waste-house-invalid"))
        await turn.goto("house")
        return
    await _resolved(turn, addresses.resolve_house(street, house))


async def on_location(turn: Turn, location: Location) -> None:
    zones = [z for z in await _repo(turn).zones() if z.latitude is not None]
    measured = sorted(
        (_km(location.latitude, location.longitude, z.latitude or 0.0, z.longitude or 0.0), z.id)
        for z in zones
    )
    if not measured or measured[0][0] > CITY_KM:
        turn.say(turn.t("waste-location-outside"))
        await turn.goto("start")
        return
    near = [zone_id for km, zone_id in measured if km <= measured[0][0] + NEAR_KM]
    address = turn.t("waste-address-location")
    if len(near) == 1:
        _update(turn, address=address, zone_id=near[0])
        await turn.goto("schedule")
    else:
        _update(turn, address=address, zones=near)
        await turn.goto("pick_zone")


async def render_pick_zone(turn: Turn) -> None:
    wanted = _state(turn).zones
    rows: list[list[AnyButton]] = [
        [Button(localized(z.name, turn.locale), PickZone(z.id).pack())]
        for z in await _repo(turn).zones()
        if z.id in wanted
    ]
    rows.append(turn.nav_row())
    turn.say(turn.t("waste-pick-zone"), rows)


async def on_pick_zone(turn: Turn, payload: str) -> None:
    if (picked := PickZone.unpack(payload)) is not None:
        _update(turn, zone_id=picked.id)
        await turn.goto("schedule")


# --- the schedule of a zone ----------------------------------------------------------------
async def schedule_lines(turn: Turn, zone_id: int, types: list[str] | None = None) -> str:
    repo = _repo(turn)
    schedules = await ZoneSchedules.load(repo, zone_id)
    names = await TypeNames.load(repo)
    today = _today(turn)
    lines: list[str] = []
    example = False
    for item in schedules.next_per_type(zone_id, today, turn.locale):
        if types is not None and item.waste_type not in types:
            continue
        when, days = when_key(item.day, today)
        line = turn.t(
            "waste-next-line",
            type=names.name(item.waste_type, turn.locale),
            when=turn.t("waste-when", when=when, days=days),
            date=turn.t.date(item.day),
            window=window_part(item),
        )
        if item.moved_from is not None:
            line += " " + turn.t("waste-item-moved", date=turn.t.date(item.moved_from))
        if item.is_example:
            line += " " + turn.t("waste-example-mark")
            example = True
        lines.append(line)
    if not lines:
        return turn.t("waste-no-schedule")
    text = "\n".join(lines)
    if example:
        text += "\n\n" + turn.t("waste-example-note")
    return text


async def render_schedule(turn: Turn) -> None:
    state = _state(turn)
    zone = await _zone(turn, state.zone_id)
    if zone is None:
        await turn.goto("start")
        return
    body = await schedule_lines(turn, zone.id)
    zone_name = localized(zone.name, turn.locale)
    if zone.is_example or state.zone_example:
        # which district a street belongs to is example data too: say so beside it
        zone_name += " " + turn.t("waste-example-mark")
    header = turn.t("waste-schedule-title", address=state.address, zone=zone_name)
    rows: list[list[AnyButton]] = [
        [Button(turn.t("waste-btn-subscribe"), "subscribe")],
        [Button(turn.t("waste-btn-other-address"), "again")],
        [Button(turn.t("waste-btn-dropoff"), "dropoff")],
        # the reports feature's global action (dialogs/reports/flow.py): it reads the place
        # from this screen through `schedule_place`
        [Button(turn.t("waste-btn-missed"), f"g:{MISSED_ACTION}")],
        turn.nav_row(back=False),
    ]
    turn.say(f"{header}\n\n{body}", rows)


def schedule_place(turn: Turn) -> tuple[str, int] | None:
    """The address and zone a resident is looking at when the turn is on the schedule screen
    (for «Не вивезли відходи» under it); None elsewhere."""
    if turn.flow_name != FLOW or turn.screen_name != "schedule":
        return None
    state = _state(turn)
    if state.zone_id is None or not state.address:
        return None
    return state.address, state.zone_id


async def _zone(turn: Turn, zone_id: int | None) -> WasteZone | None:
    if zone_id is None:
        return None
    return await _repo(turn).zone(zone_id)


async def on_schedule(turn: Turn, payload: str) -> None:
    if payload == "subscribe":
        if await _open_existing(turn):
            return
        subs = await _repo(turn).subscriptions_of(turn.resident.id)
        if len(subs) >= MAX_SUBSCRIPTIONS:
            turn.say(turn.t("waste-too-many", limit=MAX_SUBSCRIPTIONS))
            await turn.goto("subs")
            return
        _update(turn, selected=await _zone_types(turn, _state(turn).zone_id), editing=None)
        await turn.goto("types")
    elif payload == "again":
        await turn.goto("start")
    elif payload == "dropoff":
        await turn.goto("dropoff")


async def _open_existing(turn: Turn) -> bool:
    """The same house again (the same words or another spelling of it): open the resident's
    subscription to it to edit, instead of a second one that would remind twice."""
    state = _state(turn)
    if state.zone_id is None:
        return False
    sub = await _repo(turn).subscription_at(turn.resident.id, state.zone_id, state.address)
    if sub is None:
        return False
    turn.say(turn.t("waste-already-subscribed", address=sub.address))
    _update(turn, sub_id=sub.id, editing=None)
    await turn.goto("sub")
    return True


# --- subscribing: types and time -----------------------------------------------------------
async def render_types(turn: Turn) -> None:
    available = await _zone_types(turn, _state(turn).zone_id)
    names = await TypeNames.load(_repo(turn))
    selected = set(_state(turn).selected)
    rows: list[list[AnyButton]] = [
        [
            Button(
                ("✅ " if code in selected else "⬜ ") + names.name(code, turn.locale),
                ToggleType(code).pack(),
            )
        ]
        for code in sorted(
            available, key=lambda c: names.order.index(c) if c in names.order else 99
        )
    ]
    if selected:
        rows.append([Button(turn.t("waste-btn-next"), "next")])
    rows.append(turn.nav_row())
    turn.say(turn.t("waste-choose-types"), rows)


async def on_types(turn: Turn, payload: str) -> None:
    state = _state(turn)
    if (toggled := ToggleType.unpack(payload)) is not None:
        selected = list(state.selected)
        if toggled.code in selected:
            selected.remove(toggled.code)
        else:
            selected.append(toggled.code)
        _update(turn, selected=selected)
        await turn.goto("types")
        return
    if payload == "next" and state.selected:
        if state.editing is not None:
            sub = await _repo(turn).subscription_of(turn.resident.id, state.editing)
            if sub is not None:
                sub.types = list(state.selected)
                turn.say(turn.t("waste-saved"))
                _update(turn, sub_id=sub.id)
                await turn.goto("sub")
                return
        await turn.goto("time")


async def render_time(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(remind_text(turn, -1, h), RemindAt(-1, h).pack()) for h in EVENING_HOURS[:2]],
        [Button(remind_text(turn, -1, h), RemindAt(-1, h).pack()) for h in EVENING_HOURS[2:]],
        [Button(remind_text(turn, 0, h), RemindAt(0, h).pack()) for h in MORNING_HOURS],
        turn.nav_row(),
    ]
    turn.say(turn.t("waste-choose-time"), rows)


async def on_time(turn: Turn, payload: str) -> None:
    chosen = RemindAt.unpack(payload)
    if chosen is None:
        return
    offset, hour = chosen.offset, chosen.hour
    if (offset, hour) not in [(-1, h) for h in EVENING_HOURS] + [(0, h) for h in MORNING_HOURS]:
        return
    repo = _repo(turn)
    state = _state(turn)
    if state.editing is not None:
        sub = await repo.subscription_of(turn.resident.id, state.editing)
        if sub is not None:
            sub.remind_offset, sub.remind_hour = offset, hour
            turn.say(turn.t("waste-saved"))
            _update(turn, sub_id=sub.id)
            await turn.goto("sub")
            return
    zone_id = state.zone_id
    if zone_id is None or await repo.zone(zone_id) is None:
        await turn.goto("start")
        return
    if await _open_existing(turn):  # subscribed meanwhile, e.g. from another screen
        return
    sub = await repo.add_subscription(
        turn.resident.id,
        zone_id,
        state.address,
        list(state.selected),
        offset,
        hour,
    )
    turn.say(turn.t("waste-subscribed", when=remind_text(turn, offset, hour)))
    _update(turn, sub_id=sub.id)
    await turn.goto("sub")


# --- subscriptions -------------------------------------------------------------------------
async def _describe(turn: Turn, sub: WasteSubscription, names: TypeNames) -> str:
    state = (
        turn.t("waste-paused")
        if sub.paused
        else remind_text(turn, sub.remind_offset, sub.remind_hour)
    )
    return turn.t(
        "waste-sub-line",
        address=sub.address,
        types=names.join(list(sub.types), turn.locale),
        state=state,
    )


async def render_subs(turn: Turn) -> None:
    repo = _repo(turn)
    subs = await repo.subscriptions_of(turn.resident.id)
    names = await TypeNames.load(repo)
    # The addresses are the buttons; the text adds what each reminds of (never «1. 1. …»).
    rows: list[list[AnyButton]] = [[Button(s.address, OpenSubscription(s.id).pack())] for s in subs]
    if len(subs) < MAX_SUBSCRIPTIONS:
        rows.append([Button(turn.t("waste-btn-add-address"), "add")])
    if subs:
        rows.append([Button(turn.t("waste-btn-calendar"), "ics")])
    rows.append(turn.nav_row())
    if not subs:
        turn.say(turn.t("waste-no-subscriptions"), rows)
        return
    lines = [f"{i}. " + await _describe(turn, s, names) for i, s in enumerate(subs, 1)]
    turn.say(turn.t("waste-subs-title", count=len(subs)) + "\n\n" + "\n".join(lines), rows)


async def on_subs(turn: Turn, payload: str) -> None:
    if (opened := OpenSubscription.unpack(payload)) is not None:
        _update(turn, sub_id=opened.id)
        await turn.goto("sub")
    elif payload == "add":
        await turn.goto("start")
    elif payload == "ics":
        await send_calendar(turn)
        await turn.goto("subs")


async def _current_sub(turn: Turn) -> WasteSubscription | None:
    sub_id = _state(turn).sub_id
    if sub_id is None:
        return None
    return await _repo(turn).subscription_of(turn.resident.id, sub_id)


async def render_sub(turn: Turn) -> None:
    sub = await _current_sub(turn)
    if sub is None:
        turn.say(turn.t("waste-sub-not-found"))
        await turn.goto("subs")
        return
    names = await TypeNames.load(_repo(turn))
    text = await _describe(turn, sub, names)
    text += "\n\n" + await schedule_lines(turn, sub.zone_id, list(sub.types))
    pause = (
        Button(turn.t("waste-btn-resume"), "resume")
        if sub.paused
        else Button(turn.t("waste-btn-pause"), "pause")
    )
    rows: list[list[AnyButton]] = [
        [
            Button(turn.t("waste-btn-change-types"), "types"),
            Button(turn.t("waste-btn-change-time"), "time"),
        ],
        [pause, Button(turn.t("waste-btn-remove"), "remove")],
        [Button(turn.t("waste-btn-calendar"), "ics")],
        turn.nav_row(),
    ]
    turn.say(text, rows)


async def on_sub(turn: Turn, payload: str) -> None:
    sub = await _current_sub(turn)
    if sub is None:
        await turn.goto("subs")
        return
    if payload in ("pause", "resume"):
        sub.paused = payload == "pause"
        turn.say(turn.t("waste-stopped" if sub.paused else "waste-resumed"))
        await turn.goto("sub")
    elif payload == "types":
        _update(turn, editing=sub.id, zone_id=sub.zone_id, selected=list(sub.types))
        await turn.goto("types")
    elif payload == "time":
        _update(turn, editing=sub.id)
        await turn.goto("time")
    elif payload == "remove":
        await turn.goto("remove")
    elif payload == "ics":
        await send_calendar(turn)
        await turn.goto("sub")


async def render_remove(turn: Turn) -> None:
    sub = await _current_sub(turn)
    if sub is None:
        await turn.goto("subs")
        return
    turn.say(
        turn.t("waste-remove-confirm", address=sub.address),
        [[Button(turn.t("btn-yes"), "yes"), Button(turn.t("btn-no"), "no")]],
    )


async def on_remove(turn: Turn, payload: str) -> None:
    sub = await _current_sub(turn)
    if payload == "yes" and sub is not None:
        await _repo(turn).remove_subscription(sub)
        turn.say(turn.t("waste-removed"))
        await turn.goto("subs")
    else:
        await turn.goto("sub")


async def send_calendar(turn: Turn) -> None:
    caps = turn.engine.capabilities.get(turn.incoming.address.channel)
    policy = WasteSettings()
    repo = _repo(turn)
    if caps is not None and caps.documents:
        body = await build_calendar(
            repo, turn.engine.i18n, turn.resident, turn.now, policy.calendar_months
        )
        turn.say(
            turn.t("waste-calendar-document"),
            document=Document("svoi-waste.ics", body, MIME),
        )
        return
    token = await repo.calendar_token(turn.resident.id)
    url = calendar_url(turn.engine.settings, policy, token)
    turn.say(turn.t("waste-calendar-link"), [[turn.link(turn.t("waste-btn-open-calendar"), url)]])


# --- other waste: drop-off points and the Ecobus -------------------------------------------
async def render_dropoff(turn: Turn) -> None:
    """Centres, what they accept (once for centres that accept the same) and the company's
    office; the Ecobus for hazardous waste is behind its own button, so each fits a phone."""
    repo = _repo(turn)
    locale = turn.locale
    parts: list[str] = [turn.t("waste-dropoff-title")]
    offices: list[str] = []
    centres: dict[tuple[str, str, str], list[str]] = {}
    for point in await repo.dropoff_points():
        if point.kind == "office":
            offices.append(
                turn.t(
                    "waste-office",
                    name=localized(point.name, locale),
                    address=localized(point.address, locale),
                    phone=point.phone or "-",
                )
            )
            continue
        accepts = ", ".join(str(a.get(locale) or a.get("uk")) for a in point.accepts)
        key = (localized(point.name, locale), localized(point.hours, locale) or "-", accepts)
        centres.setdefault(key, []).append(localized(point.address, locale))
    for (name, hours, accepts), places in centres.items():
        if len(places) == 1:
            block = turn.t("waste-centre", name=name, address=places[0], hours=hours)
        else:
            lines = [turn.t("waste-centres", name=name, hours=hours)]
            lines += [turn.t("waste-centre-address", address=a) for a in places]
            block = "\n".join(lines)
        if accepts:
            block += "\n" + turn.t("waste-centre-accepts", accepts=accepts)
        parts.append(block)
    parts.extend(offices)
    title, *blocks = parts
    turn.say(
        title + "\n" + "\n\n".join(blocks),
        [[Button(turn.t("waste-btn-ecobus"), "ecobus")], turn.nav_row()],
    )


async def on_dropoff(turn: Turn, payload: str) -> None:
    if payload == "ecobus":
        await turn.goto("ecobus")


async def render_ecobus(turn: Turn) -> None:
    parts: list[str] = []
    stops = await _repo(turn).ecobus_stops(after=turn.now)
    if stops:
        lines = [_stop_line(turn, s) for s in stops[:3]]
        parts.append(turn.t("waste-ecobus-next") + "\n" + "\n".join(lines))
        if any(s.is_example for s in stops[:3]):
            parts.append(turn.t("waste-example-note"))
    else:
        parts.append(turn.t("waste-ecobus-none"))
    turn.say(
        "\n\n".join(parts),
        [turn.nav_row()],
        requests=[RequestButton(turn.t("waste-btn-ecobus-near"), Request.LOCATION)],
    )


def _stop_line(turn: Turn, stop: Any) -> str:
    line = turn.t(
        "waste-ecobus-stop",
        place=localized(stop.place, turn.locale),
        date=turn.t.date(stop.starts_at.astimezone(city_zone()).date()),
        start=turn.engine.i18n.time(turn.locale, stop.starts_at),
        end=turn.engine.i18n.time(turn.locale, stop.ends_at),
    )
    return line + (" " + turn.t("waste-example-mark") if stop.is_example else "")


async def on_dropoff_location(turn: Turn, location: Location) -> None:
    stops = [s for s in await _repo(turn).ecobus_stops(after=turn.now) if s.latitude is not None]
    if not stops:
        turn.say(turn.t("waste-ecobus-none"))
    else:
        nearest = min(
            stops,
            key=lambda s: (
                _km(location.latitude, location.longitude, s.latitude or 0.0, s.longitude or 0.0),
                s.starts_at,
            ),
        )
        km = _km(
            location.latitude, location.longitude, nearest.latitude or 0.0, nearest.longitude or 0.0
        )
        turn.say(
            turn.t("waste-ecobus-nearest", distance=f"{km:.1f}") + "\n" + _stop_line(turn, nearest)
        )
    await turn.goto("ecobus")


# --- global actions on reminders -----------------------------------------------------------
async def _sub_from_arg(
    turn: Turn, kind: type[StopReminder | EditReminder], arg: str
) -> WasteSubscription | None:
    action = from_action_arg(kind, arg)
    if action is None:
        return None
    return await _repo(turn).subscription_of(turn.resident.id, action.sub_id)


async def stop_action(turn: Turn, arg: str) -> None:
    """ "Stop" on a reminder: pause that subscription (it can be resumed or removed)."""
    sub = await _sub_from_arg(turn, StopReminder, arg)
    if sub is None:
        turn.say(turn.t("waste-sub-not-found"))
        await turn.menu()
        return
    sub.paused = True
    turn.say(turn.t("waste-stopped"))
    await turn.start(FLOW, "sub", **WasteState(sub_id=sub.id).to_data())


async def edit_action(turn: Turn, arg: str) -> None:
    """ "Change" on a reminder: open that subscription."""
    sub = await _sub_from_arg(turn, EditReminder, arg)
    if sub is None:
        turn.say(turn.t("waste-sub-not-found"))
        await turn.menu()
        return
    await turn.start(FLOW, "sub", **WasteState(sub_id=sub.id).to_data())


async def waste_command(turn: Turn, _args: str) -> None:
    await turn.start(FLOW)


WASTE_FLOW = Flow(
    FLOW,
    {
        "start": Screen(
            render_start,
            on_button=on_start_button,
            on_text=on_address,
            on_location=on_location,
            text_limit=120,
        ),
        "pick_street": Screen(
            render_pick_street,
            on_button=on_pick_street,
            on_text=on_address,
            back="start",
            text_limit=120,
        ),
        "house": Screen(
            render_house, on_text=on_house, back="start", text_limit=30, numeric_input=True
        ),
        "pick_zone": Screen(render_pick_zone, on_button=on_pick_zone, back="start"),
        "schedule": Screen(
            render_schedule,
            on_button=on_schedule,
            on_text=on_address,
            on_location=on_location,
            back="start",
            text_limit=120,
        ),
        "types": Screen(render_types, on_button=on_types, back="schedule"),
        "time": Screen(render_time, on_button=on_time, back="types"),
        "subs": Screen(render_subs, on_button=on_subs, back="start"),
        "sub": Screen(render_sub, on_button=on_sub, back="subs"),
        "remove": Screen(render_remove, on_button=on_remove, back="sub"),
        "dropoff": Screen(
            render_dropoff, on_button=on_dropoff, on_location=on_dropoff_location, back="start"
        ),
        "ecobus": Screen(render_ecobus, on_location=on_dropoff_location, back="dropoff"),
    },
)
