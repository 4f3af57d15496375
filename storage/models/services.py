"""The city services catalogue: offices, categories, services with the fields of the Ukrainian
administrative service information card, and residents' questions to the council.

Texts a resident reads are JSON objects by language, `{"uk": ..., "en": ...}` (the convention
of the plan tables too): a language the city has not written is left out and residents read
the Ukrainian (`bot.core.i18n.localized`), so a third language is data, not a schema change.
Localized lists (documents, legal acts) are `{"uk": [...], "en": [...]}`; phones and keywords
are plain JSON arrays of strings.
`example` marks data the city has not confirmed: residents see it labelled "приклад / example".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage import clock
from storage.models.base import Base


class ServiceOffice(Base):
    """Where residents apply: the administrative services centre (ЦНАП) and its branches."""

    __tablename__ = "services_offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    example: Mapped[bool] = mapped_column(default=False)
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hours_example: Mapped[bool] = mapped_column(default=False)
    phones: Mapped[list[Any]] = mapped_column(default=list)
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    location_example: Mapped[bool] = mapped_column(default=False)
    notice: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class ServiceCategory(Base):
    """A group of services residents browse by (passports, residence, social support…)."""

    __tablename__ = "services_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Service(Base):
    """One administrative service with its information card."""

    __tablename__ = "services_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("services_categories.id", ondelete="RESTRICT"), index=True
    )
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("services_offices.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(default=0)
    example: Mapped[bool] = mapped_column(default=False)
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    how_to_apply: Mapped[dict[str, Any]] = mapped_column(default=dict)
    documents: Mapped[dict[str, Any]] = mapped_column(default=dict)
    paid: Mapped[bool] = mapped_column(default=False)
    fee: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fee_basis: Mapped[dict[str, Any]] = mapped_column(default=dict)
    term: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    delivery: Mapped[dict[str, Any]] = mapped_column(default=dict)
    refusal: Mapped[dict[str, Any]] = mapped_column(default=dict)
    legal_acts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    online: Mapped[dict[str, Any]] = mapped_column(default=dict)
    online_url: Mapped[str] = mapped_column(String(300), default="")
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class ServiceCatalogue(Base):
    """One row: which import the catalogue comes from. Every import writes a new `stamp`, so
    each bot instance notices a change and rebuilds its search index."""

    __tablename__ = "services_catalogue"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(default=0)
    stamp: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(300), default="")
    imported_at: Mapped[datetime] = mapped_column(default=clock.now)


QUESTION_NEW = "new"  # waiting for the working group
QUESTION_ANSWERED = "answered"  # answered; the answer went to the resident's channel
QUESTION_REDIRECTED = "redirected"  # not the council's: the resident was told who handles it
QUESTION_STATES = (QUESTION_NEW, QUESTION_ANSWERED, QUESTION_REDIRECTED)


class ServiceQuestion(Base):
    """A question a resident sent to the council, its answer (or where to turn instead) and
    who gave it; the reference a resident sees is the id."""

    __tablename__ = "services_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    service_code: Mapped[str | None] = mapped_column(String(48), default=None)
    search_query: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=QUESTION_NEW, index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    answered_by: Mapped[str | None] = mapped_column(String(80), default=None)
