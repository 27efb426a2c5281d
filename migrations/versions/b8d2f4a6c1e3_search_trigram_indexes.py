"""trigram indexes for the blog's search, on PostgreSQL

Revision ID: b8d2f4a6c1e3
Revises: a7d3f9c2e4b8
Create Date: 2026-12-07 10:40:00.000000

The blog's search matches words anywhere in an essay's title and text and in comments (ILIKE '%word%'). On
PostgreSQL, pg_trgm's GIN indexes find the rows holding the words without reading every text. SQLite has no
such index: nothing changes there.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d2f4a6c1e3'
down_revision = 'a7d3f9c2e4b8'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Built without holding off writers: at 3,000 students each index takes 15-20 s to build, and a plain
    # CREATE INDEX would make every comment and essay saved meanwhile wait for it.
    with op.get_context().autocommit_block():
        # The expression essays are searched by (models.post.searched_text).
        op.create_index("ix_posts_text_trgm", "posts", [sa.text("(title || ' ' || body) gin_trgm_ops")],
                        postgresql_using="gin", postgresql_concurrently=True)
        op.create_index("ix_comments_body_trgm", "comments", ["body"], postgresql_using="gin",
                        postgresql_ops={"body": "gin_trgm_ops"}, postgresql_concurrently=True)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_comments_body_trgm", table_name="comments")
    op.drop_index("ix_posts_text_trgm", table_name="posts")
