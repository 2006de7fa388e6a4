"""Back-office drafts of information pages: owner, author, base version, lock counter, review.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("info_page_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("base_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reviewer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("review_note", sa.Text(), server_default="", nullable=False))
        batch_op.create_index(
            batch_op.f("ix_info_page_version_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_info_page_version_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_info_page_version_author_id_partner_user"),
            "partner_user",
            ["author_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_info_page_version_reviewer_id_partner_user"),
            "partner_user",
            ["reviewer_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_info_page_version_base_version_id_info_page_version"),
            "info_page_version",
            ["base_version_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("info_page_version", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_info_page_version_base_version_id_info_page_version"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_info_page_version_reviewer_id_partner_user"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_info_page_version_author_id_partner_user"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_info_page_version_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_info_page_version_organisation_id"))
        for column in (
            "review_note",
            "reviewed_at",
            "reviewer_id",
            "submitted_at",
            "lock_version",
            "base_version_id",
            "author_id",
            "organisation_id",
        ):
            batch_op.drop_column(column)
