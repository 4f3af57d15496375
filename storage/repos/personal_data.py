"""A resident's personal data across every table: export (/mydata) and erasure (/deleteme).

Tables are found from the schema, so a feature's new table is covered without edits here:
every table with a foreign key to `residents.id`, and every table with `channel` + `user_id`
columns. A table's `info` may say how erasure treats it:
  * `{"erasure": "delete"}` (the default) — the resident's rows are deleted;
  * `{"erasure": "anonymize", "personal_columns": (...), "anonymize_values": {...}}` — the
    link to the resident and the listed columns are set to NULL (and the given columns to the
    given values), keeping anonymous aggregates (ratings, votes);
  * `{"erasure": "keep"}` — kept (operators' roles and the audit log: accountability).
A table's `info["export_exclude"]` names columns left out of the export (secrets such as a
password hash, and file contents that would nest earlier exports into later ones).
`info["channel"]` marks a table keyed by `user_id` alone that belongs to one channel.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, and_, delete, false, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, Resident

KEEP = "keep"
ANONYMIZE = "anonymize"


def _resident_fk_columns(table: Table) -> list[Column[Any]]:
    return [
        column
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "residents" and fk.column.name == "id"
    ]


def _by_address(table: Table) -> bool:
    if table.name == "residents" or "user_id" not in table.c:
        return False
    return "channel" in table.c or "channel" in table.info


def personal_tables() -> list[Table]:
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name != "residents" and (_resident_fk_columns(table) or _by_address(table))
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def _where(table: Table, resident: Resident) -> Any:
    conditions = [column == resident.id for column in _resident_fk_columns(table)]
    if _by_address(table):
        if "channel" in table.c:
            conditions.append(
                and_(table.c.channel == resident.channel, table.c.user_id == resident.user_id)
            )
        elif table.info["channel"] == resident.channel:
            conditions.append(table.c.user_id == resident.user_id)
    if not conditions:
        return false()
    return conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]


async def export(session: AsyncSession, resident: Resident) -> dict[str, Any]:
    """Every stored field about the resident, table by table."""
    residents = Base.metadata.tables["residents"]
    own = (await session.execute(select(residents).where(residents.c.id == resident.id))).one()
    data: dict[str, Any] = {"residents": [{k: _plain(v) for k, v in own._mapping.items()}]}
    for table in personal_tables():
        excluded = set(table.info.get("export_exclude", ()))
        rows = (await session.execute(select(table).where(_where(table, resident)))).all()
        if rows:
            data[table.name] = [
                {k: _plain(v) for k, v in row._mapping.items() if k not in excluded} for row in rows
            ]
    return data


async def erase(session: AsyncSession, resident: Resident) -> None:
    """Remove the resident's personal data, keeping only anonymous aggregates."""
    await session.flush()
    for table in reversed(personal_tables()):
        policy = table.info.get("erasure", "delete")
        if policy == KEEP:
            continue
        if policy == ANONYMIZE:
            values: dict[str, Any] = {c.name: None for c in _resident_fk_columns(table)}
            values.update({name: None for name in table.info.get("personal_columns", ())})
            values.update(table.info.get("anonymize_values", {}))
            await session.execute(update(table).where(_where(table, resident)).values(values))
        else:
            await session.execute(delete(table).where(_where(table, resident)))
    await session.execute(delete(Resident).where(Resident.id == resident.id))
