"""What the comment views share: the essay or comment a URL names, if this reader may see it, and where to
send them back to."""

from __future__ import annotations

from flask import abort, current_app, make_response, request, url_for
from flask_login import current_user
from sqlalchemy.orm import defer, joinedload

from coursesite.discussion import comments as comment_service
from coursesite.discussion.comments import comment_visible_to
from coursesite.discussion.thread import FORM_STATE_KEY, FormState
from coursesite.essays import listing as post_service
from coursesite.extensions import db
from coursesite.forms import page_number
from coursesite.links import comment_page_url, comment_url
from coursesite.models import Comment, Course, Post
from coursesite.permissions import can_see_private_work


def course_post(course: Course, post_slug: str) -> Post:
    """The essay if this reader may see it (drafts and scheduled ones only to their author and staff), with
    its author, whom a new comment notifies. Its text is not read: a comment needs only the essay's facts, and
    an essay is long (the essay page, shown again for a refused comment, reads it when it needs it)."""
    post = post_service.find_post(course, post_slug, defer(Post.body), defer(Post.body_html), joinedload(Post.author))
    if post is None:
        abort(404)
    if comment_service.post_is_live(post):
        return post
    own = current_user.is_authenticated and post.author_id == current_user.id and post.deleted_at is None
    if own or can_see_private_work(current_user, course):
        return post
    abort(404)


def viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def course_comment(course: Course, comment_id: int) -> Comment:
    """The comment if it is in this course and the reader may see it; 404 otherwise."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.post.course_id != course.id:
        abort(404)
    staff = can_see_private_work(current_user, course)
    if comment.deleted_at is not None:
        if not staff and comment.author_id != viewer_id():
            abort(404)
    elif not comment_visible_to(comment, viewer_id(), staff):
        abort(404)
    return comment


def essay_url(course: Course, post: Post, comment_id: int | None = None, anchor: str | None = None) -> str:
    if comment_id:
        return comment_url(course.slug, post.slug, comment_id)
    return url_for("posts.essay", slug=course.slug, post_slug=post.slug, _anchor=anchor)


def form_url(course: Course, post: Post, parent_id: int | None = None) -> str:
    """The essay's comment form where it was sent from: under the comment answered, else on the page of a long
    thread the form was on (its address carries `?cpage=N`)."""
    if parent_id:
        return url_for("posts.essay", slug=course.slug, post_slug=post.slug, replytocom=parent_id, _anchor="respond")
    return comment_page_url(course.slug, post.slug, page_number("cpage"), _anchor="respond")


def rerender_essay(course: Course, post: Post, state: FormState, status: int):
    """Show the essay page again with the refused comment in the box and the message above it."""
    request.environ[FORM_STATE_KEY] = state
    response = make_response(current_app.view_functions["posts.essay"](slug=course.slug, post_slug=post.slug))
    response.status_code = status
    return response
