"""delivery: muted categories, operator broadcasts, the outbox claim index

Revision ID: delivery_0001
Revises: 0002
Create Date: 2026-11-29 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "delivery_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_mutes",
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_delivery_mutes_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resident_id", "category", name=op.f("pk_delivery_mutes")),
    )
    op.create_table(
        "delivery_broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_channel", sa.String(length=16), nullable=True),
        sa.Column("author_user_id", sa.String(length=128), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link_label", sa.String(length=64), nullable=True),
        sa.Column("link_url", sa.String(length=500), nullable=True),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("audience_value", sa.String(length=64), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_broadcasts")),
    )
    with op.batch_alter_table("delivery_broadcasts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_delivery_broadcasts_due", ["status", "scheduled_at"], unique=False
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_claim",
            ["channel", "status", sa.text("priority DESC"), "next_attempt_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_claim")
    with op.batch_alter_table("delivery_broadcasts", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_broadcasts_due")
    op.drop_table("delivery_broadcasts")
    op.drop_table("delivery_mutes")
