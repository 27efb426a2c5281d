"""course dashboard version

Revision ID: b7e21c4d9f30
Revises: 8acfc62aeed2
Create Date: 2026-11-28 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e21c4d9f30'
down_revision = '8acfc62aeed2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dashboard_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('dashboard_version')
