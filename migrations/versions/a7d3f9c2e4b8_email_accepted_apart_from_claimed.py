"""an email's claim is told apart from the mail server taking it

Revision ID: a7d3f9c2e4b8
Revises: e9c4b1d7a2f6
Create Date: 2026-12-06 23:40:00.000000

notifications.emailed_at and sent_reminders.emailed_at are set when a run claims the email, before the mail
server is asked, as a sent_staff_digests row is made (at its sent_at); email_accepted_at records that the server
took it, so a claim left by a run that died is taken again once its lease is over. Whether the marks and rows made
so far were taken cannot be known: they are counted taken, as they were, so that nothing already emailed goes
again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3f9c2e4b8'
down_revision = 'e9c4b1d7a2f6'
branch_labels = None
depends_on = None


# Each table, and the column of its claim.
CLAIMED = (('notifications', 'emailed_at'), ('sent_reminders', 'emailed_at'), ('sent_staff_digests', 'sent_at'))


def upgrade():
    # ALTER TABLE … ADD COLUMN, not a batch copy: a nullable column needs no rebuilt table.
    for table, claimed in CLAIMED:
        op.add_column(table, sa.Column('email_accepted_at', sa.DateTime(timezone=True), nullable=True))
        op.execute(f"UPDATE {table} SET email_accepted_at = {claimed} WHERE {claimed} IS NOT NULL")


def downgrade():
    for table, _claimed in CLAIMED:
        op.drop_column(table, 'email_accepted_at')
