"""The position's index covers the whole queue order (score, filing date, id) for index-only scans.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ["status", "mutation", "dwelling_type", "first_commune_insee", "score_total"]


def upgrade() -> None:
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index("ix_demand_segment")
        batch_op.create_index("ix_demand_queue", [*COLUMNS, "filed_on", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index("ix_demand_queue")
        batch_op.create_index("ix_demand_segment", COLUMNS, unique=False)
