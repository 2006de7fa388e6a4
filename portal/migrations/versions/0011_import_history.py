"""Data imports of issue 7: the allocations and the social housing stock files, and the import history.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demand_number", sa.String(length=18), nullable=False),
        sa.Column("allocated_on", sa.Date(), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("dwelling_type", sa.String(length=3), nullable=False),
        sa.Column("landlord", sa.String(length=200), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("in_qpv", sa.Boolean(), nullable=False),
        sa.Column("lowest_quartile", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_insee"], ["commune.insee"], name=op.f("fk_allocation_commune_insee_commune")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
        sa.UniqueConstraint("demand_number", name=op.f("uq_allocation_demand_number")),
    )
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_allocated_on"), ["allocated_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocation_commune_insee"), ["commune_insee"], unique=False)

    op.create_table(
        "housing_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("dwelling_type", sa.String(length=3), nullable=False),
        sa.Column("landlord", sa.String(length=200), nullable=False),
        sa.Column("financing", sa.String(length=4), nullable=False),
        sa.Column("dwellings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_insee"], ["commune.insee"], name=op.f("fk_housing_stock_commune_insee_commune")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_stock")),
        sa.UniqueConstraint(
            "year",
            "commune_insee",
            "dwelling_type",
            "landlord",
            "financing",
            name=op.f("uq_housing_stock_year"),
        ),
    )

    op.create_table(
        "import_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("replaced", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_import_record_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["partner_user.id"],
            name=op.f("fk_import_record_user_id_partner_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_record")),
    )
    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_record_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_record_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_record_sha256"))
        batch_op.drop_index(batch_op.f("ix_import_record_at"))
    op.drop_table("import_record")
    op.drop_table("housing_stock")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_commune_insee"))
        batch_op.drop_index(batch_op.f("ix_allocation_allocated_on"))
    op.drop_table("allocation")
