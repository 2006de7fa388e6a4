"""Priority households and reservations in flux: the coordination committee's sessions, the referrals of
households and its decisions, the reservation holders' yearly objectives; the allocations gain the
reservation holder the dwelling was offered to and the one it went to, its financing and its year of
construction.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "priority_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_session")),
    )
    with op.batch_alter_table("priority_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priority_session_held_on"), ["held_on"], unique=False)

    op.create_table(
        "priority_objective",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("priority_share", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.Column("lowest_quartile_share", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_priority_objective_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_objective")),
        sa.UniqueConstraint("organisation_id", "year", name=op.f("uq_priority_objective_organisation_id")),
    )
    op.create_table(
        "priority_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demand_number", sa.String(length=18), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("comment", sa.String(length=600), nullable=False),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("support_organisation", sa.String(length=200), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=14), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("criterion", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("label_ends_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["organisation.id"],
            name=op.f("fk_priority_referral_holder_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_priority_referral_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["referred_by_id"],
            ["partner_user.id"],
            name=op.f("fk_priority_referral_referred_by_id_partner_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["priority_session.id"],
            name=op.f("fk_priority_referral_session_id_priority_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_referral")),
    )
    with op.batch_alter_table("priority_referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priority_referral_holder_id"), ["holder_id"], unique=False)
        batch_op.create_index("ix_priority_referral_number_state", ["demand_number", "state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_priority_referral_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_priority_referral_referred_by_id"), ["referred_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_priority_referral_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offered_to", sa.String(length=80), server_default="", nullable=False))
        batch_op.add_column(sa.Column("holder", sa.String(length=80), server_default="", nullable=False))
        batch_op.add_column(sa.Column("financing", sa.String(length=4), server_default="", nullable=False))
        batch_op.add_column(sa.Column("built_year", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_allocation_holder"), ["holder"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_holder"))
        batch_op.drop_column("built_year")
        batch_op.drop_column("financing")
        batch_op.drop_column("holder")
        batch_op.drop_column("offered_to")

    with op.batch_alter_table("priority_referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_referral_session_id"))
        batch_op.drop_index(batch_op.f("ix_priority_referral_referred_by_id"))
        batch_op.drop_index(batch_op.f("ix_priority_referral_organisation_id"))
        batch_op.drop_index("ix_priority_referral_number_state")
        batch_op.drop_index(batch_op.f("ix_priority_referral_holder_id"))

    op.drop_table("priority_referral")
    op.drop_table("priority_objective")
    with op.batch_alter_table("priority_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_session_held_on"))

    op.drop_table("priority_session")
