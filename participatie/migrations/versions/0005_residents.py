"""drafts: forms saved to finish later (encrypted, deleted after use or after 7 days)

Revision ID: 0005_residents
Revises: 0004_public_loop
Create Date: 2026-11-29 04:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_residents'
down_revision = '0004_public_loop'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lookup', sa.String(length=64), nullable=False),
        sa.Column('form_id', sa.String(length=64), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts')),
        sa.UniqueConstraint('lookup', name=op.f('uq_drafts_lookup')),
    )
    op.create_index(op.f('ix_drafts_expires_at'), 'drafts', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_drafts_expires_at'), table_name='drafts')
    op.drop_table('drafts')
