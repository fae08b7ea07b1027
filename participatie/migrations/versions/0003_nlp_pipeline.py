"""theme models: each region's trained assignment model with its accuracy and training time

Revision ID: 0003_nlp_pipeline
Revises: 0002
Create Date: 2026-11-29 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_nlp_pipeline'
down_revision = '0003_ops_limits'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('theme_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accuracy', sa.Float(), nullable=True),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.Column('labels', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=200), nullable=False),
    sa.Column('backend', sa.String(length=200), nullable=False),
    sa.Column('model', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_theme_models_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_models'))
    )
    with op.batch_alter_table('theme_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_models_region_id'), ['region_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('theme_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_models_region_id'))
    op.drop_table('theme_models')
