"""Ratings and votes outlive a resident's erasure, anonymously (resident_id nullable)

Revision ID: plan_0002
Revises: plan_0001
Create Date: 2026-11-29 14:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "plan_0002"
down_revision: str | None = "plan_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("plan_feedback", "plan_votes")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    for table in TABLES:
        op.execute(sa.text(f"DELETE FROM {table} WHERE resident_id IS NULL"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=False)
