"""waste texts by language: each `<field>_uk`/`<field>_en` pair becomes one JSON column
`{"uk": ..., "en": ...}` (the plan and services tables' convention), so a third language is
data

An empty text is left out of the object (residents read the Ukrainian then, as before).
Downgrading keeps Ukrainian and English; a text in any other language is dropped.

The columns are added and dropped in place (SQLite ≥ 3.35 drops a column natively): a batch
copy of `waste_zones` or `waste_types` would drop the table, and with foreign keys on SQLite
deletes its rows first, which the streets, rules and subscriptions referring to them forbid.

Revision ID: waste_0003
Revises: waste_0002
Create Date: 2026-12-04 16:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "waste_0003"
down_revision: str | None = "waste_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ("uk", "en")

# table → (its key column, the localized fields and the type each `_uk`/`_en` column had)
FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "waste_types": ("code", {"name": sa.String(length=80), "hint": sa.Text()}),
    "waste_zones": ("id", {"name": sa.String(length=160)}),
    "waste_streets": ("id", {"name": sa.String(length=120)}),
    "waste_collection_rules": ("id", {"note": sa.Text()}),
    "waste_collection_exceptions": ("id", {"reason": sa.Text()}),
    "waste_dropoff_points": (
        "id",
        {
            "name": sa.String(length=160),
            "address": sa.String(length=200),
            "hours": sa.String(length=120),
        },
    ),
    "waste_ecobus_stops": ("id", {"place": sa.String(length=200)}),
}


def _key(key: str) -> sa.ColumnClause[Any]:
    return sa.column(key, sa.String(length=40) if key == "code" else sa.Integer())


def _pairs(name: str, key: str, fields: dict[str, Any]) -> sa.TableClause:
    columns = [
        sa.column(f"{field}_{lang}", kind) for field, kind in fields.items() for lang in LANGUAGES
    ]
    return sa.table(name, _key(key), *columns)


def _objects(name: str, key: str, fields: dict[str, Any]) -> sa.TableClause:
    return sa.table(name, _key(key), *(sa.column(f, sa.JSON()) for f in fields))


def upgrade() -> None:
    connection = op.get_bind()
    for name, (key, fields) in FIELDS.items():
        for field in fields:
            op.add_column(
                name, sa.Column(field, sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
            )
        old, new = _pairs(name, key, fields), _objects(name, key, fields)
        for row in connection.execute(sa.select(old)).mappings().all():
            values = {
                field: {
                    lang: row[f"{field}_{lang}"] for lang in LANGUAGES if row[f"{field}_{lang}"]
                }
                for field in fields
            }
            connection.execute(sa.update(new).where(new.c[key] == row[key]).values(**values))
        for field in fields:
            for lang in LANGUAGES:
                op.drop_column(name, f"{field}_{lang}")


def downgrade() -> None:
    connection = op.get_bind()
    for name, (key, fields) in FIELDS.items():
        for field, kind in fields.items():
            for lang in LANGUAGES:
                op.add_column(
                    name,
                    sa.Column(
                        f"{field}_{lang}", kind, server_default=sa.text("''"), nullable=False
                    ),
                )
        old, new = _pairs(name, key, fields), _objects(name, key, fields)
        for row in connection.execute(sa.select(new)).mappings().all():
            values: dict[str, Any] = {}
            for field in fields:
                texts = row[field] or {}
                for lang in LANGUAGES:
                    values[f"{field}_{lang}"] = texts.get(lang) or ""
            connection.execute(sa.update(old).where(old.c[key] == row[key]).values(**values))
        for field in fields:
            op.drop_column(name, field)
