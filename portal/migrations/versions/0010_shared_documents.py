"""Shared documents and news of the network: documents with tags, news items, network meetings.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shared_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_shared_document_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['partner_user.id'], name=op.f('fk_shared_document_uploaded_by_id_partner_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_document')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_shared_document_stored_name'))
    )
    with op.batch_alter_table('shared_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_document_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_document_visibility'), ['visibility'], unique=False)

    op.create_table('shared_document_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['shared_document.id'], name=op.f('fk_shared_document_tag_document_id_shared_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_document_tag')),
    sa.UniqueConstraint('document_id', 'name', name=op.f('uq_shared_document_tag_document_id'))
    )
    with op.batch_alter_table('shared_document_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_document_tag_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_document_tag_name'), ['name'], unique=False)

    op.create_table('network_news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['partner_user.id'], name=op.f('fk_network_news_author_id_partner_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_network_news_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_news'))
    )
    with op.batch_alter_table('network_news', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_news_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_news_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_news_visibility'), ['visibility'], unique=False)

    op.create_table('network_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['partner_user.id'], name=op.f('fk_network_meeting_author_id_partner_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_network_meeting_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_meeting'))
    )
    with op.batch_alter_table('network_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_meeting_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_meeting_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_meeting_visibility'), ['visibility'], unique=False)


def downgrade() -> None:
    op.drop_table('network_meeting')
    op.drop_table('network_news')
    op.drop_table('shared_document_tag')
    op.drop_table('shared_document')
