"""survey themes: free-text survey answers grouped into themes per question and quarter

Revision ID: 0006_surveythemes
Revises: 0005_residents
Create Date: 2026-11-29 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_surveythemes'
down_revision = '0005_residents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey_groupings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('ungrouped', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_survey_groupings_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_groupings')),
    sa.UniqueConstraint('region_id', 'form_id', 'question_id', 'period', name=op.f('uq_survey_groupings_region_id'))
    )
    with op.batch_alter_table('survey_groupings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_groupings_region_id'), ['region_id'], unique=False)


def downgrade() -> None:
    op.drop_table('survey_groupings')
