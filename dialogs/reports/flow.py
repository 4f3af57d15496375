"""Reporting a problem, the resident's side («📷 Повідомити про проблему»).

Steps of the flow `reports`:
  start        the categories (content/reports.yaml) and «Мої звернення»
  place        a shared location, or an address typed (the waste feature's street matcher
               reads it and gives the waste zone; a place it does not know is kept as typed;
               an address in another town is refused)
  photos       up to three photos (checked, cleaned of metadata and stored by the core:
               `turn.store_attachment`), or «Без фото»
  description  a few words, or «Пропустити»
  confirm      what will be sent → «Надіслати»: the reference number («26-00042»)
  mine         the resident's reports with their status and the working group's comment

The waste schedule offers «Не вивезли відходи», which starts at `photos` with that category and
the schedule's address and zone (at `place` when pressed on an older message).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import MenuEntry, Registry
from bot.core.messages import AnyButton, Attachment, Button, Location, Request, RequestButton
from bot.core.payloads import Payload
from bot.core.state import FlowState
from dialogs.reports import service
from dialogs.waste import addresses
from dialogs.waste.flow import MISSED_ACTION, schedule_place, street_index

FLOW = "reports"
MINE = "mine"
NEXT = "next"
SEND = "send"


@dataclass(frozen=True, slots=True)
class PickCategory(Payload, prefix="rc"):
    key: str


@dataclass
class ReportsState(FlowState):
    category: str = ""
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    zone_id: int | None = None
    description: str = ""
    photos: list[int] = field(default_factory=list)


def _state(turn: Turn) -> ReportsState:
    return turn.load(ReportsState)


def _date(turn: Turn, report: service.ReportView) -> str:
    return turn.t.date(report.created_at.astimezone(turn.engine.i18n.zone).date(), "short")


# --- start ----------------------------------------------------------------------------------
async def render_start(turn: Turn) -> None:
    rows: list[list[AnyButton]] = [
        [Button(service.category_label(c.key, turn.locale), PickCategory(c.key).pack())]
        for c in service.categories()
    ]
    rows.append([Button(turn.t("reports-btn-mine"), MINE)])
    rows.append(turn.nav_row(back=False))
    turn.say(turn.t("reports-start"), rows)


async def on_start(turn: Turn, payload: str) -> None:
    if payload == MINE:
        await turn.goto(MINE)
        return
    picked = PickCategory.unpack(payload)
    if picked is not None and service.category(picked.key) is not None:
        turn.keep(ReportsState(category=picked.key))
        await turn.goto("place")


# --- place ----------------------------------------------------------------------------------
async def render_place(turn: Turn) -> None:
    turn.say(
        turn.t("reports-place"),
        [turn.nav_row()],
        requests=[RequestButton(turn.t("reports-btn-location"), Request.LOCATION)],
    )


async def on_place_location(turn: Turn, location: Location) -> None:
    state = _state(turn)
    state.latitude, state.longitude = location.latitude, location.longitude
    state.address = (location.address or location.title)[: service.ADDRESS_LIMIT]
    turn.keep(state)
    await turn.goto("photos")


async def on_place_text(turn: Turn, text: str) -> None:
    result = addresses.match(text, await street_index(turn.session))
    if result.elsewhere:
        turn.say(turn.t("reports-place-elsewhere"))
        return
    state = _state(turn)
    street = result.street
    if street is not None and result.outcome is not addresses.Outcome.AMBIGUOUS:
        state.address = result.label(turn.locale)
        zones = street.zone_ids()
        state.zone_id = result.zone_id or (next(iter(zones)) if len(zones) == 1 else None)
    else:
        state.address = text.strip()[: service.ADDRESS_LIMIT]  # a park, a yard: as written
    turn.keep(state)
    await turn.goto("photos")


# --- photos ---------------------------------------------------------------------------------
async def render_photos(turn: Turn) -> None:
    count = len(_state(turn).photos)
    label = turn.t("reports-btn-photos-done") if count else turn.t("reports-btn-no-photos")
    turn.say(
        turn.t("reports-photos", count=count, limit=service.MAX_PHOTOS),
        [[Button(label, NEXT)], turn.nav_row()],
    )


async def on_photo(turn: Turn, attachment: Attachment) -> None:
    state = _state(turn)
    if len(state.photos) >= service.MAX_PHOTOS:
        turn.say(turn.t("reports-photos-limit", limit=service.MAX_PHOTOS))
        await turn.goto("description")
        return
    stored = await turn.store_attachment(attachment, service.PURPOSE)
    if stored is None:  # refused: the resident has been told why
        return
    state.photos.append(stored.id)
    turn.keep(state)
    if len(state.photos) >= service.MAX_PHOTOS:
        await turn.goto("description")
        return
    await turn.goto("photos")


async def on_photos_button(turn: Turn, payload: str) -> None:
    if payload == NEXT:
        await turn.goto("description")


# --- description and confirmation ------------------------------------------------------------
async def render_description(turn: Turn) -> None:
    turn.say(
        turn.t("reports-description", limit=service.DESCRIPTION_LIMIT),
        [[Button(turn.t("reports-btn-skip"), NEXT)], turn.nav_row()],
    )


async def on_description(turn: Turn, text: str) -> None:
    state = _state(turn)
    state.description = text.strip()
    turn.keep(state)
    await turn.goto("confirm")


async def on_description_button(turn: Turn, payload: str) -> None:
    if payload == NEXT:
        await turn.goto("confirm")


def _place(turn: Turn, state: ReportsState) -> str:
    if state.address:
        return state.address
    if state.latitude is not None and state.longitude is not None:
        return turn.t("reports-place-point")
    return turn.t("reports-place-none")


async def render_confirm(turn: Turn) -> None:
    state = _state(turn)
    if service.category(state.category) is None:
        await turn.goto("start")
        return
    text = turn.t(
        "reports-confirm",
        category=service.category_label(state.category, turn.locale),
        place=_place(turn, state),
        photos=len(state.photos),
        description=state.description or turn.t("reports-no-description"),
    )
    turn.say(text, [[Button(turn.t("reports-btn-send"), SEND)], turn.nav_row()])


async def on_confirm(turn: Turn, payload: str) -> None:
    if payload != SEND:
        return
    state = _state(turn)
    draft = service.Draft(
        category=state.category,
        latitude=state.latitude,
        longitude=state.longitude,
        address=state.address,
        zone_id=state.zone_id,
        description=state.description,
        photo_ids=tuple(state.photos),
    )
    report = await service.create(turn.session, turn.resident.id, turn.own.channel, draft, turn.now)
    turn.audit("report", report.reference or str(report.id), category=report.category)
    turn.say(turn.t("reports-sent", reference=report.reference or str(report.id)))
    await turn.menu()


# --- my reports ----------------------------------------------------------------------------
async def render_mine(turn: Turn) -> None:
    reports = await service.mine(turn.session, turn.resident.id)
    rows: list[list[AnyButton]] = [turn.nav_row(back=False)]
    if not reports:
        turn.say(turn.t("reports-mine-empty"), rows)
        return
    parts = [turn.t("reports-mine-title")]
    for report in reports:
        part = turn.t(
            "reports-mine-item",
            reference=report.reference,
            date=_date(turn, report),
            category=service.category_label(report.category, turn.locale),
            status=report.status.value,
        )
        if report.operator_comment:
            part += "\n" + turn.t("reports-mine-comment", comment=report.operator_comment)
        parts.append(part)
    turn.say("\n\n".join(parts), rows)


async def mine_action(turn: Turn, _arg: str) -> None:
    await turn.start(FLOW, MINE)


async def missed_collection(turn: Turn, _arg: str) -> None:
    """«Не вивезли відходи» under a waste schedule: the schedule's address and zone are the
    place, so straight to the photos; from an older message, ask for the place."""
    place = schedule_place(turn)
    if place is None:
        await turn.start(FLOW, "place", category=service.MISSED)
        return
    address, zone_id = place
    turn.say(turn.t("reports-place-known", address=address))
    await turn.start(FLOW, "photos", category=service.MISSED, address=address, zone_id=zone_id)


async def mine_command(turn: Turn, _args: str) -> None:
    await turn.start(FLOW, MINE)


FLOW_DEF = Flow(
    FLOW,
    {
        "start": Screen(render_start, on_button=on_start),
        "place": Screen(
            render_place,
            on_location=on_place_location,
            on_text=on_place_text,
            text_limit=service.ADDRESS_LIMIT,
            back="start",
        ),
        "photos": Screen(
            render_photos, on_button=on_photos_button, on_attachment=on_photo, back="place"
        ),
        "description": Screen(
            render_description,
            on_text=on_description,
            on_button=on_description_button,
            on_attachment=on_photo,  # one more photo: taken while fewer than three
            text_limit=service.DESCRIPTION_LIMIT,
            back="photos",
        ),
        "confirm": Screen(render_confirm, on_button=on_confirm, back="description"),
        MINE: Screen(render_mine, back="start"),
    },
)


def register(registry: Registry) -> None:
    registry.add_flow(FLOW_DEF)
    registry.add_menu_entry(MenuEntry("reports-menu", FLOW, 91))
    registry.add_interrupt("myreports", mine_command)
    registry.add_global_action(service.MINE_ACTION, mine_action)
    registry.add_global_action(MISSED_ACTION, missed_collection)
