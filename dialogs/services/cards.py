"""A service's information card as chat text, in the resident's language.

Sections are separated by blank lines so that a card longer than a channel allows is split
between sections (bot.core.render), never in the middle of a list. English fields the city
left empty fall back to the Ukrainian text. Phones are shown as text: a `tel:` link is not
a valid button on Telegram.
"""

from __future__ import annotations

from typing import Any

from bot.core.i18n import Translator
from storage.models.services import Service, ServiceCategory, ServiceOffice


def local(row: Any, name: str, locale: str) -> str:
    value = getattr(row, f"{name}_{locale}", "") or getattr(row, f"{name}_uk", "")
    return str(value or "")


def local_list(row: Any, name: str, locale: str) -> list[str]:
    value = getattr(row, f"{name}_{locale}", None) or getattr(row, f"{name}_uk", None)
    return [str(item) for item in value or []]


def _bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def office_lines(t: Translator, office: ServiceOffice) -> list[str]:
    locale = t.locale
    lines = [t("services-card-where", office=local(office, "name", locale))]
    address = local(office, "address", locale)
    if address:
        lines.append(t("services-card-address", address=address))
    hours = local(office, "hours", locale)
    if hours:
        key = "services-card-hours-example" if office.hours_example else "services-card-hours"
        lines.append(t(key, hours=hours))
    if office.phones:
        lines.append(t("services-card-phones", phones=", ".join(office.phones)))
    if office.email:
        lines.append(t("services-card-email", email=office.email))
    if office.website:
        lines.append(t("services-card-website", website=office.website))
    if office.example:
        lines.append(t("services-office-example"))
    return lines


def card_text(
    t: Translator,
    service: Service,
    category: ServiceCategory | None,
    office: ServiceOffice | None,
) -> str:
    locale = t.locale
    head = [t("services-card-title", name=local(service, "name", locale))]
    if category is not None:
        head.append(t("services-card-category", category=local(category, "title", locale)))
    if service.example:
        head.append(t("services-example-note"))
    blocks = ["\n".join(head)]
    description = local(service, "description", locale)
    if description:
        blocks.append(description)

    how = local(service, "how_to_apply", locale)
    documents = local_list(service, "documents", locale)
    application = []
    if how:
        application.append(t("services-card-how", how=how))
    if documents:
        application.append(t("services-card-documents") + "\n" + _bullets(documents))
    if application:
        blocks.append("\n".join(application))

    terms = []
    fee = local(service, "fee", locale)
    if service.paid:
        terms.append(t("services-card-fee-paid", fee=fee or t("services-card-fee-ask")))
    else:
        terms.append(t("services-card-fee-free"))
    basis = local(service, "fee_basis", locale)
    if basis:
        terms.append(t("services-card-fee-basis", basis=basis))
    for key, name in (
        ("services-card-term", "term"),
        ("services-card-result", "result"),
        ("services-card-delivery", "delivery"),
    ):
        value = local(service, name, locale)
        if value:
            terms.append(t(key, value=value))
    online = local(service, "online", locale)
    if online:
        terms.append(t("services-card-online", value=online))
    elif service.online_url:
        terms.append(t("services-card-online", value=service.online_url))
    blocks.append("\n".join(terms))

    refusal = local(service, "refusal", locale)
    legal = local_list(service, "legal_acts", locale)
    law = []
    if refusal:
        law.append(t("services-card-refusal", value=refusal))
    if legal:
        law.append(t("services-card-legal") + "\n" + _bullets(legal))
    if law:
        blocks.append("\n".join(law))

    if office is not None:
        blocks.append("\n".join(office_lines(t, office)))
        notice = local(office, "notice", locale)
        if notice:
            blocks.append(t("services-card-notice", notice=notice))
    return "\n\n".join(blocks)
