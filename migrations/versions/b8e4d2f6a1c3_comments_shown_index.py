"""an index of the comments shown under each essay

Revision ID: b8e4d2f6a1c3
Revises: c8d2f6a4e1b7
Create Date: 2026-12-05 17:10:00.000000

The essays waiting for a student's comment are offered fewest comments first, which counts the shown comments
of every essay of an assignment on each view: a partial index of the shown comments alone answers that.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4d2f6a1c3'
down_revision = 'c8d2f6a4e1b7'
branch_labels = None
depends_on = None

SHOWN = "status = 'visible' AND deleted_at IS NULL"


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_shown', ['post_id'], unique=False,
                              postgresql_where=sa.text(SHOWN), sqlite_where=sa.text(SHOWN))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_shown')
