"""Linking channels: one profile for a person's Telegram, Viber and web chats

`residents.profile_id` names the linked resident that holds the shared profile (NULL for the
holder and for residents linked to no one); `residents.notify_here` marks the channel a
person chose for notifications. `linking_codes` are the one-time codes (ten minutes, single
use); `linking_guesses` bounds wrong guesses per resident (docs/linking.md).

Revision ID: linking_0001
Revises: 0002
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "linking_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("residents", sa.Column("profile_id", sa.Integer(), nullable=True))
    op.add_column(
        "residents",
        sa.Column("notify_here", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_index(op.f("ix_residents_profile_id"), "residents", ["profile_id"], unique=False)
    op.create_table(
        "linking_codes",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_linking_codes_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_linking_codes")),
    )
    op.create_index(
        op.f("ix_linking_codes_resident_id"), "linking_codes", ["resident_id"], unique=False
    )
    op.create_table(
        "linking_guesses",
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wrong", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_linking_guesses_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_linking_guesses")),
    )


def downgrade() -> None:
    op.drop_table("linking_guesses")
    op.drop_index(op.f("ix_linking_codes_resident_id"), table_name="linking_codes")
    op.drop_table("linking_codes")
    op.drop_index(op.f("ix_residents_profile_id"), table_name="residents")
    # Plain DROP COLUMN (SQLite 3.35+), never a copy of `residents`: with foreign keys on,
    # dropping the old table would cascade through every table that refers to it.
    op.drop_column("residents", "notify_here")
    op.drop_column("residents", "profile_id")
