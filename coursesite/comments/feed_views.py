"""Atom feeds of comments, per essay and per course."""

from __future__ import annotations

from flask import Response, abort
from flask_login import current_user

from coursesite.comments.atom import comments_feed
from coursesite.comments.blueprint import bp
from coursesite.comments.pages import course_post
from coursesite.discussion.comments import post_is_live
from coursesite.models import Course
from coursesite.permissions import can_read_course, course_view

ATOM = "application/atom+xml; charset=utf-8"


def _readable(course: Course) -> None:
    # Feed readers carry no session: a members-only course's feed does not exist for them.
    if not can_read_course(current_user, course):
        abort(404)


@bp.route("/c/<slug>/comments.atom")
@course_view(lambda user, course: True)
def course_feed(course: Course):
    _readable(course)
    return Response(comments_feed(course), content_type=ATOM)


@bp.route("/c/<slug>/essays/<post_slug>/comments.atom")
@course_view(lambda user, course: True)
def post_feed(course: Course, post_slug: str):
    _readable(course)
    post = course_post(course, post_slug)
    if not post_is_live(post):
        abort(404)
    return Response(comments_feed(course, post), content_type=ATOM)
