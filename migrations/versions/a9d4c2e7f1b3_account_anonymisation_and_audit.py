"""account anonymisation and audit

Revision ID: a9d4c2e7f1b3
Revises: f3a9c6e2b7d1
Create Date: 2026-12-05 10:40:00.000000

Accounts gain the time a site admin anonymised them; a small audit table records who anonymised or
exported which account, and when (nothing of the person themself).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9d4c2e7f1b3'
down_revision = 'f3a9c6e2b7d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'account_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_account_audit_actor_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_audit')),
    )
    with op.batch_alter_table('account_audit', schema=None) as batch_op:
        batch_op.create_index('ix_account_audit_at', ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('account_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_account_audit_at')
    op.drop_table('account_audit')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
