"""dashboard changes

Revision ID: c3f18a9e0b52
Revises: b7e21c4d9f30
Create Date: 2026-11-29 02:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f18a9e0b52'
down_revision = 'b7e21c4d9f30'
branch_labels = None
depends_on = None


def upgrade():
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


def downgrade():
    with op.batch_alter_table('dashboard_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_dashboard_changes_course_version')

    op.drop_table('dashboard_changes')
