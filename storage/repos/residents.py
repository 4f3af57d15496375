"""Residents, their dialog state, and the bound on what one resident can store by pressing
buttons (muted categories)."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, and_, bindparam, delete, false, func, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.models import DialogState, Resident
from storage.models.access import Role
from storage.models.delivery import DeliveryMute
from storage.repos.common import dialect_module, dialect_name

# A mute is a button press (`g:mute:<category>`) that anyone can forge with any category, so
# one resident could add rows without end: at most this many muted categories each (the
# city has a handful: waste, broadcasts, answers, one per commitment).
MAX_MUTES = 50


# The statements of every turn are built once (building one costs more than running it on a
# warm connection; a built statement's cache key is memoized), values bound per turn.
_TURN_ROWS = (
    select(Resident, DialogState, Role.role)
    .select_from(Resident)
    .outerjoin(DialogState, DialogState.resident_id == Resident.id)
    .outerjoin(Role, and_(Role.channel == Resident.channel, Role.user_id == Resident.user_id))
    .where(Resident.id == bindparam("resident_id"))
)


RESIDENTS: Table = Resident.__table__  # type: ignore[assignment]


_NAME_LENGTH: int = Resident.__table__.c.display_name.type.length  # type: ignore[attr-defined]


def stored_display_name(name: str | None) -> str | None:
    """A platform's display name as the column keeps it (cut to its length; None if empty)."""
    return name[:_NAME_LENGTH] if name else None


def resident_row() -> dict[str, Any]:
    """A turn's new resident, as column → value (binds `b_channel`, `b_user_id`,
    `b_locale`, `b_display_name`, `b_now`)."""
    now = bindparam("b_now", type_=RESIDENTS.c.last_seen_at.type)
    return {
        "channel": bindparam("b_channel", type_=RESIDENTS.c.channel.type),
        "user_id": bindparam("b_user_id", type_=RESIDENTS.c.user_id.type),
        "locale": bindparam("b_locale", type_=RESIDENTS.c.locale.type),
        "locale_chosen": false(),
        "display_name": bindparam("b_display_name", type_=RESIDENTS.c.display_name.type),
        "is_active": true(),
        "created_at": now,
        "last_seen_at": now,
        "notify_here": false(),
    }


def touch_resident(insert: Any, **conflict: Any) -> Any:
    """`insert` of `resident_row` as an upsert: a known resident gets `last_seen_at` (and a
    changed display name); the update locks the row until the transaction ends."""
    return insert.on_conflict_do_update(
        index_elements=["channel", "user_id"],
        set_={
            "last_seen_at": insert.excluded.last_seen_at,
            "display_name": func.coalesce(insert.excluded.display_name, RESIDENTS.c.display_name),
        },
        **conflict,
    )


@functools.cache
def _upsert_statement(dialect: str) -> Any:
    """`INSERT … ON CONFLICT DO UPDATE … RETURNING id, created_at` of a turn's resident, for
    the dialect. On the table, not the mapped class: an ORM-enabled INSERT with parameters
    takes the ORM's bulk path, which annotates the statement and walks its cache key again
    on every run (profiled: ~5 % of a turn's CPU); the row is loaded with the turn's other
    rows instead (`_TURN_ROWS`)."""
    insert = dialect_module(dialect).insert(RESIDENTS).values(resident_row())
    return touch_resident(insert).returning(RESIDENTS.c.id, RESIDENTS.c.created_at)


class TurnRows(NamedTuple):
    resident: Resident
    created: bool
    state: DialogState
    stored_role: str | None


class ResidentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert_for_turn(
        self, channel: str, user_id: str, *, locale: str, display_name: str | None = None
    ) -> tuple[Resident, bool]:
        """`begin_turn` for callers that need only the resident: (resident, created)."""
        rows = await self.begin_turn(channel, user_id, locale=locale, display_name=display_name)
        return rows.resident, rows.created

    async def begin_turn(
        self,
        channel: str,
        user_id: str,
        *,
        locale: str,
        display_name: str | None = None,
        now: datetime | None = None,
    ) -> TurnRows:
        """What a turn needs before it runs, in two statements.

        First create the resident if new, note `last_seen_at` (and a changed display name),
        and lock the row for this turn — `INSERT … ON CONFLICT DO UPDATE … RETURNING`. The
        update takes the row lock on PostgreSQL (held to the end of the transaction), so
        one resident's turns run one at a time across instances; SQLite has one writer
        anyway (`BEGIN IMMEDIATE`). `created` compares `created_at` with this turn's time.

        Then one query for the resident, the dialog state (a new, pending one when the
        resident has none) and the role an admin stored (None: the settings decide).

        On PostgreSQL a turn opens in one statement instead (storage/repos/turns.py); this is
        its path on SQLite and when another instance changed the resident meanwhile."""
        now = now or clock.now()
        name = stored_display_name(display_name)
        resident_id, created_at = (
            await self.session.execute(
                _upsert_statement(dialect_name(self.session)),
                {
                    "b_channel": channel,
                    "b_user_id": user_id,
                    "b_locale": locale,
                    "b_display_name": name,
                    "b_now": now,
                },
            )
        ).one()
        row = (
            await self.session.execute(
                _TURN_ROWS,
                {"resident_id": resident_id},
                execution_options={"populate_existing": True},
            )
        ).one()
        resident, state, role = row
        return TurnRows(resident, created_at == now, self.fresh_state(resident.id, state), role)

    def fresh_state(self, resident_id: int, state: DialogState | None) -> DialogState:
        """`state`, or a new, pending one when the resident has none yet."""
        if state is None:
            state = DialogState(resident_id=resident_id, data={}, offered=[], numbered=[])
            self.session.add(state)
        return state

    async def get(self, channel: str, user_id: str) -> Resident | None:
        return (
            await self.session.execute(
                select(Resident).where(Resident.channel == channel, Resident.user_id == user_id)
            )
        ).scalar_one_or_none()

    async def by_id(self, resident_id: int | None) -> Resident | None:
        if resident_id is None:  # e.g. feedback kept anonymously after /deleteme
            return None
        return await self.session.get(Resident, resident_id)

    async def set_active(self, resident: Resident, active: bool, when: datetime) -> None:
        if resident.is_active == active:
            return
        resident.is_active = active
        resident.inactive_since = None if active else when

    async def mark_inactive(self, channel: str, user_id: str) -> None:
        resident = await self.get(channel, user_id)
        if resident is not None:
            await self.set_active(resident, False, clock.now())

    async def state(self, resident: Resident) -> DialogState:
        return self.fresh_state(resident.id, await self.session.get(DialogState, resident.id))

    async def may_mute(self, resident_id: int, category: str) -> bool:
        """Whether muting `category` keeps the resident within MAX_MUTES (a category muted
        already always may be muted again)."""
        if await self.session.get(DeliveryMute, (resident_id, category)) is not None:
            return True
        count = await self.session.execute(
            select(func.count())
            .select_from(DeliveryMute)
            .where(DeliveryMute.resident_id == resident_id)
        )
        return int(count.scalar_one()) < MAX_MUTES


async def trim_mutes(session: AsyncSession) -> int:
    """Delete mute rows past each resident's first MAX_MUTES (the oldest are kept): rows a
    forged button made before the bound existed. The retention job calls this."""
    ranked = select(
        DeliveryMute.resident_id,
        DeliveryMute.category,
        func.row_number()
        .over(
            partition_by=DeliveryMute.resident_id,
            order_by=(DeliveryMute.created_at, DeliveryMute.category),
        )
        .label("rank"),
    ).subquery()
    extra = select(ranked.c.resident_id, ranked.c.category).where(ranked.c.rank > MAX_MUTES)
    result: Any = await session.execute(
        delete(DeliveryMute).where(
            tuple_(DeliveryMute.resident_id, DeliveryMute.category).in_(extra)
        )
    )
    return int(result.rowcount or 0)
