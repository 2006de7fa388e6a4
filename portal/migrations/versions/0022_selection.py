"""The selection of candidates for a vacant dwelling: an index of the active demands of a type in queue
order (score descending, then filing date), whatever their commune.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.create_index(
            "ix_demand_selection",
            ["status", "dwelling_type", sa.literal_column("score_total DESC"), "filed_on", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index("ix_demand_selection")
