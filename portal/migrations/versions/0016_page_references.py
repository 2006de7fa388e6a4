"""Information pages end with their legal references (articles and texts, linked).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("info_page") as batch:
        batch.add_column(sa.Column("legal_references", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("info_page") as batch:
        batch.drop_column("legal_references")
