"""web chat pending messages, operator console sessions and lock-outs

Revision ID: web_0001
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "web_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_pending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_web_pending_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_pending")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_web_pending_user", "web_pending", ["user_id", "id"], unique=False)
    op.create_index(
        op.f("ix_web_pending_resident_id"), "web_pending", ["resident_id"], unique=False
    )
    op.create_table(
        "web_admin_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=160), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_admin_sessions")),
    )
    op.create_index(
        op.f("ix_web_admin_sessions_account"), "web_admin_sessions", ["account"], unique=False
    )
    op.create_table(
        "web_admin_lockouts",
        sa.Column("account", sa.String(length=160), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_web_admin_lockouts")),
    )


def downgrade() -> None:
    op.drop_table("web_admin_lockouts")
    op.drop_index(op.f("ix_web_admin_sessions_account"), table_name="web_admin_sessions")
    op.drop_table("web_admin_sessions")
    op.drop_index(op.f("ix_web_pending_resident_id"), table_name="web_pending")
    op.drop_index("ix_web_pending_user", table_name="web_pending")
    op.drop_table("web_pending")
