"""The outcome of past demands by segment and filing month (outcome curve, what if), the e-mail
reminders of renewal deadlines, and an index of the allocations by segment (the usual waiting time).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mutation", sa.Boolean(), nullable=False),
        sa.Column("dwelling_type", sa.String(length=3), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("filed_month", sa.Integer(), nullable=False),
        sa.Column("demands", sa.Integer(), nullable=False),
        sa.Column("housed_6", sa.Integer(), nullable=False),
        sa.Column("housed_12", sa.Integer(), nullable=False),
        sa.Column("housed_24", sa.Integer(), nullable=False),
        sa.Column("housed_36", sa.Integer(), nullable=False),
        sa.Column("housed", sa.Integer(), nullable=False),
        sa.Column("ended", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_outcome")),
        sa.UniqueConstraint(
            "mutation",
            "dwelling_type",
            "commune_insee",
            "filed_month",
            name=op.f("uq_demand_outcome_mutation"),
        ),
    )
    op.create_table(
        "renewal_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("number_key", sa.String(length=64), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("month_sent", sa.Boolean(), nullable=False),
        sa.Column("week_sent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renewal_reminder")),
        sa.UniqueConstraint("email", "number_key", name=op.f("uq_renewal_reminder_email")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_renewal_reminder_token_hash")),
    )
    op.create_index(op.f("ix_renewal_reminder_deadline"), "renewal_reminder", ["deadline"])
    op.create_index(
        "ix_demand_event_allocation",
        "demand_event",
        ["dwelling_type", "commune_insee", "occurred_on"],
        postgresql_where=sa.text("kind = 'allocation'"),
        sqlite_where=sa.text("kind = 'allocation'"),
    )


def downgrade() -> None:
    op.drop_index("ix_demand_event_allocation", table_name="demand_event")
    op.drop_index(op.f("ix_renewal_reminder_deadline"), table_name="renewal_reminder")
    op.drop_table("renewal_reminder")
    op.drop_table("demand_outcome")
