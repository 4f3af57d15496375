"""Drop ix_outbox_due: ix_outbox_claim serves the same lookups, and each index costs inserts

Revision ID: delivery_0003
Revises: delivery_0002
Create Date: 2026-11-29 15:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "delivery_0003"
down_revision: str | None = "delivery_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_due", ["channel", "status", "next_attempt_at"], unique=False
        )
