"""human handoff: a resident's conversations with the working group and their transcripts

Revision ID: handoff_0001
Revises: 0002
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "handoff_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("taken_by", sa.String(length=160), nullable=True),
        sa.Column("taken_role", sa.String(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=160), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_handoff_conversations_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_conversations")),
    )
    op.create_index(
        op.f("ix_handoff_conversations_resident_id"),
        "handoff_conversations",
        ["resident_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_handoff_conversations_status"), "handoff_conversations", ["status"], unique=False
    )
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("operator", sa.String(length=160), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["handoff_conversations.id"],
            name=op.f("fk_handoff_messages_conversation_id_handoff_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_handoff_messages_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_messages")),
    )
    op.create_index(
        op.f("ix_handoff_messages_conversation_id"),
        "handoff_messages",
        ["conversation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_handoff_messages_resident_id"), "handoff_messages", ["resident_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handoff_messages_resident_id"), table_name="handoff_messages")
    op.drop_index(op.f("ix_handoff_messages_conversation_id"), table_name="handoff_messages")
    op.drop_table("handoff_messages")
    op.drop_index(op.f("ix_handoff_conversations_status"), table_name="handoff_conversations")
    op.drop_index(op.f("ix_handoff_conversations_resident_id"), table_name="handoff_conversations")
    op.drop_table("handoff_conversations")
