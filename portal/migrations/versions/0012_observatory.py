"""The observatory's snapshots of public figures.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observatory_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("stock_year", sa.Integer(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observatory_snapshot")),
    )
    with op.batch_alter_table("observatory_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observatory_snapshot_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("observatory_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observatory_snapshot_day"))
    op.drop_table("observatory_snapshot")
