"""followup16: the reporter's satisfaction answer, and reopening by the reporter

Revision ID: 0008_followup16
Revises: 0007_residentmail
Create Date: 2026-11-29 06:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008_followup16'
down_revision = '0007_residentmail'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'satisfaction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('signal_id', sa.Integer(), nullable=False),
        sa.Column('satisfied', sa.Boolean(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['signal_id'], ['signals.id'],
                                name=op.f('fk_satisfaction_signal_id_signals'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction')),
        sa.UniqueConstraint('signal_id', name=op.f('uq_satisfaction_signal_id')),
    )
    op.create_index(op.f('ix_satisfaction_created_at'), 'satisfaction', ['created_at'],
                    unique=False)
    with op.batch_alter_table('status_changes') as batch:
        batch.add_column(sa.Column('reopen_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('status_changes') as batch:
        batch.drop_column('reopen_reason')
    op.drop_index(op.f('ix_satisfaction_created_at'), table_name='satisfaction')
    op.drop_table('satisfaction')
