"""The dwelling-swap exchange: tenants' accounts, their listings (and their wishes written
out), swaps and their moves.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_tenant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_tenant")),
        sa.UniqueConstraint("email", name=op.f("uq_exchange_tenant_email")),
    )
    op.create_table(
        "exchange_tenant_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["exchange_tenant.id"],
            name=op.f("fk_exchange_tenant_link_tenant_id_exchange_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_tenant_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_exchange_tenant_link_token_hash")),
    )
    op.create_index(op.f("ix_exchange_tenant_link_tenant_id"), "exchange_tenant_link", ["tenant_id"])
    op.create_index(op.f("ix_exchange_tenant_link_expires_at"), "exchange_tenant_link", ["expires_at"])
    with op.batch_alter_table("auth_session") as batch:
        batch.add_column(sa.Column("tenant_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_auth_session_tenant_id_exchange_tenant"),
            "exchange_tenant",
            ["tenant_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f("ix_auth_session_tenant_id"), ["tenant_id"])
    op.create_table(
        "exchange_listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("landlord_id", sa.Integer(), nullable=False),
        sa.Column("tenant_reference", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("household_size", sa.Integer(), nullable=False),
        sa.Column("financings", sa.String(length=40), nullable=False),
        sa.Column("dwelling_type", sa.String(length=3), nullable=False),
        sa.Column("surface", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("lift", sa.Boolean(), nullable=False),
        sa.Column("step_free", sa.Boolean(), nullable=False),
        sa.Column("rent", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("financing", sa.String(length=4), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("district", sa.String(length=80), nullable=False),
        sa.Column("wish_types", sa.String(length=20), nullable=False),
        sa.Column("wish_communes", sa.String(length=400), nullable=False),
        sa.Column("wish_max_rent", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("wish_step_free", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by"],
            ["partner_user.id"],
            name=op.f("fk_exchange_listing_confirmed_by_partner_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["landlord_id"], ["organisation.id"], name=op.f("fk_exchange_listing_landlord_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["exchange_tenant.id"],
            name=op.f("fk_exchange_listing_tenant_id_exchange_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_listing")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_exchange_listing_tenant_id")),
    )
    for column in ("landlord_id", "state", "commune_insee", "expires_on"):
        op.create_index(op.f(f"ix_exchange_listing_{column}"), "exchange_listing", [column])
    op.create_table(
        "exchange_listing_wish",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("dwelling_type", sa.String(length=3), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_listing_wish_listing_id_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "listing_id", "dwelling_type", "commune_insee", name=op.f("pk_exchange_listing_wish")
        ),
    )
    op.create_index(
        "ix_exchange_listing_wish_place", "exchange_listing_wish", ["dwelling_type", "commune_insee"]
    )
    op.create_table(
        "exchange_listing_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_listing_photo_listing_id_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_listing_photo")),
    )
    op.create_index(
        op.f("ix_exchange_listing_photo_listing_id"), "exchange_listing_photo", ["listing_id"]
    )
    op.create_table(
        "exchange_swap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposed_by"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_swap_proposed_by_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_swap")),
    )
    op.create_index(op.f("ix_exchange_swap_cycle"), "exchange_swap", ["cycle"])
    op.create_index(op.f("ix_exchange_swap_state"), "exchange_swap", ["state"])
    op.create_table(
        "exchange_swap_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("swap_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("into_listing_id", sa.Integer(), nullable=False),
        sa.Column("landlord_id", sa.Integer(), nullable=False),
        sa.Column("tenant_answer", sa.String(length=3), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["partner_user.id"],
            name=op.f("fk_exchange_swap_move_decided_by_partner_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["into_listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_swap_move_into_listing_id_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["landlord_id"], ["organisation.id"], name=op.f("fk_exchange_swap_move_landlord_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["exchange_listing.id"],
            name=op.f("fk_exchange_swap_move_listing_id_exchange_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["swap_id"],
            ["exchange_swap.id"],
            name=op.f("fk_exchange_swap_move_swap_id_exchange_swap"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_swap_move")),
        sa.UniqueConstraint("swap_id", "listing_id", name=op.f("uq_exchange_swap_move_swap_id")),
    )
    for column in ("swap_id", "listing_id", "landlord_id"):
        op.create_index(op.f(f"ix_exchange_swap_move_{column}"), "exchange_swap_move", [column])


def downgrade() -> None:
    op.drop_table("exchange_swap_move")
    op.drop_table("exchange_swap")
    with op.batch_alter_table("auth_session") as batch:
        batch.drop_index(op.f("ix_auth_session_tenant_id"))
        batch.drop_constraint(op.f("fk_auth_session_tenant_id_exchange_tenant"), type_="foreignkey")
        batch.drop_column("tenant_id")
    op.drop_table("exchange_listing_photo")
    op.drop_table("exchange_tenant_link")
    op.drop_table("exchange_listing_wish")
    op.drop_table("exchange_listing")
    op.drop_table("exchange_tenant")
