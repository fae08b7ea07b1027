"""sroi: RESV meetings, agenda items, agreements, knelpunt dossiers with SROI

Revision ID: 0003_sroi
Revises: 0003_workspace_structure
Create Date: 2026-11-29 03:14:40.371621
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_sroi'
down_revision = '0003_nlp_pipeline'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dossiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('stakeholders', sa.JSON(), nullable=False),
    sa.Column('survey_form_id', sa.String(length=64), nullable=True),
    sa.Column('before_period', sa.String(length=16), nullable=True),
    sa.Column('after_period', sa.String(length=16), nullable=True),
    sa.Column('discount_rate', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_dossiers_region_id_regions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], name=op.f('fk_dossiers_wijk_id_wijken'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossiers'))
    )
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossiers_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_wijk_id'), ['wijk_id'], unique=False)

    op.create_table('resv_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_resv_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_resv_meetings_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resv_meetings'))
    )
    with op.batch_alter_table('resv_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resv_meetings_region_id'), ['region_id'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('kernteam_done', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['resv_meetings.id'], name=op.f('fk_agenda_items_meeting_id_resv_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_agenda_items_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items')),
    sa.UniqueConstraint('meeting_id', 'theme_id', name=op.f('uq_agenda_items_meeting_id'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_theme_id'), ['theme_id'], unique=False)

    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agreements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['resv_meetings.id'], name=op.f('fk_agreements_meeting_id_resv_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_agreements_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_theme_id'), ['theme_id'], unique=False)

    op.create_table('dossier_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_actions_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_actions'))
    )
    with op.batch_alter_table('dossier_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_actions_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_evidence_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_evidence'))
    )
    with op.batch_alter_table('dossier_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_evidence_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_themes',
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_themes_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_dossier_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dossier_id', 'theme_id', name=op.f('pk_dossier_themes'))
    )
    op.create_table('sroi_inputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('stakeholder', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('rate', sa.Float(), nullable=False),
    sa.Column('costs', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_sroi_inputs_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sroi_inputs'))
    )
    with op.batch_alter_table('sroi_inputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sroi_inputs_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('sroi_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('stakeholder', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('indicator', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=False),
    sa.Column('proxy_id', sa.String(length=64), nullable=True),
    sa.Column('proxy_value', sa.Float(), nullable=False),
    sa.Column('proxy_source', sa.Text(), nullable=False),
    sa.Column('duration', sa.Integer(), nullable=False),
    sa.Column('deadweight', sa.Float(), nullable=False),
    sa.Column('attribution', sa.Float(), nullable=False),
    sa.Column('displacement', sa.Float(), nullable=False),
    sa.Column('drop_off', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_sroi_outcomes_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sroi_outcomes'))
    )
    with op.batch_alter_table('sroi_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sroi_outcomes_dossier_id'), ['dossier_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sroi_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sroi_outcomes_dossier_id'))

    op.drop_table('sroi_outcomes')
    with op.batch_alter_table('sroi_inputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sroi_inputs_dossier_id'))

    op.drop_table('sroi_inputs')
    op.drop_table('dossier_themes')
    with op.batch_alter_table('dossier_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_evidence_dossier_id'))

    op.drop_table('dossier_evidence')
    with op.batch_alter_table('dossier_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_actions_dossier_id'))

    op.drop_table('dossier_actions')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_theme_id'))
        batch_op.drop_index(batch_op.f('ix_agreements_meeting_id'))

    op.drop_table('agreements')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_theme_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('resv_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resv_meetings_region_id'))

    op.drop_table('resv_meetings')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossiers_wijk_id'))
        batch_op.drop_index(batch_op.f('ix_dossiers_region_id'))

    op.drop_table('dossiers')
