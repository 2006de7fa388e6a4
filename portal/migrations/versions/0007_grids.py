"""Grids and their criteria are stored, every version with its status.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_grid_code")),
    )
    op.create_table(
        "grid_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("family", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("fact", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=True),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("group_code", sa.String(length=40), nullable=True),
        sa.Column("verification", sa.String(length=10), nullable=False),
        sa.Column("label", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("question", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["grid.id"], name=op.f("fk_grid_criterion_grid_id_grid"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_criterion")),
        sa.UniqueConstraint("grid_id", "code", name=op.f("uq_grid_criterion_grid_id")),
    )
    with op.batch_alter_table("grid_criterion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grid_criterion_grid_id"), ["grid_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("grid_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grid_criterion_grid_id"))
    op.drop_table("grid_criterion")
    op.drop_table("grid")
