"""One subscription per address: merge a resident's duplicate subscriptions to one house
(the earliest is kept, with the union of their waste types) and keep new ones out

Before this, subscribing to the same address again created a second subscription and the
resident got every reminder twice.

Revision ID: waste_0002
Revises: waste_0001
Create Date: 2026-12-04 10:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "waste_0002"
down_revision: str | None = "waste_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUBSCRIPTIONS = sa.table(
    "waste_subscriptions",
    sa.column("id", sa.Integer()),
    sa.column("resident_id", sa.Integer()),
    sa.column("zone_id", sa.Integer()),
    sa.column("address", sa.String()),
    sa.column("types", sa.JSON()),
)


def merge_duplicates() -> int:
    """Keep the earliest subscription of each (resident, zone, address), give it every type
    the duplicates had, delete the duplicates; returns how many were deleted."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(SUBSCRIPTIONS).order_by(SUBSCRIPTIONS.c.id)).all()
    groups: dict[tuple[Any, Any, Any], list[Any]] = {}
    for row in rows:
        groups.setdefault((row.resident_id, row.zone_id, row.address), []).append(row)
    deleted = 0
    for group in groups.values():
        if len(group) < 2:
            continue
        keep, duplicates = group[0], group[1:]
        types = list(keep.types or [])
        for duplicate in duplicates:
            types.extend(t for t in duplicate.types or [] if t not in types)
        bind.execute(
            sa.update(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == keep.id).values(types=types)
        )
        bind.execute(
            sa.delete(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id.in_([d.id for d in duplicates]))
        )
        deleted += len(duplicates)
    return deleted


def upgrade() -> None:
    merge_duplicates()
    with op.batch_alter_table("waste_subscriptions", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_waste_subscriptions_resident_id_zone_id_address"),
            ["resident_id", "zone_id", "address"],
        )


def downgrade() -> None:
    with op.batch_alter_table("waste_subscriptions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_waste_subscriptions_resident_id_zone_id_address"), type_="unique"
        )
