"""Air-raid alert state, one row per region, shared by every instance

While an alert is active, the senders hold non-urgent notifications (docs/delivery.md,
"Air-raid alerts"). The state comes from an operator's switch or the alerts.in.ua feed.

Revision ID: delivery_0005
Revises: delivery_0004
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "delivery_0005"
down_revision: str | None = "delivery_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_alerts",
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("feed_active", sa.Boolean(), nullable=True),
        sa.Column("feed_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("region", name=op.f("pk_delivery_alerts")),
    )


def downgrade() -> None:
    op.drop_table("delivery_alerts")
