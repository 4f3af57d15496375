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
    Select,
    String,
    Table,
    delete,
    exists,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.digests import DigestItem, DigestPreference
from storage.repos.common import dialect_insert, insert_ignoring_conflicts

ITEMS: Table = DigestItem.__table__  # type: ignore[assignment]
DAILY = "daily"
WEEKLY = "weekly"
MODES = (DAILY, WEEKLY)
# The digest categories a resident chooses for, in the order the settings screen lists them:
# the action plan's progress updates, and the answers to the resident's comments and
# questions. (Waste notices are urgent and operator broadcasts are inserted in bulk by
# bot/delivery/broadcasts.py, not through `enqueue`: neither could be collected.)
CATEGORIES = ("plan", "answers")
ANSWERS = ("plan-answers", "question-answers")


def digest_category(category: str) -> str | None:
    """The digest category of a notification's category ("plan:c2" → "plan"), or None
    for notifications that are never collected (waste, broadcasts, digests themselves)."""
    if category.startswith("plan:"):
        return "plan"
    if category in ANSWERS:
        return "answers"
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

    async def due(self, now: datetime) -> list[tuple[int, str, str, int]]:
        """(resident_id, category, mode, hour) of the choices due by `now` that have
        collected items, by resident (a digest run's whole work list, through the index)."""
        has_items = exists().where(
            DigestItem.resident_id == DigestPreference.resident_id,
            DigestItem.category == DigestPreference.category,
        )
        result = await self.session.execute(
            select(
                DigestPreference.resident_id,
                DigestPreference.category,
                DigestPreference.mode,
                DigestPreference.hour,
            )
            .where(DigestPreference.due_at <= now, has_items)
            .order_by(DigestPreference.resident_id, DigestPreference.category)
        )
        return [(r, c, m, h) for r, c, m, h in result]

    async def items(self, keys: Sequence[tuple[int, str]], until: datetime) -> list[Any]:
        """Rows (id, resident_id, category, created_at, template_key, template_args, text)
        collected for the choices `keys` up to `until`, by resident and arrival."""
        if not keys:
            return []
        result = await self.session.execute(
            select(
                ITEMS.c.id,
                ITEMS.c.resident_id,
                ITEMS.c.category,
                ITEMS.c.created_at,
                ITEMS.c.template_key,
                ITEMS.c.template_args,
                ITEMS.c.text,
            )
            .where(
                tuple_(ITEMS.c.resident_id, ITEMS.c.category).in_(keys),
                ITEMS.c.created_at <= until,
            )
            .order_by(ITEMS.c.resident_id, ITEMS.c.created_at, ITEMS.c.id)
        )
        return list(result)

    async def delete_items(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(delete(ITEMS).where(ITEMS.c.id.in_(ids)))

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
