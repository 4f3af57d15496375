"""The claim index ends with the id, so a claim can seek past the rows claimed before it

Revision ID: delivery_0002
Revises: delivery_0001
Create Date: 2026-11-29 14:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "delivery_0002"
down_revision: str | None = "delivery_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD: list[str | sa.TextClause] = ["channel", "status", sa.text("priority DESC"), "next_attempt_at"]


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_claim")
        batch_op.create_index("ix_outbox_claim", [*OLD, "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_claim")
        batch_op.create_index("ix_outbox_claim", OLD, unique=False)
