"""course invitations: a roster import invites, and people join by accepting

Revision ID: e7b3d5a1c9f2
Revises: 5e1a0c7d9b24
Create Date: 2026-12-05 07:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b3d5a1c9f2'
down_revision = '5e1a0c7d9b24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('canvas_user_id', sa.String(length=64), nullable=True),
    sa.Column('sis_user_id', sa.String(length=64), nullable=True),
    sa.Column('sis_login_id', sa.String(length=128), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('course_id', 'user_id', name='uq_course_invitations_course_user')
    )
    with op.batch_alter_table('course_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_invitations_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('course_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_invitations_user_id'))

    op.drop_table('course_invitations')
