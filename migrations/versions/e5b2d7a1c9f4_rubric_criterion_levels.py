"""rubric criterion levels

Revision ID: e5b2d7a1c9f4
Revises: e5a7c2d91f08
Create Date: 2026-12-05 07:30:00.000000

Each rubric criterion gains its levels (name and points). Criteria saved before have none: graders keep
typing their points, so existing rubrics and their grades work as they did.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b2d7a1c9f4'
down_revision = 'e5a7c2d91f08'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rubric_criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('levels', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade():
    with op.batch_alter_table('rubric_criteria', schema=None) as batch_op:
        batch_op.drop_column('levels')
