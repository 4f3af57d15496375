"""The `services` flow: browse the catalogue, search it, read a card, ask the council.

Steps:
    services.start      categories; typing anything searches
    services.category   one category's services, a page at a time (◀️ / ▶️)
    services.results    the best matches for what was typed, or "nothing found" with the
                        categories and "ask the council" — and, when the need is one other
                        institutions handle (sick leave, water, a lost dog), who does
                        (content/elsewhere.yaml)
    services.card       the information card on one phone screen (what, how much, how long,
                        where), with the office on the map, the online link, the office's
                        site and the office's common notice (martial law) behind a button
    services.details    documents and details: how to apply, documents, result, refusal,
                        legal acts, phones
    services.ask        the resident's question to the council, stored with a reference

Free text typed at the main menu also searches (a text fallback): when a service or another
institution matches, the resident lands on services.results; otherwise the core's "use the
buttons" answers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.core.dialog import MENU, Flow, Screen, Turn
from bot.core.i18n import localized
from bot.core.messages import AnyButton, Button, LinkButton, Location
from dialogs.handoff.flow import talk_button
from dialogs.questions import service as questions
from dialogs.services.cards import alert_line, card_text, details_pages, notice_text
from dialogs.services.catalogue import Elsewhere, current_index, find_elsewhere
from dialogs.services.payloads import OpenCategory, OpenService, Page, ServicesState
from storage.models.services import Service
from storage.repos.delivery import AlertRepo
from storage.repos.services import ServiceRepo

PAGE_SIZE = 6
RESULTS = 5
QUERY_LIMIT = 200

UP = "up"  # back from a card to where the resident came from (a list or the results)


def _state(turn: Turn) -> ServicesState:
    return turn.load(ServicesState)


def _update(turn: Turn, **changes: Any) -> None:
    turn.keep(replace(_state(turn), **changes))


# --- search -------------------------------------------------------------------------------
async def find(turn: Turn, text: str) -> list[int]:
    index = await current_index(turn.session)
    return [hit.service_id for hit in index.search(text[:QUERY_LIMIT], limit=RESULTS)]


async def on_search(turn: Turn, text: str) -> None:
    query = " ".join(text.split())[:QUERY_LIMIT]
    _update(turn, query=query, results=await find(turn, query))
    await turn.goto("results")


async def search_from_menu(turn: Turn, text: str) -> bool:
    """Text typed at the main menu: show matching services, or let the next fallback answer."""
    if turn.flow_name not in (None, "menu"):
        return False
    query = " ".join(text.split())[:QUERY_LIMIT]
    results = await find(turn, query)
    if not results and not find_elsewhere(query):
        return False
    await turn.start("services", "results", **ServicesState(query, results).to_data())
    return True


# --- start: categories ------------------------------------------------------------------------
async def category_rows(turn: Turn) -> list[list[AnyButton]]:
    categories = await ServiceRepo(turn.session).categories()
    return [
        [Button(localized(c.title, turn.locale), OpenCategory(c.id).pack())] for c in categories
    ]


async def render_start(turn: Turn) -> None:
    rows = await category_rows(turn)
    text = turn.t("services-title") if rows else turn.t("services-empty")
    turn.say(text, [*rows, turn.nav_row(back=False)])


async def on_start_button(turn: Turn, payload: str) -> None:
    await open_category(turn, payload)


async def open_category(turn: Turn, payload: str) -> None:
    opened = OpenCategory.unpack(payload)
    if opened is None or await ServiceRepo(turn.session).category(opened.id) is None:
        turn.say(turn.t("services-gone"))
        await turn.goto("start")
        return
    _update(turn, category=opened.id, page=0)
    await turn.goto("category")


# --- category: one page of services -----------------------------------------------------------
async def render_category(turn: Turn) -> None:
    repo = ServiceRepo(turn.session)
    state = _state(turn)
    category = await repo.category(state.category) if state.category is not None else None
    if category is None:
        turn.say(turn.t("services-gone"))
        await turn.goto("start")
        return
    total = await repo.count_in(category.id)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(0, state.page), pages - 1)
    services = await repo.services_in(category.id, page * PAGE_SIZE, PAGE_SIZE)
    lines = [
        f"{page * PAGE_SIZE + n}. {localized(s.name, turn.locale)}"
        for n, s in enumerate(services, start=1)
    ]
    text = turn.t("services-category-title", category=localized(category.title, turn.locale))
    if services:
        text += "\n\n" + "\n".join(lines)
    else:
        text += "\n\n" + turn.t("services-category-empty")
    if pages > 1:
        text += "\n\n" + turn.t("services-page", page=page + 1, pages=pages)
    rows: list[list[AnyButton]] = [
        [Button(localized(s.name, turn.locale), OpenService(s.id).pack())] for s in services
    ]
    paging: list[AnyButton] = []
    if page > 0:
        paging.append(Button(turn.t("btn-prev"), Page(page - 1).pack()))
    if page < pages - 1:
        paging.append(Button(turn.t("btn-more"), Page(page + 1).pack()))
    if paging:
        rows.append(paging)
    rows.append(turn.nav_row())
    _update(turn, page=page)
    turn.say(text, rows)


async def on_category_button(turn: Turn, payload: str) -> None:
    if (paged := Page.unpack(payload)) is not None:
        _update(turn, page=paged.number)
        await turn.goto("category")
    elif OpenService.matches(payload):
        await open_card(turn, payload, origin="category")


# --- results -------------------------------------------------------------------------------
async def render_results(turn: Turn) -> None:
    state = _state(turn)
    query, ids = state.query, state.results
    found = await ServiceRepo(turn.session).services_by_id(ids)
    services = [found[i] for i in ids if i in found]
    if not services:
        rows = await category_rows(turn)
        rows.append([Button(turn.t("services-btn-ask"), "ask")])
        rows.append([talk_button(turn, "services")])  # a person of the working group
        rows.append(turn.nav_row(back=False))
        elsewhere = find_elsewhere(query) if query else []
        if elsewhere:
            links: list[AnyButton] = [
                LinkButton(turn.t("services-btn-elsewhere-site"), place.website)
                for place in elsewhere[:1]
                if place.website
            ]
            if links:
                rows.insert(0, links)
            turn.say(elsewhere_text(turn, query, elsewhere), rows)
            return
        turn.say(turn.t("services-nothing-found", query=query), rows)
        return
    lines = [f"{n}. {localized(s.name, turn.locale)}" for n, s in enumerate(services, start=1)]
    rows = [[Button(localized(s.name, turn.locale), OpenService(s.id).pack())] for s in services]
    rows.append(
        [
            Button(turn.t("services-btn-categories"), "cats"),
            Button(turn.t("services-btn-ask"), "ask"),
        ]
    )
    rows.append(turn.nav_row(back=False))
    text = turn.t("services-results-title", query=query) + "\n\n" + "\n".join(lines)
    turn.say(text + "\n\n" + turn.t("services-search-hint"), rows)


def elsewhere_text(turn: Turn, query: str, places: list[Elsewhere]) -> str:
    """ "Not the centre's service — here is who handles it", for one or two institutions."""
    blocks = [turn.t("services-elsewhere-title", query=query)]
    for place in places:
        block = f"{localized(place.name, turn.locale)}\n{localized(place.answer, turn.locale)}"
        if place.example:
            block += "\n" + turn.t("services-elsewhere-example")
        blocks.append(block)
    blocks.append(turn.t("services-elsewhere-hint"))
    return "\n\n".join(blocks)


async def on_results_button(turn: Turn, payload: str) -> None:
    if OpenService.matches(payload):
        await open_card(turn, payload, origin="results")
    elif OpenCategory.matches(payload):
        await open_category(turn, payload)
    elif payload == "cats":
        await turn.goto("start")
    elif payload == "ask":
        _update(turn, ask_service=None)
        await turn.goto("ask")


# --- card ---------------------------------------------------------------------------------
async def open_card(turn: Turn, payload: str, origin: str) -> None:
    opened = OpenService.unpack(payload)
    if opened is None or await ServiceRepo(turn.session).service(opened.id) is None:
        turn.say(turn.t("services-gone"))
        await turn.goto("start")
        return
    _update(turn, service=opened.id, origin=origin)
    await turn.goto("card")


async def _current_service(turn: Turn) -> Service | None:
    service_id = _state(turn).service
    return await ServiceRepo(turn.session).service(service_id) if service_id else None


async def card_buttons(turn: Turn, service: Service) -> list[list[AnyButton]]:
    repo = ServiceRepo(turn.session)
    office = await repo.office(service.office_id) if service.office_id else None
    rows: list[list[AnyButton]] = []
    if office is not None and office.latitude is not None and office.longitude is not None:
        rows.append([Button(turn.t("services-btn-location"), "loc")])
    links: list[AnyButton] = []
    if service.online_url:
        links.append(LinkButton(turn.t("services-btn-online"), service.online_url))
    if office is not None and office.website:
        links.append(LinkButton(turn.t("services-btn-website"), office.website))
    if links:
        rows.append(links)
    rows.append([Button(turn.t("services-btn-details"), "details")])  # documents, contacts
    if notice_text(turn.t, office):
        rows.append([Button(turn.t("services-btn-notice"), "notice")])
    rows.append([Button(turn.t("services-btn-ask-about"), "ask")])
    rows.append([Button(turn.t("btn-back"), UP), Button(turn.t("btn-menu"), MENU)])
    return rows


async def render_card(turn: Turn) -> None:
    service = await _current_service(turn)
    if service is None:
        turn.say(turn.t("services-gone"))
        await turn.goto("start")
        return
    repo = ServiceRepo(turn.session)
    office = await repo.office(service.office_id) if service.office_id else None
    category = await repo.category(service.category_id)
    settings = turn.engine.settings
    alert = alert_line(
        turn.t,
        await AlertRepo(turn.session).get(settings.alerts_region),
        turn.now,
        timedelta(seconds=settings.alerts_stale_seconds),
    )
    turn.say(card_text(turn.t, service, category, office, alert), await card_buttons(turn, service))


async def on_card_button(turn: Turn, payload: str) -> None:
    service = await _current_service(turn)
    if service is None:
        turn.say(turn.t("services-gone"))
        await turn.goto("start")
        return
    if payload == "loc":
        await send_location(turn, service)
    elif payload == "details":
        _update(turn, details_page=0)
        await turn.goto("details")
    elif payload == "notice":
        repo = ServiceRepo(turn.session)
        office = await repo.office(service.office_id) if service.office_id else None
        turn.say(notice_text(turn.t, office), await card_buttons(turn, service))
    elif payload == "ask":
        _update(turn, ask_service=service.code)
        await turn.goto("ask")
    elif payload == UP:
        origin = _state(turn).origin
        await turn.goto(origin if origin in ("category", "results") else "start")


async def render_details(turn: Turn) -> None:
    service = await _current_service(turn)
    if service is None:
        turn.say(turn.t("services-gone"))
        await turn.goto("start")
        return
    repo = ServiceRepo(turn.session)
    office = await repo.office(service.office_id) if service.office_id else None
    category = await repo.category(service.category_id)
    pages = details_pages(turn.t, service, category, office)
    page = min(max(0, _state(turn).details_page), len(pages) - 1)
    rows: list[list[AnyButton]] = []
    paging: list[AnyButton] = []
    if page > 0:
        paging.append(Button(turn.t("btn-prev"), Page(page - 1).pack()))
    if page < len(pages) - 1:
        paging.append(Button(turn.t("btn-more"), Page(page + 1).pack()))
    if paging:
        rows.append(paging)
    if service.online_url:
        rows.append([LinkButton(turn.t("services-btn-online"), service.online_url)])
    rows.append([Button(turn.t("services-btn-ask-about"), "ask")])
    rows.append([Button(turn.t("btn-back"), UP), Button(turn.t("btn-menu"), MENU)])
    _update(turn, details_page=page)
    turn.say(pages[page], rows)


async def on_details_button(turn: Turn, payload: str) -> None:
    if (paged := Page.unpack(payload)) is not None:
        _update(turn, details_page=paged.number)
        await turn.goto("details")
    elif payload == UP:
        await turn.goto("card")
    elif payload == "ask":
        service = await _current_service(turn)
        _update(turn, ask_service=service.code if service is not None else None)
        await turn.goto("ask")


async def send_location(turn: Turn, service: Service) -> None:
    repo = ServiceRepo(turn.session)
    office = await repo.office(service.office_id) if service.office_id else None
    if office is None or office.latitude is None or office.longitude is None:
        turn.say(turn.t("services-location-missing"), await card_buttons(turn, service))
        return
    name = localized(office.name, turn.locale)
    address = localized(office.address, turn.locale)
    text = turn.t("services-location-title", office=name, address=address)
    if office.location_example:
        text += "\n" + turn.t("services-location-example")
    turn.say(
        text,
        await card_buttons(turn, service),
        location=Location(office.latitude, office.longitude, title=name, address=address),
    )


# --- ask the council ------------------------------------------------------------------------
async def render_ask(turn: Turn) -> None:
    turn.say(
        turn.t("services-ask-prompt", limit=questions.QUESTION_LIMIT),
        [[Button(turn.t("services-btn-cancel-ask"), UP), Button(turn.t("btn-menu"), MENU)]],
    )


async def on_ask_button(turn: Turn, payload: str) -> None:
    if payload == UP:
        await turn.goto("card" if _state(turn).ask_service else "start")


async def on_question(turn: Turn, text: str) -> None:
    try:
        saved = await questions.ask(
            turn.session,
            turn.resident.id,
            text,
            search_query=_state(turn).query,
            service_code=_state(turn).ask_service,
            now=turn.now,
        )
    except questions.Refused as refused:
        turn.say(turn.t(refused.key, **refused.args_))
        await turn.goto("ask")
        return
    turn.say(
        turn.t("services-ask-thanks", ref=saved.id),
        [[Button(turn.t("questions-btn-mine"), f"g:{questions.MINE_ACTION}")]],
    )
    await turn.goto("start")


SERVICES = Flow(
    "services",
    {
        "start": Screen(render_start, on_button=on_start_button, on_text=on_search),
        "category": Screen(
            render_category, on_button=on_category_button, on_text=on_search, back="start"
        ),
        "results": Screen(render_results, on_button=on_results_button, on_text=on_search),
        "card": Screen(render_card, on_button=on_card_button, on_text=on_search),
        "details": Screen(
            render_details, on_button=on_details_button, on_text=on_search, back="card"
        ),
        "ask": Screen(
            render_ask,
            on_button=on_ask_button,
            on_text=on_question,
            text_limit=questions.QUESTION_LIMIT,
        ),
    },
)
