"""Reserved for the shared documents work of issue 7 (empty until it lands).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
