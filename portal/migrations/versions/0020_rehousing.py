"""Urban-renewal rehousing: operations, the partners' commitments, the households to rehouse (pseudonymised),
the partners they are proposed to, and the offers made to them.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rehousing_operation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("neighbourhood", sa.String(length=200), nullable=False),
        sa.Column("qpv_code", sa.String(length=20), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("landlord_id", sa.Integer(), nullable=False),
        sa.Column("buildings", sa.Text(), nullable=False),
        sa.Column("dwellings", sa.Integer(), nullable=False),
        sa.Column("announced_on", sa.Date(), nullable=False),
        sa.Column("rehousing_starts_on", sa.Date(), nullable=False),
        sa.Column("demolition_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("final_figures", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["landlord_id"],
            ["organisation.id"],
            name=op.f("fk_rehousing_operation_landlord_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehousing_operation")),
    )
    with op.batch_alter_table("rehousing_operation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rehousing_operation_landlord_id"), ["landlord_id"], unique=False)

    op.create_table(
        "rehousing_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("dwelling_type", sa.String(length=2), nullable=False),
        sa.Column("offers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["rehousing_operation.id"],
            name=op.f("fk_rehousing_commitment_operation_id_rehousing_operation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_rehousing_commitment_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehousing_commitment")),
        sa.UniqueConstraint(
            "operation_id",
            "organisation_id",
            "dwelling_type",
            name=op.f("uq_rehousing_commitment_operation_id"),
        ),
    )
    with op.batch_alter_table("rehousing_commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehousing_commitment_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rehousing_commitment_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "rehousing_household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("current_type", sa.String(length=2), nullable=False),
        sa.Column("rent", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("rent_after_aid", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("wished_type", sa.String(length=2), nullable=False),
        sa.Column("wished_communes", sa.JSON(), nullable=False),
        sa.Column("accessibility", sa.Boolean(), nullable=False),
        sa.Column("ageing_or_disability", sa.Boolean(), nullable=False),
        sa.Column("rent_ceiling", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("stay_in_neighbourhood", sa.Boolean(), nullable=False),
        sa.Column("survey_on", sa.Date(), nullable=True),
        sa.Column("followed_by", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("left_reason", sa.String(length=20), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["rehousing_operation.id"],
            name=op.f("fk_rehousing_household_operation_id_rehousing_operation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehousing_household")),
        sa.UniqueConstraint("operation_id", "reference", name=op.f("uq_rehousing_household_operation_id")),
    )
    with op.batch_alter_table("rehousing_household", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rehousing_household_operation_status", ["operation_id", "status"], unique=False
        )

    op.create_table(
        "rehousing_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("brought_by_id", sa.Integer(), nullable=False),
        sa.Column("landlord_name", sa.String(length=200), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("in_qpv", sa.Boolean(), nullable=False),
        sa.Column("recent", sa.Boolean(), nullable=False),
        sa.Column("dwelling_type", sa.String(length=2), nullable=False),
        sa.Column("step_free", sa.Boolean(), nullable=False),
        sa.Column("rent", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("rent_after_aid", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("suitable", sa.Boolean(), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("refusal_reason", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("moved_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["brought_by_id"],
            ["organisation.id"],
            name=op.f("fk_rehousing_offer_brought_by_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["rehousing_household.id"],
            name=op.f("fk_rehousing_offer_household_id_rehousing_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["rehousing_operation.id"],
            name=op.f("fk_rehousing_offer_operation_id_rehousing_operation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehousing_offer")),
    )
    with op.batch_alter_table("rehousing_offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rehousing_offer_household_id"), ["household_id"], unique=False)
        batch_op.create_index(
            "ix_rehousing_offer_operation_partner", ["operation_id", "brought_by_id"], unique=False
        )

    op.create_table(
        "rehousing_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["rehousing_household.id"],
            name=op.f("fk_rehousing_proposal_household_id_rehousing_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["rehousing_operation.id"],
            name=op.f("fk_rehousing_proposal_operation_id_rehousing_operation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_rehousing_proposal_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehousing_proposal")),
        sa.UniqueConstraint(
            "household_id", "organisation_id", name=op.f("uq_rehousing_proposal_household_id")
        ),
    )
    with op.batch_alter_table("rehousing_proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehousing_proposal_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rehousing_proposal_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rehousing_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehousing_proposal_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_rehousing_proposal_operation_id"))

    op.drop_table("rehousing_proposal")
    with op.batch_alter_table("rehousing_offer", schema=None) as batch_op:
        batch_op.drop_index("ix_rehousing_offer_operation_partner")
        batch_op.drop_index(batch_op.f("ix_rehousing_offer_household_id"))

    op.drop_table("rehousing_offer")
    with op.batch_alter_table("rehousing_household", schema=None) as batch_op:
        batch_op.drop_index("ix_rehousing_household_operation_status")

    op.drop_table("rehousing_household")
    with op.batch_alter_table("rehousing_commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehousing_commitment_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_rehousing_commitment_operation_id"))

    op.drop_table("rehousing_commitment")
    with op.batch_alter_table("rehousing_operation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehousing_operation_landlord_id"))

    op.drop_table("rehousing_operation")
