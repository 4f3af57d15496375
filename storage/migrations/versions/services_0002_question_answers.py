"""Residents' questions get answers: the answer, when and by whom; the status is indexed for
the working group's inbox (new → answered | redirected)

Revision ID: services_0002
Revises: services_0001
Create Date: 2026-12-04 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "services_0002"
down_revision: str | None = "services_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("services_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("answered_by", sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f("ix_services_questions_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("services_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_questions_status"))
        batch_op.drop_column("answered_by")
        batch_op.drop_column("answered_at")
        batch_op.drop_column("answer")
