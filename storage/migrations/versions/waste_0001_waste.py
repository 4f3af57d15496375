"""waste collection: types, zones, streets, rules, exceptions, drop-off points, Ecobus stops,
subscriptions, calendar links, reminder watermark

Revision ID: waste_0001
Revises: 0002
Create Date: 2026-11-29 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "waste_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waste_types",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name_uk", sa.String(length=80), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=False),
        sa.Column("hint_uk", sa.Text(), nullable=False),
        sa.Column("hint_en", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_waste_types")),
    )
    op.create_table(
        "waste_zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_uk", sa.String(length=160), nullable=False),
        sa.Column("name_en", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_zones")),
        sa.UniqueConstraint("code", name=op.f("uq_waste_zones_code")),
    )
    op.create_table(
        "waste_streets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name_uk", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("house_from", sa.Integer(), nullable=True),
        sa.Column("house_to", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["waste_zones.id"],
            name=op.f("fk_waste_streets_zone_id_waste_zones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_streets")),
    )
    with op.batch_alter_table("waste_streets", schema=None) as batch_op:
        batch_op.create_index("ix_waste_streets_zone", ["zone_id"], unique=False)

    op.create_table(
        "waste_collection_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("waste_type", sa.String(length=24), nullable=False),
        sa.Column("rrule", sa.String(length=300), nullable=True),
        sa.Column("dates", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("window_start", sa.String(length=5), nullable=True),
        sa.Column("window_end", sa.String(length=5), nullable=True),
        sa.Column("note_uk", sa.Text(), nullable=False),
        sa.Column("note_en", sa.Text(), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["waste_type"],
            ["waste_types.code"],
            name=op.f("fk_waste_collection_rules_waste_type_waste_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["waste_zones.id"],
            name=op.f("fk_waste_collection_rules_zone_id_waste_zones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_collection_rules")),
    )
    with op.batch_alter_table("waste_collection_rules", schema=None) as batch_op:
        batch_op.create_index(
            "ix_waste_collection_rules_zone", ["zone_id", "waste_type"], unique=False
        )

    op.create_table(
        "waste_collection_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("waste_type", sa.String(length=24), nullable=False),
        sa.Column("original_date", sa.Date(), nullable=False),
        sa.Column("moved_to", sa.Date(), nullable=True),
        sa.Column("reason_uk", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["waste_type"],
            ["waste_types.code"],
            name=op.f("fk_waste_collection_exceptions_waste_type_waste_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["waste_zones.id"],
            name=op.f("fk_waste_collection_exceptions_zone_id_waste_zones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_collection_exceptions")),
        sa.UniqueConstraint(
            "zone_id",
            "waste_type",
            "original_date",
            name=op.f("uq_waste_collection_exceptions_zone_id_waste_type_original_date"),
        ),
    )
    op.create_table(
        "waste_dropoff_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("name_uk", sa.String(length=160), nullable=False),
        sa.Column("name_en", sa.String(length=160), nullable=False),
        sa.Column("address_uk", sa.String(length=200), nullable=False),
        sa.Column("address_en", sa.String(length=200), nullable=False),
        sa.Column("hours_uk", sa.String(length=120), nullable=False),
        sa.Column("hours_en", sa.String(length=120), nullable=False),
        sa.Column("accepts", sa.JSON(), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_dropoff_points")),
        sa.UniqueConstraint("code", name=op.f("uq_waste_dropoff_points_code")),
    )
    op.create_table(
        "waste_ecobus_stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("place_uk", sa.String(length=200), nullable=False),
        sa.Column("place_en", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_ecobus_stops")),
        sa.UniqueConstraint("code", name=op.f("uq_waste_ecobus_stops_code")),
    )
    with op.batch_alter_table("waste_ecobus_stops", schema=None) as batch_op:
        batch_op.create_index("ix_waste_ecobus_stops_starts", ["starts_at"], unique=False)

    op.create_table(
        "waste_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=160), nullable=False),
        sa.Column("types", sa.JSON(), nullable=False),
        sa.Column("remind_offset", sa.Integer(), nullable=False),
        sa.Column("remind_hour", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_waste_subscriptions_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["waste_zones.id"],
            name=op.f("fk_waste_subscriptions_zone_id_waste_zones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_subscriptions")),
    )
    with op.batch_alter_table("waste_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_waste_subscriptions_due", ["remind_offset", "remind_hour", "id"], unique=False
        )
        batch_op.create_index("ix_waste_subscriptions_zone", ["zone_id", "id"], unique=False)
        batch_op.create_index("ix_waste_subscriptions_resident", ["resident_id"], unique=False)

    op.create_table(
        "waste_calendar_links",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_waste_calendar_links_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_waste_calendar_links")),
        sa.UniqueConstraint("resident_id", name=op.f("uq_waste_calendar_links_resident_id")),
    )
    op.create_table(
        "waste_reminder_watermark",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_waste_reminder_watermark")),
    )


def downgrade() -> None:
    op.drop_table("waste_reminder_watermark")
    op.drop_table("waste_calendar_links")
    with op.batch_alter_table("waste_subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_waste_subscriptions_resident")
        batch_op.drop_index("ix_waste_subscriptions_zone")
        batch_op.drop_index("ix_waste_subscriptions_due")
    op.drop_table("waste_subscriptions")
    with op.batch_alter_table("waste_ecobus_stops", schema=None) as batch_op:
        batch_op.drop_index("ix_waste_ecobus_stops_starts")
    op.drop_table("waste_ecobus_stops")
    op.drop_table("waste_dropoff_points")
    op.drop_table("waste_collection_exceptions")
    with op.batch_alter_table("waste_collection_rules", schema=None) as batch_op:
        batch_op.drop_index("ix_waste_collection_rules_zone")
    op.drop_table("waste_collection_rules")
    with op.batch_alter_table("waste_streets", schema=None) as batch_op:
        batch_op.drop_index("ix_waste_streets_zone")
    op.drop_table("waste_streets")
    op.drop_table("waste_zones")
    op.drop_table("waste_types")
