"""report owners (who picked a report up), linked duplicates, internal notes per report, a history per theme

Revision ID: 0004_followup
Revises: 0003_workspace_structure
Create Date: 2026-11-29 04:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_followup'
down_revision = '0003_sroi'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_signals_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_signals_owner_id_users'), 'users',
                                    ['owner_id'], ['id'], ondelete='SET NULL')
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_signals_duplicate_of_id'), ['duplicate_of_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_signals_duplicate_of_id_signals'), 'signals',
                                    ['duplicate_of_id'], ['id'], ondelete='SET NULL')
    op.create_table('report_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['signals.id'],
                            name=op.f('fk_report_notes_signal_id_signals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_report_notes_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_notes'))
    )
    with op.batch_alter_table('report_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_notes_signal_id'), ['signal_id'],
                              unique=False)
    op.create_table('theme_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('other_theme_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'],
                            name=op.f('fk_theme_changes_region_id_regions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'],
                            name=op.f('fk_theme_changes_theme_id_themes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['other_theme_id'], ['themes.id'],
                            name=op.f('fk_theme_changes_other_theme_id_themes'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_theme_changes_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_changes'))
    )
    with op.batch_alter_table('theme_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_changes_region_id'), ['region_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_theme_changes_theme_id'), ['theme_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_theme_changes_other_theme_id'), ['other_theme_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('theme_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_changes_other_theme_id'))
        batch_op.drop_index(batch_op.f('ix_theme_changes_theme_id'))
        batch_op.drop_index(batch_op.f('ix_theme_changes_region_id'))
    op.drop_table('theme_changes')
    with op.batch_alter_table('report_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_notes_signal_id'))
    op.drop_table('report_notes')
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_signals_duplicate_of_id_signals'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_signals_duplicate_of_id'))
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_constraint(batch_op.f('fk_signals_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_signals_owner_id'))
        batch_op.drop_column('owner_id')
