"""Outbox claims carry their holder, and count how often an abandoned claim was given back

`claimed_by` names the sender (instance and election term) that claimed a `sending` row, so
a newly elected sender knows at once which claims were abandoned by a sender that no longer
holds the token's lock; `reclaims` counts how many times the row's claim was abandoned and
the row made pending again (each time, the message may reach the resident twice).

Revision ID: delivery_0004
Revises: delivery_0003
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "delivery_0004"
down_revision: str | None = "delivery_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reclaims", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("reclaims")
        batch_op.drop_column("claimed_by")
