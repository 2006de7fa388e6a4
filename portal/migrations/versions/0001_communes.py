"""Communes of the territory.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commune",
        sa.Column("insee", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("postcodes", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("ceiling_zone", sa.String(length=10), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("insee", name=op.f("pk_commune")),
    )
    op.create_index(op.f("ix_commune_name"), "commune", ["name"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_commune_name"), table_name="commune")
    op.drop_table("commune")
