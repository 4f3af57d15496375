"""Digests: a resident's daily or weekly digest per category, and the collected items

`digest_preferences` (resident, digest category → daily at an hour or weekly, and its next
scheduled time, indexed); `digest_items` (notifications diverted from the outbox,
unique by their dedup key) — docs/digests.md.

Revision ID: digests_0001
Revises: 0002
Create Date: 2026-12-04 16:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "digests_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_preferences",
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_digest_preferences_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resident_id", "category", name=op.f("pk_digest_preferences")),
    )
    op.create_index("ix_digest_preferences_due", "digest_preferences", ["due_at"], unique=False)
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedup_key", sa.String(length=200), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("template_key", sa.String(length=64), nullable=True),
        sa.Column("template_args", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_digest_items_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_items")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_digest_items_dedup_key")),
    )
    op.create_index(
        "ix_digest_items_resident", "digest_items", ["resident_id", "category"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_digest_items_resident", table_name="digest_items")
    op.drop_table("digest_items")
    op.drop_index("ix_digest_preferences_due", table_name="digest_preferences")
    op.drop_table("digest_preferences")
