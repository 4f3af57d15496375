"""Queries of digests (docs/digests.md): preferences, collecting diverted notifications,
and reading and clearing what a due digest covers.

The outbox (bot/delivery/outbox.py) asks `diverting_select` in the same statement as its
mutes, so a chunk of notifications costs no extra statement for digests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Exists,
    Integer,
    Select,
    String,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    delete,
    exists,
    literal,
    literal_column,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.digests import DigestItem, DigestPreference
from storage.models.residents import Resident
from storage.repos.common import dialect_insert, dialect_name, insert_ignoring_conflicts

ITEMS: Table = DigestItem.__table__  # type: ignore[assignment]
DAILY = "daily"
WEEKLY = "weekly"
MODES = (DAILY, WEEKLY)
# The digest categories a resident chooses for, in the order the settings screen lists them:
# the action plan's progress updates, the working group's news (broadcasts that are not
# urgent: collected by bot/delivery/broadcasts.py in its own INSERT … SELECT), changes of
# waste collection days that are not near (dialogs/waste/service.py `change_is_urgent`),
# and the answers to the resident's comments and questions. Reminders are always urgent.
CATEGORIES = ("plan", "news", "waste", "answers")
PLAN, NEWS, WASTE, ANSWERS_CATEGORY = CATEGORIES
ANSWERS = ("plan-answers", "question-answers")
SQLITE_CHUNK = 10_000  # ids in one DELETE: under SQLite's 32,766 bound variables


def digest_category(category: str) -> str | None:
    """The digest category of a notification's category ("plan:c2" → "plan"), or None
    for notifications that are never collected (digests themselves, reports, alerts …)."""
    if category.startswith("plan:"):
        return PLAN
    if category in ANSWERS:
        return ANSWERS_CATEGORY
    if category == "waste":
        return WASTE
    if category == "broadcast":
        return NEWS
    return None


def diverting_select(resident_ids: Iterable[int]) -> Select[int, str, str]:
    """(resident_id, category, "digest") of the residents' digest choices."""
    return select(
        DigestPreference.resident_id,
        DigestPreference.category,
        literal_column("'digest'", String()),
    ).where(DigestPreference.resident_id.in_(sorted(set(resident_ids))))


def item_row(
    *,
    dedup_key: str,
    resident_id: int,
    category: str,
    kind: str,
    template_key: str | None,
    template_args: dict[str, Any],
    text: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "dedup_key": dedup_key[:200],
        "resident_id": resident_id,
        "category": category,
        "kind": kind,
        "template_key": template_key,
        "template_args": template_args,
        "text": text,
        "created_at": now,
    }


