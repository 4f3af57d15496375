"""Linked channels in the database: who holds a person's profile, and moving a profile's rows
from one resident to another (docs/linking.md).

A person's linked residents (one per channel) share one profile. Its rows — every row of a
table that refers to `residents.id`, except the few that belong to one chat (`PER_CHAT`) —
point at one of them, the holder; the others name the holder in `residents.profile_id`.
The holder is also where notifications go, so every feature that writes "one row per
resident" (a follow, a subscription, a vote) is one row per person, and its notifications
one message per person, without knowing about linking.

`holder_for_turn` runs at the start of a linked resident's turn (the core calls it, so it
lives here, below the features): it finds the holder and, when the person's preferred
channel changed (the channel last used, unless they chose one), moves the profile there.
The rules of linking (codes, guesses, which profile wins a merge) are the linking
feature's service (dialogs/linking/service.py); this module only moves rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Table, UniqueConstraint, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, Resident
from storage.models.outbox import PENDING, OutboxMessage

# Tables whose rows belong to one chat, not to the person: the conversation on that channel,
# its flood window, its one-day downloads, the web page's pending messages, linking's own
# codes and guesses. The outbox is moved apart (`_move_outbox`).
PER_CHAT = frozenset(
    {
        "dialog_states",
        "access_flood",
        "access_downloads",
        "web_pending",
        "linking_codes",
        "linking_guesses",
        "outbox",
    }
)
# Channels that hold a profile only when the person chose them: a web page may never be
# opened again, and the console is a terminal.
NOT_BY_DEFAULT = frozenset({"web", "console"})
PAID = frozenset({"viber"})  # the city pays per message (docs/linking.md)


def _resident_columns(table: Table) -> list[Column[Any]]:
    return [
        column
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "residents" and fk.column.name == "id"
    ]


def profile_tables() -> list[tuple[Table, Column[Any]]]:
    """(table, column) pairs of the profile's rows: found from the schema, so a feature's new
    table moves with the profile without an edit here."""
    return [
        (table, column)
        for table in Base.metadata.sorted_tables
        if table.name not in PER_CHAT and table.name != "residents"
        for column in _resident_columns(table)
    ]


def _unique_keys(table: Table, column: Column[Any]) -> list[list[Column[Any]]]:
    """The other columns of each unique key that includes `column` (a primary key, a unique
    constraint or index): two rows that agree on them cannot both belong to one resident."""
    keys: list[list[Column[Any]]] = []
    candidates = [list(table.primary_key.columns)]
    candidates += [
        list(constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    candidates += [list(index.columns) for index in table.indexes if index.unique]
    for columns in candidates:
        if any(c.name == column.name for c in columns):
            keys.append([c for c in columns if c.name != column.name])
    return keys


async def move_rows(session: AsyncSession, source: Resident, target: Resident) -> None:
    """Give `source`'s profile rows to `target`. Where both have a row that may exist only
    once per resident (two votes in one poll, one commitment followed twice, two
    subscriptions to one address), the earlier row stays (by `created_at`; without it,
    `target`'s); the other is deleted. Pending notifications follow the profile to
    `target`'s chat; the outbox's history is kept as it was sent."""
    await session.flush()
    for table, column in profile_tables():
        for others in _unique_keys(table, column):
            twin = table.alias("twin")
            same = [twin.c[c.name] == c for c in others]
            if "created_at" in table.c:
                await session.execute(
                    delete(table).where(
                        column == target.id,
                        exists().where(
                            twin.c[column.name] == source.id,
                            *same,
                            twin.c.created_at < table.c.created_at,
                        ),
                    )
                )
            await session.execute(
                delete(table).where(
                    column == source.id,
                    exists().where(twin.c[column.name] == target.id, *same),
                )
            )
        await session.execute(update(table).where(column == source.id).values({column: target.id}))
    await _move_outbox(session, source, target)


async def _move_outbox(session: AsyncSession, source: Resident, target: Resident) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.resident_id == source.id, OutboxMessage.status == PENDING)
        .values(resident_id=target.id, channel=target.channel, user_id=target.user_id)
    )


async def members(session: AsyncSession, holder_id: int) -> list[Resident]:
    """The holder and the residents linked to it, oldest first."""
    found = await session.scalars(
        select(Resident)
        .where(or_(Resident.id == holder_id, Resident.profile_id == holder_id))
        .order_by(Resident.created_at, Resident.id)
    )
    return list(found)


def choose_holder(
    people: Sequence[Resident], last_used: Resident | None, *, prefer_free: bool
) -> Resident:
    """Where a person's notifications go: the channel they chose (while it is active), else
    the channel last used — a free one before Viber when the city prefers free channels,
    and never the web page or the console unless chosen."""
    active = [m for m in people if m.is_active] or list(people)
    chosen = [m for m in active if m.notify_here]
    if chosen:
        return chosen[0]
    candidates = [m for m in active if m.channel not in NOT_BY_DEFAULT] or active
    if prefer_free:
        candidates = [m for m in candidates if m.channel not in PAID] or candidates
    if last_used is not None and last_used in candidates:
        return last_used
    return max(candidates, key=lambda m: (m.last_seen_at, m.id))


async def make_holder(
    session: AsyncSession, people: Sequence[Resident], holder: Resident, new: Resident
) -> Resident:
    """Move the profile from `holder` to `new` (both in `people`): rows, language, and every
    member's pointer. Returns `new`."""
    if new.id == holder.id:
        return holder
    await move_rows(session, holder, new)
    new.locale, new.locale_chosen = holder.locale, holder.locale_chosen
    for member in people:
        member.profile_id = None if member.id == new.id else new.id
    await session.flush()
    return new


async def holder_for_turn(session: AsyncSession, own: Resident, *, prefer_free: bool) -> Resident:
    """The resident whose profile this turn works on: `own` itself when it is linked to no
    one (no query at all), else the holder — moved to `own` first when the person's
    notifications should now go here. The holder's row is locked (PostgreSQL) so two
    channels of one person do not move the profile at once."""
    if own.profile_id is None:
        # Linked to no one, or the holder itself: nothing to look up or move.
        return own
    holder = await session.get(Resident, own.profile_id, with_for_update=True)
    if holder is None:  # erased meanwhile: this channel stands alone again
        own.profile_id = None
        return own
    people = await members(session, holder.id)
    if len(people) < 2:
        own.profile_id = None
        return own
    return await make_holder(
        session, people, holder, choose_holder(people, own, prefer_free=prefer_free)
    )


async def after_lifecycle(session: AsyncSession, own: Resident, *, prefer_free: bool) -> None:
    """A holder that blocked or left the bot gives the profile to an active linked channel."""
    if own.is_active or own.profile_id is not None:
        return
    people = await members(session, own.id)
    if len(people) > 1:
        await make_holder(
            session, people, own, choose_holder(people, None, prefer_free=prefer_free)
        )


def one_per_person() -> Any:
    """Residents that hold a profile or stand alone: count these to count people."""
    return Resident.profile_id.is_(None)
