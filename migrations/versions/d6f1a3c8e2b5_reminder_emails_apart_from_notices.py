"""a reminder's email is marked apart from its record

Revision ID: d6f1a3c8e2b5
Revises: b8e4d2f6a1c3
Create Date: 2026-12-06 06:00:00.000000

A deadline reminder and its in-app notice are recorded once and stay; its email is marked on the row when
sent, so one the mail server refused is tried again until the deadline. Every reminder recorded so far was
emailed (a refused one was removed), so they are marked emailed when they were recorded.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6f1a3c8e2b5'
down_revision = 'b8e4d2f6a1c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sent_reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE sent_reminders SET emailed_at = sent_at")


def downgrade():
    with op.batch_alter_table('sent_reminders', schema=None) as batch_op:
        batch_op.drop_column('emailed_at')
