"""deadline reminders and the staff digest

Revision ID: f3a9c6e2b7d1
Revises: f4c8e2a6b1d3
Create Date: 2026-12-05 10:40:00.000000

Reminders sent to students before their own deadlines and weekly digests sent to staff, each once (a
unique key per message); a notification may name a reminder instead of a comment; each person chooses
whether to get them, each course whether to send reminders and how many hours early.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a9c6e2b7d1'
down_revision = 'f4c8e2a6b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sent_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f('fk_sent_reminders_assignment_id_assignments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sent_reminders_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_reminders')),
        sa.UniqueConstraint('user_id', 'assignment_id', 'kind', 'deadline',
                            name=op.f('uq_sent_reminders_user_id_assignment_id_kind_deadline')),
    )
    with op.batch_alter_table('sent_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_reminders_assignment_id'), ['assignment_id'], unique=False)
    op.create_table(
        'sent_staff_digests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('week_of', sa.Date(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_sent_staff_digests_course_id_courses'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sent_staff_digests_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_staff_digests')),
        sa.UniqueConstraint('user_id', 'course_id', 'week_of',
                            name=op.f('uq_sent_staff_digests_user_id_course_id_week_of')),
    )
    with op.batch_alter_table('sent_staff_digests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_staff_digests_course_id'), ['course_id'], unique=False)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_id', sa.Integer(), nullable=True))
        batch_op.alter_column('comment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_reminder_id_sent_reminders'), 'sent_reminders',
                                    ['reminder_id'], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wants_reminders', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('wants_staff_digest', sa.Boolean(), server_default='1', nullable=False))
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_reminders', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('reminder_hours', sa.Integer(), server_default='24', nullable=False))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('reminder_hours')
        batch_op.drop_column('send_reminders')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('wants_staff_digest')
        batch_op.drop_column('wants_reminders')
    op.execute("DELETE FROM notifications WHERE comment_id IS NULL")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_reminder_id_sent_reminders'), type_='foreignkey')
        batch_op.alter_column('comment_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('reminder_id')
    with op.batch_alter_table('sent_staff_digests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_staff_digests_course_id'))
    op.drop_table('sent_staff_digests')
    with op.batch_alter_table('sent_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_reminders_assignment_id'))
    op.drop_table('sent_reminders')
