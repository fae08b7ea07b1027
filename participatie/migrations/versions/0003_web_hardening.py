"""web hardening: one report per filled-in form (submit token), a withdraw secret per report

Revision ID: 0003_web_hardening
Revises: 0002
Create Date: 2026-11-29 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_web_hardening'
down_revision = '0004_followup'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('submissions') as batch:
        batch.add_column(sa.Column('submit_token_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('withdraw_hash', sa.String(length=64), nullable=True))
        batch.create_unique_constraint(batch.f('uq_submissions_submit_token_hash'), ['submit_token_hash'])


def downgrade() -> None:
    with op.batch_alter_table('submissions') as batch:
        batch.drop_constraint(batch.f('uq_submissions_submit_token_hash'), type_='unique')
        batch.drop_column('withdraw_hash')
        batch.drop_column('submit_token_hash')
