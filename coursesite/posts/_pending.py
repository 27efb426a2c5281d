"""Stand-ins for the essay editor's endpoints, so My work can link to them before the editor is merged.

Remove this file (and its one registration line in posts/views.py) when posts.new_post and
posts.edit_post are merged.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..extensions import db
from ..models import Course, Post
from ..permissions import can_write_in, course_view


def register(bp: Blueprint) -> None:
    @bp.route("/posts/new", methods=["GET", "POST"])
    @course_view(can_write_in)
    def new_post(course: Course):
        return render_template("posts/_pending.html", heading="New post")

    @bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
    @course_view(can_write_in)
    def edit_post(course: Course, post_id: int):
        post = db.session.get(Post, post_id)
        if post is None or post.course_id != course.id or post.author_id != current_user.id:
            abort(404)
        return render_template("posts/_pending.html", heading=f"Edit “{post.title}”")
