"""Student posting: the course blog and essays."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Course, Post
from ..permissions import course_view
from ..services.posts import visible_posts
from . import _pending, _pending_essay

bp = Blueprint("posts", __name__, url_prefix="/c/<slug>")
_pending_essay.register(bp)  # stand-in essay page until the essays work lands; dropped at merge
_pending.register(bp)  # editor stand-ins: remove when posts.new_post and posts.edit_post are merged

PER_PAGE = 10


@bp.route("/")
@course_view()
def blog(course: Course):
    query = visible_posts(course).options(selectinload(Post.author)).order_by(Post.published_at.desc())
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("posts/blog.html", page=page)