async def collect(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Store diverted notifications (`item_row`s), once per dedup key; returns how many
    were new."""
    if not rows:
        return 0
    result = await session.execute(
        insert_ignoring_conflicts(session, ITEMS).returning(ITEMS.c.id), list(rows)
    )
    return len(result.all())


ITEM_COLUMNS = (
    "dedup_key",
    "resident_id",
    "category",
    "kind",
    "template_key",
    "template_args",
    "text",
    "created_at",
)


def chose(resident_id: ColumnElement[int], category: str) -> Exists:
    """ "This resident chose a digest for `category`", for a query's WHERE."""
    return exists().where(
        DigestPreference.resident_id == resident_id, DigestPreference.category == category
    )


async def collect_select(
    session: AsyncSession,
    *,
    dedup_key: ColumnElement[str],
    resident_id: ColumnElement[int],
    category: str,
    kind: str,
    text: str,
    now: datetime,
    where: Sequence[ColumnElement[bool]],
) -> int:
    """Collect one text for many residents in ONE `INSERT … SELECT` (a broadcast's news
    digest items: the residents come from the query's FROM), once per dedup key; returns
    how many were new."""
    rows = select(
        dedup_key,
        resident_id,
        literal(category, String()),
        literal(kind, String()),
        null(),
        literal({}, ITEMS.c.template_args.type),
        literal(text, Text()),
        literal(now, ITEMS.c.created_at.type),
    ).where(*where)
    result = await session.execute(
        dialect_insert(session, ITEMS)
        .from_select(list(ITEM_COLUMNS), rows)
        .on_conflict_do_nothing()
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def drop_collected(session: AsyncSession, dedup_prefix: str) -> int:
    """Forget collected items whose key starts with `dedup_prefix` (a cancelled broadcast's
    `broadcast:<id>:`) before any digest sends them; returns how many."""
    pattern = dedup_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    result = await session.execute(
        delete(ITEMS).where(ITEMS.c.dedup_key.like(pattern, escape="\\"))
    )
    return int(getattr(result, "rowcount", 0) or 0)


class DigestRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def preferences(self, resident_id: int) -> dict[str, DigestPreference]:
        result = await self.session.scalars(
            select(DigestPreference).where(DigestPreference.resident_id == resident_id)
        )
        return {p.category: p for p in result}

    async def choose(
        self, resident_id: int, category: str, mode: str, hour: int, due_at: datetime
    ) -> None:
        """Daily at `hour` or weekly; first due at `due_at` (the next scheduled time)."""
        values = {
            "resident_id": resident_id,
            "category": category,
            "mode": mode,
            "hour": hour,
            "due_at": due_at,
        }
        statement = dialect_insert(self.session, DigestPreference.__table__).values(values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["resident_id", "category"],
                set_={"mode": mode, "hour": hour, "due_at": due_at},
            )
        )

    async def as_it_happens(self, resident_id: int, category: str) -> list[DigestItem]:
        """Drop the choice; returns the items still collected (the caller sends them)."""
        await self.session.execute(
            delete(DigestPreference).where(
                DigestPreference.resident_id == resident_id,
                DigestPreference.category == category,
            )
        )
        items = list(
            await self.session.scalars(
                select(DigestItem)
                .where(DigestItem.resident_id == resident_id, DigestItem.category == category)
                .order_by(DigestItem.id)
            )
        )
        return items

    async def due_residents(self, now: datetime) -> list[int]:
        """The residents with a choice due by `now` that has collected items, in id order
        (a digest run's whole work list, through the index on `due_at`)."""
        has_items = exists().where(
            DigestItem.resident_id == DigestPreference.resident_id,
            DigestItem.category == DigestPreference.category,
        )
        result = await self.session.scalars(
            select(DigestPreference.resident_id)
            .where(DigestPreference.due_at <= now, has_items)
            .distinct()
            .order_by(DigestPreference.resident_id)
        )
        return list(result)

    async def page(
        self, first: int, last: int, now: datetime, cutoffs: Sequence[tuple[str, int, datetime]]
    ) -> list[Any]:
        """What the due digests of residents `first`..`last` (ids) cover, in ONE statement:
        rows (id, resident_id, template_key, args, text, mode, hour, channel, user_id,
        locale) by resident and arrival. `cutoffs` gives, per offered choice
        (mode, hour), the scheduled time it covers up to: a late run must not take items
        that arrived after it into this period's digest. `args` is the template arguments'
        JSON text, decoded only for a text not rendered yet (bot/.. Rendered)."""
        preference = DigestPreference.__table__
        resident = Resident.__table__
        covered = or_(
            *(
                and_(preference.c.mode == mode, preference.c.hour == hour, ITEMS.c.created_at <= at)
                for mode, hour, at in cutoffs
            )
        )
        result = await self.session.execute(
            select(
                ITEMS.c.id,
                ITEMS.c.resident_id,
                ITEMS.c.template_key,
                cast(ITEMS.c.template_args, Text).label("args"),
                ITEMS.c.text,
                preference.c.mode,
                preference.c.hour,
                resident.c.channel,
                resident.c.user_id,
                resident.c.locale,
            )
            .select_from(
                ITEMS.join(
                    preference,
                    and_(
                        preference.c.resident_id == ITEMS.c.resident_id,
                        preference.c.category == ITEMS.c.category,
                    ),
                ).join(resident, resident.c.id == ITEMS.c.resident_id)
            )
            .where(
                ITEMS.c.resident_id.between(first, last),
                preference.c.due_at <= now,
                covered,
            )
            .order_by(ITEMS.c.resident_id, ITEMS.c.created_at, ITEMS.c.id)
        )
        return list(result)

    async def delete_items(self, ids: Sequence[int]) -> None:
        """Delete sent items by id: on PostgreSQL one array parameter (no statement that
        grows with the list), on SQLite in chunks under its limit of bound variables."""
        if not ids:
            return
        if dialect_name(self.session) == "postgresql":
            await self.session.execute(
                delete(ITEMS).where(ITEMS.c.id == any_(bindparam("ids", type_=ARRAY(Integer)))),
                {"ids": list(ids)},
            )
            return
        for start in range(0, len(ids), SQLITE_CHUNK):
            chunk = ids[start : start + SQLITE_CHUNK]
            await self.session.execute(delete(ITEMS).where(ITEMS.c.id.in_(chunk)))

    async def advance(self, mode: str, hour: int, now: datetime, due_at: datetime) -> None:
        """Every choice (`mode`, `hour`) due by `now` is next due at `due_at`."""
        await self.session.execute(
            update(DigestPreference)
            .where(
                DigestPreference.mode == mode,
                DigestPreference.hour == hour,
                DigestPreference.due_at <= now,
            )
            .values(due_at=due_at)
        )
