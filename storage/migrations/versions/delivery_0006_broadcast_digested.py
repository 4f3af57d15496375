"""A broadcast counts the residents who get it in their news digest

A broadcast that is not urgent goes into the news digest of the residents who chose one
(docs/digests.md) instead of the outbox; `digested` counts them, so the preview, the
progress and the author's report count people, not only the messages sent at once.

Revision ID: delivery_0006
Revises: delivery_0005
Create Date: 2026-12-04 22:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "delivery_0006"
down_revision: str | None = "delivery_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_broadcasts") as batch:
        batch.add_column(sa.Column("digested", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("delivery_broadcasts") as batch:
        batch.drop_column("digested")
