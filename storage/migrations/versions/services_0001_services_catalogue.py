"""services catalogue: offices, categories, services, catalogue stamp, residents' questions

Revision ID: services_0001
Revises: 0002
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "services_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _texts(*names: str) -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(f"{name}_{lang}", sa.Text(), nullable=False)
        for name in names
        for lang in ("uk", "en")
    ]


def upgrade() -> None:
    op.create_table(
        "services_offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("name_uk", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("address_uk", sa.String(length=300), nullable=False),
        sa.Column("address_en", sa.String(length=300), nullable=False),
        sa.Column("hours_uk", sa.Text(), nullable=False),
        sa.Column("hours_en", sa.Text(), nullable=False),
        sa.Column("hours_example", sa.Boolean(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("location_example", sa.Boolean(), nullable=False),
        sa.Column("notice_uk", sa.Text(), nullable=False),
        sa.Column("notice_en", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_offices")),
        sa.UniqueConstraint("code", name=op.f("uq_services_offices_code")),
    )
    op.create_table(
        "services_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_uk", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_services_categories_code")),
    )
    op.create_table(
        "services_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("name_uk", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        *_texts("description", "how_to_apply"),
        sa.Column("documents_uk", sa.JSON(), nullable=False),
        sa.Column("documents_en", sa.JSON(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        *_texts("fee", "fee_basis", "term", "result", "delivery", "refusal"),
        sa.Column("legal_acts_uk", sa.JSON(), nullable=False),
        sa.Column("legal_acts_en", sa.JSON(), nullable=False),
        *_texts("online"),
        sa.Column("online_url", sa.String(length=300), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["services_categories.id"],
            name=op.f("fk_services_services_category_id_services_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["services_offices.id"],
            name=op.f("fk_services_services_office_id_services_offices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_services")),
        sa.UniqueConstraint("code", name=op.f("uq_services_services_code")),
    )
    with op.batch_alter_table("services_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_services_services_category_id"), ["category_id"], unique=False
        )
    op.create_table(
        "services_catalogue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_catalogue")),
    )
    op.create_table(
        "services_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("service_code", sa.String(length=48), nullable=True),
        sa.Column("search_query", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_services_questions_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_questions")),
    )
    with op.batch_alter_table("services_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_services_questions_resident_id"), ["resident_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("services_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_questions_resident_id"))
    op.drop_table("services_questions")
    op.drop_table("services_catalogue")
    with op.batch_alter_table("services_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_services_category_id"))
    op.drop_table("services_services")
    op.drop_table("services_categories")
    op.drop_table("services_offices")
