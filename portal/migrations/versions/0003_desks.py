"""Partner organisations and the desks of the reception network: hours, closures, notices.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisation_slug'))
    )
    op.create_table('desk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postcode', sa.String(length=5), nullable=False),
    sa.Column('commune_insee', sa.String(length=5), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('on_site', sa.Boolean(), nullable=False),
    sa.Column('by_phone', sa.Boolean(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('access_mode', sa.String(length=12), nullable=False),
    sa.Column('step_free', sa.Boolean(), nullable=False),
    sa.Column('accessibility_notes', sa.Text(), nullable=False),
    sa.Column('languages', sa.String(length=120), nullable=False),
    sa.Column('publics', sa.Text(), nullable=False),
    sa.Column('documents', sa.Text(), nullable=False),
    sa.Column('directions', sa.Text(), nullable=False),
    sa.Column('hours_confirmed_on', sa.Date(), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['commune_insee'], ['commune.insee'], name=op.f('fk_desk_commune_insee_commune')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_desk_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk')),
    sa.UniqueConstraint('key', name=op.f('uq_desk_key'))
    )
    with op.batch_alter_table('desk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_commune_insee'), ['commune_insee'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_latitude'), ['latitude'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_longitude'), ['longitude'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_postcode'), ['postcode'], unique=False)

    op.create_table('desk_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_desk_closure_desk_id_desk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_closure'))
    )
    with op.batch_alter_table('desk_closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_closure_desk_id'), ['desk_id'], unique=False)

    op.create_table('desk_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_desk_notice_desk_id_desk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_notice'))
    )
    with op.batch_alter_table('desk_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_notice_desk_id'), ['desk_id'], unique=False)

    op.create_table('desk_opening_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_desk_opening_slot_desk_id_desk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_opening_slot'))
    )
    with op.batch_alter_table('desk_opening_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_opening_slot_desk_id'), ['desk_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('desk_opening_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_opening_slot_desk_id'))

    op.drop_table('desk_opening_slot')
    with op.batch_alter_table('desk_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_notice_desk_id'))

    op.drop_table('desk_notice')
    with op.batch_alter_table('desk_closure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_closure_desk_id'))

    op.drop_table('desk_closure')
    with op.batch_alter_table('desk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_postcode'))
        batch_op.drop_index(batch_op.f('ix_desk_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_desk_longitude'))
        batch_op.drop_index(batch_op.f('ix_desk_level'))
        batch_op.drop_index(batch_op.f('ix_desk_latitude'))
        batch_op.drop_index(batch_op.f('ix_desk_commune_insee'))

    op.drop_table('desk')
    op.drop_table('organisation')
