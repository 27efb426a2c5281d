"""participation engine indexes; the stored dashboard summary's journal and version go

Revision ID: f4c8e2a6b1d3
Revises: e5b2d7a1c9f4
Create Date: 2026-12-05 10:50:00.000000

Comment counts are worked out in SQL on each view: two covering indexes let the statement read comments and
essays without their bodies. The dashboard's stored summary is gone, and with it the dashboard_changes
journal and courses.dashboard_version, and courses.content_version, which only stored pages read.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4c8e2a6b1d3'
down_revision = 'e5b2d7a1c9f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_participation', ['post_id', 'author_id', 'status', 'deleted_at',
                                                            'word_count', 'created_at', 'edited_at'], unique=False)
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_assignment_author', ['assignment_id', 'author_id', 'status', 'published_at',
                                                             'deleted_at'], unique=False)
    with op.batch_alter_table('dashboard_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_dashboard_changes_course_version')
    op.drop_table('dashboard_changes')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('dashboard_version')
        batch_op.drop_column('content_version')


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dashboard_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('content_version', sa.Integer(), server_default='0', nullable=False))
    op.create_table('dashboard_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dashboard_changes', schema=None) as batch_op:
        batch_op.create_index('ix_dashboard_changes_course_version', ['course_id', 'version'], unique=False)
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_assignment_author')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_participation')
