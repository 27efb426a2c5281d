"""users.last_digest_at goes: nothing reads it

Revision ID: e9c4b1d7a2f6
Revises: d6f1a3c8e2b5
Create Date: 2026-12-06 17:00:00.000000

Digests are claimed notice by notice (notifications.emailed_at), so the time of a person's last digest decides
nothing; kept, it recorded activity nobody reads and had to be cleared on anonymising.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e9c4b1d7a2f6'
down_revision = 'd6f1a3c8e2b5'
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TABLE … DROP COLUMN (SQLite 3.35 and later), not a batch copy: recreating `users` on SQLite would drop
    # the table every other table refers to.
    op.drop_column('users', 'last_digest_at')


def downgrade():
    op.add_column('users', sa.Column('last_digest_at', sa.DateTime(timezone=True), nullable=True))
