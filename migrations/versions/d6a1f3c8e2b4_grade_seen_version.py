"""the version of each grade its student last saw on My grades

Revision ID: d6a1f3c8e2b4
Revises: c4e7a2d9b6f1
Create Date: 2026-12-07 21:30:00.000000

This week marks a released grade "new" until its student has opened My grades since it last changed. Grades
released before this column came count as seen: their students were told of them when they came.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6a1f3c8e2b4'
down_revision = 'c4e7a2d9b6f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grades', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_version', sa.Integer(), nullable=True))
    op.execute("UPDATE grades SET seen_version = version WHERE assignment_id IN "
               "(SELECT id FROM assignments WHERE grades_released_at IS NOT NULL)")


def downgrade():
    with op.batch_alter_table('grades', schema=None) as batch_op:
        batch_op.drop_column('seen_version')
