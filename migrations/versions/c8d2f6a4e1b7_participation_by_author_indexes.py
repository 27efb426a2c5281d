"""participation by author: covering indexes for some students' counts

Revision ID: c8d2f6a4e1b7
Revises: a7c3e9f1b2d4
Create Date: 2026-12-05 17:05:00.000000

The dashboard counts the comments of the fifty students a page shows. Two covering indexes let the count start
from those students' comments and reach their essays without reading either row (on SQLite the rows hold the
bodies), so a page costs the same in a class of 300 or 3,000.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c8d2f6a4e1b7'
down_revision = 'a7c3e9f1b2d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_author_participation', ['author_id', 'post_id', 'status', 'deleted_at',
                                                                   'word_count', 'created_at', 'edited_at', 'id'],
                              unique=False)
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_essay_facts', ['id', 'assignment_id', 'author_id', 'status', 'published_at',
                                                       'deleted_at', 'course_id'], unique=False)


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_essay_facts')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_participation')
