"""Opening a turn: claim the platform event, upsert and lock the resident, load the dialog
state and stored role, count the message on the flood window.

On PostgreSQL this is ONE statement (data-modifying CTEs): each statement of a turn is a
round trip that costs the server more CPU than the work it carries (docs/benchmarks.md,
issue 18). SQLite cannot modify data in a CTE; there, and whenever the one statement cannot
vouch for what it read, the same work runs as separate statements.

Why the one statement can fail to vouch: it reads the dialog state from the snapshot taken
when it starts, but it may wait for the resident's row lock — another instance running a
turn of the same resident. When that turn commits, its state is newer than the snapshot. So
the resident's upsert only updates the row when it is still the version the snapshot holds
(`xmin`, the transaction that wrote the row); otherwise the row is locked but not returned,
and the turn reads everything again in statements of their own, each with a fresh snapshot,
under the lock it now holds. Every turn updates the resident's row first (`last_seen_at`),
so a turn that committed after the snapshot always shows. This rests on one rule: a chat's
dialog state and flood window are written only by that chat's turns (which update the
resident's row); a writer that merely locked the row (`SELECT … FOR UPDATE`) would leave
`xmin` unchanged and go unseen."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Boolean, and_, bindparam, exists, false, literal, or_, select, text, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DialogState, Resident
from storage.models.access import Role
from storage.repos.access import (
    FLOOD,
    FloodRepo,
    FloodRule,
    FloodVerdict,
    count_flood,
    flood_binds,
    flood_verdict,
)
from storage.repos.common import dialect_name
from storage.repos.inbox import CLAIM_DONE, KNOWN, InboxRepo
from storage.repos.residents import (
    RESIDENTS,
    ResidentRepo,
    resident_row,
    stored_display_name,
    touch_resident,
)


class TurnKey(NamedTuple):
    """Who a turn is for and what arrived: `event_id` None for input no platform recorded
    (nothing to claim)."""

    channel: str
    user_id: str
    event_id: str | None
    locale: str
    display_name: str | None


class OpenedTurn(NamedTuple):
    resident: Resident
    created: bool
    state: DialogState
    stored_role: str | None
    flood: FloodVerdict | None  # None: not counted (a lifecycle event)


# The resident's row is still the version this statement's snapshot holds.
_UNCHANGED = text(
    "residents.xmin = (SELECT seen.xmin FROM residents AS seen WHERE seen.id = residents.id)"
)


@functools.cache
def _open_statement() -> Any:
    """The turn's opening on PostgreSQL, built once. One row: whether the event was claimed
    and whether it was known, then — when the turn runs — the resident, the dialog state,
    the flood window's count and the stored role."""
    claimed = CLAIM_DONE.cte("claimed")
    head = select(exists(select(claimed.c.id)).label("claimed"), exists(KNOWN).label("known")).cte(
        "head"
    )
    row = resident_row()
    runs = or_(head.c.claimed, ~head.c.known)  # claimed now, or never recorded
    insert = postgresql.insert(RESIDENTS).from_select(
        list(row), select(*row.values()).select_from(head).where(runs)
    )
    resident = touch_resident(insert, where=_UNCHANGED).returning(*RESIDENTS.c).cte("resident")
    window = postgresql.insert(FLOOD).from_select(
        ["resident_id", "window_start", "count", "warned"],
        select(
            resident.c.id,
            bindparam("b_now", type_=FLOOD.c.window_start.type),
            literal(1),
            false(),
        ).where(bindparam("b_count_flood", type_=Boolean)),
    )
    flood = count_flood(window).cte("flood")
    states = DialogState.__table__
    roles = Role.__table__
    rows = (
        select(resident, states, head.c.claimed, head.c.known, flood.c.count, roles.c.role)
        .select_from(head)
        .outerjoin(resident, true())
        .outerjoin(states, states.c.resident_id == resident.c.id)
        .outerjoin(flood, true())
        .outerjoin(
            roles,
            and_(
                roles.c.channel == bindparam("b_channel"),
                roles.c.user_id == bindparam("b_user_id"),
            ),
        )
    )
    return select(
        Resident, DialogState, head.c.claimed, head.c.known, flood.c.count, roles.c.role
    ).from_statement(rows)


async def open_turn(
    session: AsyncSession, key: TurnKey, now: datetime, flood: FloodRule | None
) -> OpenedTurn | None:
    """Open a turn in the caller's transaction; None when the event is a duplicate (done
    already: nothing of the turn may run). The claim marks the event done — a failed turn
    rolls it back with everything else, and the sweeper runs the event again."""
    if dialect_name(session) != "postgresql":
        return await _in_steps(session, key, now, flood, claim=True)
    binds = {
        "b_channel": key.channel,
        "b_user_id": key.user_id,
        "b_event_id": key.event_id,
        "b_locale": key.locale,
        "b_display_name": stored_display_name(key.display_name),
        "b_now": now,
        "b_count_flood": flood is not None,
        # Not counted (`b_count_flood` false): the window's binds are there but unused.
        **(flood_binds(flood, now) if flood is not None else {"b_floor": now, "b_limit": 0}),
    }
    resident, state, claimed, known, count, role = (
        await session.execute(_open_statement(), binds)
    ).one()
    if known and not claimed:
        return None
    if resident is None:  # another turn of this resident committed meanwhile: read again
        return await _in_steps(session, key, now, flood, claim=False)
    verdict = None if flood is None else flood_verdict(count, flood.limit)
    state = ResidentRepo(session).fresh_state(resident.id, state)
    return OpenedTurn(resident, resident.created_at == now, state, role, verdict)


async def _in_steps(
    session: AsyncSession, key: TurnKey, now: datetime, flood: FloodRule | None, *, claim: bool
) -> OpenedTurn | None:
    duplicate = (
        claim
        and key.event_id is not None
        and await InboxRepo(session).claim_done(key.channel, key.event_id) is False
    )
    if duplicate:
        return None
    rows = await ResidentRepo(session).begin_turn(
        key.channel, key.user_id, locale=key.locale, display_name=key.display_name, now=now
    )
    verdict = None
    if flood is not None:
        verdict = await FloodRepo(session).count(rows.resident.id, now, flood)
    return OpenedTurn(rows.resident, rows.created, rows.state, rows.stored_role, verdict)
