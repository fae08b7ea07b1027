"""resident updates: consent on contacts, and the outbox of e-mails to residents

Revision ID: 0007_residentmail
Revises: 0006_surveythemes
Create Date: 2026-11-29 06:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_residentmail'
down_revision = '0006_surveythemes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('contacts', sa.Column('updates', sa.Boolean(), server_default=sa.false(),
                                        nullable=False))
    op.create_table(
        'resident_mails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('status_change_id', sa.Integer(), nullable=True),
        sa.Column('public_update_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                                name=op.f('fk_resident_mails_contact_id_contacts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['public_update_id'], ['public_updates.id'],
                                name=op.f('fk_resident_mails_public_update_id_public_updates'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['status_change_id'], ['status_changes.id'],
                                name=op.f('fk_resident_mails_status_change_id_status_changes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_mails')),
    )
    op.create_index(op.f('ix_resident_mails_contact_id'), 'resident_mails', ['contact_id'],
                    unique=False)
    op.create_index(op.f('ix_resident_mails_sent_at'), 'resident_mails', ['sent_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_resident_mails_sent_at'), table_name='resident_mails')
    op.drop_index(op.f('ix_resident_mails_contact_id'), table_name='resident_mails')
    op.drop_table('resident_mails')
    with op.batch_alter_table('contacts') as batch:
        batch.drop_column('updates')
