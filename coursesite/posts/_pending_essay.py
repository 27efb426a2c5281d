"""A stand-in essay page for developing the comment thread; the essays work replaces it at merge.

posts.essay at /c/<slug>/essays/<post_slug>/: the title, the body and the comment section. Drafts and
scheduled essays show only to their author and staff, as the real page will.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..models import Course
from ..permissions import course_view
from ..services.comments import thread_context


def register(bp: Blueprint) -> None:
    @bp.route("/essays/<post_slug>/", endpoint="essay")
    @course_view()
    def essay(course: Course, post_slug: str):
        from ..comments.views import course_post

        post = course_post(course, post_slug)
        return render_template("posts/essay.html", post=post, **thread_context(post, current_user))
