"""Reserved for the import history work of issue 7 (empty until it lands).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
