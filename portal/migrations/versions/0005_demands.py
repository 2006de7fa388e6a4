"""Pseudonymised demand records and their events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('demand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=18), nullable=False),
    sa.Column('lookup_hash', sa.String(length=200), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('renewed_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('mutation', sa.Boolean(), nullable=False),
    sa.Column('dwelling_type', sa.String(length=3), nullable=False),
    sa.Column('first_commune_insee', sa.String(length=5), nullable=False),
    sa.Column('other_communes', sa.String(length=200), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('checked', sa.JSON(), nullable=False),
    sa.Column('score_total', sa.Integer(), nullable=True),
    sa.Column('score_lines', sa.JSON(), nullable=False),
    sa.Column('grid_code', sa.String(length=40), nullable=False),
    sa.Column('grid_version', sa.Integer(), nullable=False),
    sa.Column('scored_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['first_commune_insee'], ['commune.insee'], name=op.f('fk_demand_first_commune_insee_commune')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand')),
    sa.UniqueConstraint('number', name=op.f('uq_demand_number'))
    )
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.create_index('ix_demand_segment', ['status', 'mutation', 'dwelling_type', 'first_commune_insee', 'score_total'], unique=False)

    op.create_table('demand_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('dwelling_type', sa.String(length=3), nullable=False),
    sa.Column('commune_insee', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['demand.id'], name=op.f('fk_demand_event_demand_id_demand'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_event'))
    )
    with op.batch_alter_table('demand_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_event_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_event_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_event_occurred_on'), ['occurred_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('demand_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_event_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_demand_event_kind'))
        batch_op.drop_index(batch_op.f('ix_demand_event_demand_id'))

    op.drop_table('demand_event')
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.drop_index('ix_demand_segment')

    op.drop_table('demand')
