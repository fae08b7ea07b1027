"""public loop: published themes, public updates, "ik heb dit ook" voices, published surveys

Joins the two 0003 heads (ops_limits and sroi) into one.

Revision ID: 0004_public_loop
Revises: 0003_ops_limits, 0003_sroi
Create Date: 2026-11-29 04:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_public_loop'
down_revision = '0003_web_hardening'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('theme_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('public_status', sa.String(length=300), nullable=False),
    sa.Column('quote_signal_ids', sa.JSON(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_theme_publications_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_theme_publications_region_id_regions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_theme_publications_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_publications')),
    sa.UniqueConstraint('theme_id', name=op.f('uq_theme_publications_theme_id'))
    )
    with op.batch_alter_table('theme_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_publications_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_publications_published'), ['published'], unique=False)

    op.create_table('public_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('public_status', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_public_updates_region_id_regions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_public_updates_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_updates'))
    )
    with op.batch_alter_table('public_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_updates_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_updates_theme_id'), ['theme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_updates_created_at'), ['created_at'], unique=False)

    op.create_table('theme_voices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=True),
    sa.Column('browser_key', sa.String(length=64), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_theme_voices_submission_id_submissions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_theme_voices_theme_id_themes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], name=op.f('fk_theme_voices_wijk_id_wijken'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_voices')),
    sa.UniqueConstraint('theme_id', 'browser_key', name=op.f('uq_theme_voices_theme_id'))
    )
    with op.batch_alter_table('theme_voices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_voices_theme_id'), ['theme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_voices_created_at'), ['created_at'], unique=False)

    op.create_table('survey_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_survey_publications_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_survey_publications_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_publications')),
    sa.UniqueConstraint('region_id', 'form_id', 'period', name=op.f('uq_survey_publications_region_id'))
    )
    with op.batch_alter_table('survey_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_publications_region_id'), ['region_id'], unique=False)


def downgrade() -> None:
    for table in ('survey_publications', 'theme_voices', 'public_updates', 'theme_publications'):
        op.drop_table(table)
