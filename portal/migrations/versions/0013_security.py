"""Security hardening: sessions kept on the server, sign-in throttles, one-time links stored hashed, role
invitations to accept, render claims and printed documents of the guides (shared by every server),
second-factor failures counted apart, news rendered when saved.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("demand_id", sa.Integer(), nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("second_factor_done", sa.Boolean(), nullable=False),
        sa.Column("pending_totp_secret", sa.String(length=64), nullable=False),
        sa.Column("next_path", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("statement_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("statement_locale", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demand.id"], name=op.f("fk_auth_session_demand_id_demand"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["partner_user.id"],
            name=op.f("fk_auth_session_user_id_partner_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_session_demand_id"), ["demand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_auth_session_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auth_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttle")),
    )
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_throttle_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "one_time_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["partner_user.id"],
            name=op.f("fk_one_time_link_user_id_partner_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_link")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_one_time_link_code_hash")),
    )
    with op.batch_alter_table("one_time_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_one_time_link_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_one_time_link_user_id"), ["user_id"], unique=False)

    op.create_table(
        "role_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["partner_user.id"],
            name=op.f("fk_role_invitation_invited_by_id_partner_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_role_invitation_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["partner_user.id"],
            name=op.f("fk_role_invitation_user_id_partner_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_invitation")),
    )
    with op.batch_alter_table("role_invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_invitation_user_id"), ["user_id"], unique=False)

    op.create_table(
        "render_claim",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_render_claim")),
    )

    op.create_table(
        "rendered_document",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rendered_document")),
    )

    with op.batch_alter_table("partner_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_codes", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("codes_blocked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_until")
    with op.batch_alter_table("partner_user", schema=None) as batch_op:
        batch_op.alter_column("failed_codes", server_default=None)

    with op.batch_alter_table("network_news", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_html", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("network_news", schema=None) as batch_op:
        batch_op.alter_column("body_html", server_default=None)
    # Items saved before: rendered once here, as saving them now does.
    from portal.markdown import render_markdown

    news = sa.table("network_news", sa.column("id", sa.Integer()), sa.column("body", sa.Text()),
                    sa.column("body_html", sa.Text()))
    connection = op.get_bind()
    for item_id, body in connection.execute(sa.select(news.c.id, news.c.body)).all():
        connection.execute(
            news.update().where(news.c.id == item_id).values(body_html=str(render_markdown(body or "")))
        )


def downgrade() -> None:
    with op.batch_alter_table("network_news", schema=None) as batch_op:
        batch_op.drop_column("body_html")
    with op.batch_alter_table("partner_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_column("codes_blocked_until")
        batch_op.drop_column("failed_codes")
    op.drop_table("rendered_document")
    op.drop_table("render_claim")
    with op.batch_alter_table("role_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_invitation_user_id"))
    op.drop_table("role_invitation")
    with op.batch_alter_table("one_time_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_one_time_link_user_id"))
        batch_op.drop_index(batch_op.f("ix_one_time_link_expires_at"))
    op.drop_table("one_time_link")
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_throttle_updated_at"))
    op.drop_table("sign_in_throttle")
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_auth_session_expires_at"))
        batch_op.drop_index(batch_op.f("ix_auth_session_demand_id"))
    op.drop_table("auth_session")
