"""a participation version per course, the key of counts kept in Flask-Caching

Revision ID: c4e7a2d9b6f1
Revises: b8d2f4a6c1e3
Create Date: 2026-12-07 15:00:00.000000

Every committed change to what a course's participation is counted from raises its course's version in the
same transaction (participation/versions.py); the dashboard's class-wide counts are kept under it. Every
course starts at 1.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e7a2d9b6f1'
down_revision = 'b8d2f4a6c1e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'participation_versions',
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'],
                                name=op.f('fk_participation_versions_course_id_courses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('course_id', name=op.f('pk_participation_versions')),
    )
    op.execute("INSERT INTO participation_versions (course_id, version) SELECT id, 1 FROM courses")


def downgrade():
    op.drop_table('participation_versions')
