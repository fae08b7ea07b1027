"""digest deliveries: claimed_at, written and committed before the mail server is contacted

Revision ID: 0003_ops_limits
Revises: 0002
Create Date: 2026-11-29 03:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_ops_limits'
down_revision = '0003_workspace_structure'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('digest_deliveries') as batch:
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('digest_deliveries') as batch:
        batch.drop_column('claimed_at')
