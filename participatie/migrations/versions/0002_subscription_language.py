"""subscription language: digests in Dutch by default, English when the subscriber prefers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subscriptions') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), server_default='nl', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('subscriptions') as batch:
        batch.drop_column('language')
