"""The plan says what comes after its period (shown to residents once the period ended)

Revision ID: plan_0003
Revises: plan_0002
Create Date: 2026-12-04 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "plan_0003"
down_revision: str | None = "plan_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_steps", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_documents", schema=None) as batch_op:
        batch_op.drop_column("next_steps")
