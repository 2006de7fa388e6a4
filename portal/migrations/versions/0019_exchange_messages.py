"""The exchange's messages between tenants, their reports to the partners' moderators, the listings'
suspended state (a string, nothing to migrate), the tenants' optional two-step sign-in, and the nightly
count of matches.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_tenant") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("totp_recovery_hash", sa.String(length=64), nullable=False, server_default="")
        )
    op.create_table(
        "exchange_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_listing_id", sa.Integer(), nullable=False),
        sa.Column("second_listing_id", sa.Integer(), nullable=False),
        sa.Column("first_shares", sa.Boolean(), nullable=False),
        sa.Column("second_shares", sa.Boolean(), nullable=False),
        sa.Column("first_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("second_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_by", sa.Integer(), nullable=True),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_conversation_first_listing_id_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_conversation_second_listing_id_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_conversation")),
        sa.UniqueConstraint(
            "first_listing_id",
            "second_listing_id",
            name=op.f("uq_exchange_conversation_first_listing_id"),
        ),
    )
    for column in ("first_listing_id", "second_listing_id", "last_message_at"):
        op.create_index(op.f(f"ix_exchange_conversation_{column}"), "exchange_conversation", [column])
    op.create_table(
        "exchange_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("sender_listing_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["exchange_conversation.id"],
            name=op.f("fk_exchange_message_conversation_id_exchange_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_message_sender_listing_id_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_message")),
    )
    op.create_index(op.f("ix_exchange_message_conversation_id"), "exchange_message", ["conversation_id"])
    op.create_table(
        "exchange_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_listing_id", sa.Integer(), nullable=True),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("excerpt", sa.String(length=1000), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporter_listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_report_reporter_listing_id_exchange_listing"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_report_listing_id_exchange_listing"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["exchange_message.id"],
            name=op.f("fk_exchange_report_message_id_exchange_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handled_by"],
            ["partner_user.id"],
            name=op.f("fk_exchange_report_handled_by_partner_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_report")),
    )
    op.create_index(op.f("ix_exchange_report_listing_id"), "exchange_report", ["listing_id"])
    op.create_index(op.f("ix_exchange_report_handled_at"), "exchange_report", ["handled_at"])


    op.create_table(
        "exchange_match_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("public_listings", sa.Integer(), nullable=False),
        sa.Column("listings_with_match", sa.Integer(), nullable=False),
        sa.Column("two_way", sa.Integer(), nullable=False),
        sa.Column("three_way", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_match_count")),
    )
    op.create_index(op.f("ix_exchange_match_count_counted_at"), "exchange_match_count", ["counted_at"])


def downgrade() -> None:
    op.drop_table("exchange_match_count")
    op.drop_table("exchange_report")
    op.drop_table("exchange_message")
    op.drop_table("exchange_conversation")
    with op.batch_alter_table("exchange_tenant") as batch:
        batch.drop_column("totp_recovery_hash")
        batch.drop_column("totp_last_step")
