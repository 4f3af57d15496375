"""A service's information card as chat text, in the resident's language.

Sections are separated by blank lines so that a card longer than a channel allows is split
between sections (bot.core.render), never in the middle of a list. A text the city has not
written in the resident's language is shown in Ukrainian (`bot.core.i18n.localized`). Phones
are shown as text: a `tel:` link is not a valid button on Telegram.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.i18n import Translator, localized, localized_list
from bot.delivery.alerts import AlertState, in_force
from storage import clock
from storage.models.services import Service, ServiceCategory, ServiceOffice


def _bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


# One phone screen (../shared/UKRAINIAN.md): about 37 characters a line, 15 lines, 700 characters.
PHONE_LINE = 37
PHONE_LINES = 15
PHONE_CHARS = 700


def phone_lines(text: str) -> int:
    return sum(max(1, -(-len(line) // PHONE_LINE)) for line in text.split("\n"))


def fits(text: str) -> bool:
    return len(text) <= PHONE_CHARS and phone_lines(text) <= PHONE_LINES


def paginate(blocks: list[str]) -> list[str]:
    """Blocks packed into screens that fit a phone; a block longer than a screen is split
    between its lines, never in the middle of a line."""
    pages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if fits(candidate):
            current = candidate
            continue
        if current:
            pages.append(current)
            current = ""
        if fits(block):
            current = block
            continue
        for line in block.split("\n"):
            candidate = f"{current}\n{line}" if current else line
            if fits(candidate) or not current:
                current = candidate
            else:
                pages.append(current)
                current = line
    if current:
        pages.append(current)
    return pages or [""]


def where_line(t: Translator, office: ServiceOffice) -> str:
    name = localized(office.name, t.locale)
    address = localized(office.address, t.locale)
    if address:
        return t("services-card-where-address", office=name, address=address)
    return t("services-card-where", office=name)


def hours_line(t: Translator, office: ServiceOffice) -> str:
    hours = localized(office.hours, t.locale)
    if not hours:
        return ""
    key = "services-card-hours-example" if office.hours_example else "services-card-hours"
    return t(key, hours=hours)


def contact_lines(t: Translator, office: ServiceOffice) -> list[str]:
    lines = [where_line(t, office)]
    hours = hours_line(t, office)
    if hours:
        lines.append(hours)
    if office.phones:
        lines.append(t("services-card-phones", phones=", ".join(office.phones)))
    if office.email:
        lines.append(t("services-card-email", email=office.email))
    if office.website:
        lines.append(t("services-card-website", website=office.website))
    if office.example:
        lines.append(t("services-office-example"))
    return lines


# Wartime rules of the ЦНАП (../shared/local-facts.md; the offices' notice in
# content/services.yaml): work resumes 10 minutes after an all-clear during the day, 30 when
# the alert began before opening.
RESUMES_AFTER = timedelta(minutes=10)
RESUMES_AFTER_MORNING = timedelta(minutes=30)


def alert_line(
    t: Translator, state: AlertState | None, now: datetime, stale_after: timedelta
) -> str:
    """The office's state during an air-raid alert, first on every card: closed while one is
    in force (the operators' switch or the alerts feed, as the senders judge it), then the
    time it reopens for half an hour after the all-clear; nothing otherwise."""
    if state is None:
        return ""
    if in_force(state, now, stale_after):
        return t("services-alert-closed")
    cleared = state.since
    if state.active or not now - RESUMES_AFTER_MORNING < cleared <= now:
        return ""
    zone = clock.city_zone()
    return t(
        "services-alert-resumes",
        cleared=cleared.astimezone(zone).strftime("%H:%M"),
        at=(cleared + RESUMES_AFTER).astimezone(zone).strftime("%H:%M"),
        morning=(cleared + RESUMES_AFTER_MORNING).astimezone(zone).strftime("%H:%M"),
    )


def card_text(
    t: Translator,
    service: Service,
    category: ServiceCategory | None,
    office: ServiceOffice | None,
    alert: str = "",
) -> str:
    """The card on one phone screen: what, how much, how long and where (with the opening
    hours and the description when they still fit). Documents and the other details are
    behind a button (`details_pages`); the office's common notice (martial law) behind
    another (`notice_text`), never repeated on every card."""
    locale = t.locale
    head = [t("services-card-title", name=localized(service.name, locale))]
    if alert and office is not None:
        head.append(alert)
    if service.example:
        head.append(t("services-example-note"))
    terms = []
    fee = localized(service.fee, locale)
    if service.paid:
        terms.append(t("services-card-fee-paid", fee=fee or t("services-card-fee-ask")))
    else:
        terms.append(t("services-card-fee-free"))
    term = localized(service.term, locale)
    if term:
        terms.append(t("services-card-term", value=term))
    where = [where_line(t, office)] if office is not None else []

    def build(description: str, hours: str) -> str:
        blocks = ["\n".join(head)]
        if description:
            blocks.append(description)
        blocks.append("\n".join(terms))
        if where:
            blocks.append("\n".join([*where, hours] if hours else where))
        return "\n\n".join(blocks)

    description = localized(service.description, locale)
    hours = hours_line(t, office) if office is not None else ""
    for candidate in (build(description, hours), build("", hours), build("", "")):
        if fits(candidate):
            return candidate
    return build("", "")


def details_pages(
    t: Translator,
    service: Service,
    category: ServiceCategory | None,
    office: ServiceOffice | None,
) -> list[str]:
    """Documents and details, a phone screen at a time: what it is, how to apply, documents,
    result, online, refusal, legal acts, the office's contacts."""
    locale = t.locale
    head = [t("services-details-title", name=localized(service.name, locale))]
    if category is not None:
        head.append(t("services-card-category", category=localized(category.title, locale)))
    blocks = ["\n".join(head)]
    description = localized(service.description, locale)
    if description:
        blocks.append(description)

    how = localized(service.how_to_apply, locale)
    if how:
        blocks.append(t("services-card-how", how=how))
    documents = localized_list(service.documents, locale)
    if documents:
        blocks.append(t("services-card-documents") + "\n" + _bullets(documents))

    terms = []
    basis = localized(service.fee_basis, locale)
    if basis:
        terms.append(t("services-card-fee-basis", basis=basis))
    for key, texts in (
        ("services-card-result", service.result),
        ("services-card-delivery", service.delivery),
    ):
        value = localized(texts, locale)
        if value:
            terms.append(t(key, value=value))
    online = localized(service.online, locale)
    if online:
        terms.append(t("services-card-online", value=online))
    elif service.online_url:
        terms.append(t("services-card-online", value=service.online_url))
    if terms:
        blocks.append("\n".join(terms))

    refusal = localized(service.refusal, locale)
    if refusal:
        blocks.append(t("services-card-refusal", value=refusal))
    legal = localized_list(service.legal_acts, locale)
    if legal:
        blocks.append(t("services-card-legal") + "\n" + _bullets(legal))
    if office is not None:
        blocks.append("\n".join(contact_lines(t, office)))
    return paginate(blocks)


def notice_text(t: Translator, office: ServiceOffice | None) -> str:
    """The office's notice for every visitor (martial law), shown when asked for."""
    notice = localized(office.notice, t.locale) if office is not None else ""
    return t("services-card-notice", notice=notice) if notice else ""
