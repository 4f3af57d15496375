"""services texts by language: each `<field>_uk`/`<field>_en` pair becomes one JSON column
`{"uk": ..., "en": ...}` (the plan tables' convention), so a third language is data

An empty text is left out of the object (residents read the Ukrainian then, as before).
Downgrading keeps Ukrainian and English; a text in any other language is dropped.

The columns are added and dropped in place (SQLite ≥ 3.35 drops a column natively): a batch
copy of `services_offices` or `services_categories` would drop the table, and with foreign
keys on SQLite deletes its rows first, which the services referring to them forbid.

Revision ID: services_0003
Revises: services_0002
Create Date: 2026-12-04 15:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "services_0003"
down_revision: str | None = "services_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ("uk", "en")

# table → the localized fields and the type each `_uk`/`_en` column had (services_0001)
FIELDS: dict[str, dict[str, Any]] = {
    "services_offices": {
        "name": sa.String(length=200),
        "address": sa.String(length=300),
        "hours": sa.Text(),
        "notice": sa.Text(),
    },
    "services_categories": {"title": sa.String(length=200)},
    "services_services": {
        "name": sa.String(length=200),
        "description": sa.Text(),
        "how_to_apply": sa.Text(),
        "documents": sa.JSON(),
        "fee": sa.Text(),
        "fee_basis": sa.Text(),
        "term": sa.Text(),
        "result": sa.Text(),
        "delivery": sa.Text(),
        "refusal": sa.Text(),
        "legal_acts": sa.JSON(),
        "online": sa.Text(),
    },
}


def _pairs(name: str, fields: dict[str, Any]) -> sa.TableClause:
    columns = [
        sa.column(f"{field}_{lang}", kind) for field, kind in fields.items() for lang in LANGUAGES
    ]
    return sa.table(name, sa.column("id", sa.Integer()), *columns)


def _objects(name: str, fields: dict[str, Any]) -> sa.TableClause:
    return sa.table(name, sa.column("id", sa.Integer()), *(sa.column(f, sa.JSON()) for f in fields))


def _empty(kind: Any) -> sa.TextClause:
    return sa.text("'[]'") if isinstance(kind, sa.JSON) else sa.text("''")


def upgrade() -> None:
    connection = op.get_bind()
    for name, fields in FIELDS.items():
        for field in fields:
            op.add_column(
                name, sa.Column(field, sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
            )
        old, new = _pairs(name, fields), _objects(name, fields)
        for row in connection.execute(sa.select(old)).mappings().all():
            values = {
                field: {
                    lang: row[f"{field}_{lang}"] for lang in LANGUAGES if row[f"{field}_{lang}"]
                }
                for field in fields
            }
            connection.execute(sa.update(new).where(new.c.id == row["id"]).values(**values))
        for field in fields:
            for lang in LANGUAGES:
                op.drop_column(name, f"{field}_{lang}")


def downgrade() -> None:
    connection = op.get_bind()
    for name, fields in FIELDS.items():
        for field, kind in fields.items():
            for lang in LANGUAGES:
                op.add_column(
                    name,
                    sa.Column(f"{field}_{lang}", kind, server_default=_empty(kind), nullable=False),
                )
        old, new = _pairs(name, fields), _objects(name, fields)
        for row in connection.execute(sa.select(new)).mappings().all():
            values: dict[str, Any] = {}
            for field, kind in fields.items():
                texts = row[field] or {}
                for lang in LANGUAGES:
                    empty: Any = [] if isinstance(kind, sa.JSON) else ""
                    values[f"{field}_{lang}"] = texts.get(lang) or empty
            connection.execute(sa.update(old).where(old.c.id == row["id"]).values(**values))
        for field in fields:
            op.drop_column(name, field)
