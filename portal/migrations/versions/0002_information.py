"""Information pages, versions per locale, search index (FTS5 on SQLite, GIN on PostgreSQL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "info_section",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_info_section")),
    )
    op.create_table(
        "info_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("section_slug", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["section_slug"], ["info_section.slug"],
                                name=op.f("fk_info_page_section_slug_info_section")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_page")),
        sa.UniqueConstraint("slug", name=op.f("uq_info_page_slug")),
    )
    op.create_table(
        "info_page_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("variant", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source_version_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["page_id"], ["info_page.id"], name=op.f("fk_info_page_version_page_id_info_page")),
        sa.ForeignKeyConstraint(["source_version_id"], ["info_page_version.id"],
                                name=op.f("fk_info_page_version_source_version_id_info_page_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_page_version")),
        sa.UniqueConstraint("page_id", "locale", "variant", "number", name=op.f("uq_info_page_version_page_id")),
    )
    op.create_index(op.f("ix_info_page_version_page_id"), "info_page_version", ["page_id"], unique=False)
    op.create_index(op.f("ix_info_page_version_status"), "info_page_version", ["status"], unique=False)
    op.create_index(op.f("ix_info_page_version_content_hash"), "info_page_version", ["content_hash"], unique=False)
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
    )
    op.create_index(op.f("ix_search_entry_locale"), "search_entry", ["locale"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # rowid = search_entry.id; the folded text is already lower-case and accent-free.
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(folded, tokenize = 'unicode61 remove_diacritics 2')")
    else:
        op.execute("CREATE INDEX search_entry_fts ON search_entry USING gin (to_tsvector('simple', folded))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP INDEX search_entry_fts")
    op.drop_index(op.f("ix_search_entry_locale"), table_name="search_entry")
    op.drop_table("search_entry")
    op.drop_index(op.f("ix_info_page_version_content_hash"), table_name="info_page_version")
    op.drop_index(op.f("ix_info_page_version_status"), table_name="info_page_version")
    op.drop_index(op.f("ix_info_page_version_page_id"), table_name="info_page_version")
    op.drop_table("info_page_version")
    op.drop_table("info_page")
    op.drop_table("info_section")
