"""autosave keeps categories and tags

Revision ID: e5a7c2d91f08
Revises: e7b3d5a1c9f2
Create Date: 2026-12-05 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a7c2d91f08'
down_revision = 'e7b3d5a1c9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post_autosaves', schema=None) as batch_op:
        batch_op.add_column(sa.Column('categories', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('tags', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('post_autosaves', schema=None) as batch_op:
        batch_op.drop_column('tags')
        batch_op.drop_column('categories')
