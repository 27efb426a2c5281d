"""sessions end at logout; published essays' autosaves carry versions

Revision ID: 5e1a0c7d9b24
Revises: c3f18a9e0b52
Create Date: 2026-12-05 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1a0c7d9b24'
down_revision = 'c3f18a9e0b52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('saved_from', sa.String(length=80), nullable=True))
    with op.batch_alter_table('post_autosaves', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('saved_from', sa.String(length=80), nullable=True))
    # A pending text saved before this revision is one autosave ahead of its essay.
    op.execute('UPDATE post_autosaves SET version = base_version + 1')


def downgrade():
    with op.batch_alter_table('post_autosaves', schema=None) as batch_op:
        batch_op.drop_column('saved_from')
        batch_op.drop_column('version')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('saved_from')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
