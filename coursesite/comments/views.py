"""Peer commenting: writing, editing, deleting and reporting comments on essays.

Moderation, participation (My comments, readers), notifications and feeds register their routes on the
same blueprint from the modules imported at the end.
"""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db, login_manager
from ..forms import id_from
from ..models import Comment, Course, Post, utcnow
from ..permissions import can_see_private_work, course_view, is_member, membership
from ..security import CSRF_REFUSED_KEPT, form_checks_csrf
from ..services import comments as comment_service
from ..services import moderation
from ..services import posts as post_service
from ..services.comment_thread import FORM_STATE_KEY, FormState
from ..services.comments import CommentError, can_still_edit, comment_visible_to, edit_deadline
from .blueprint import bp
from .forms import CommentForm

DEFAULT_COMMENT_RATE_LIMIT = "6 per minute; 60 per hour"


def _comment_paces() -> tuple[comment_service.Pace, ...]:
    """Per person, not per address (a classroom behind one NAT shares one), counted from the comments stored."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return ()
    return comment_service.comment_pace(current_app.config.get("COMMENT_RATE_LIMIT", DEFAULT_COMMENT_RATE_LIMIT))


def course_post(course: Course, post_slug: str) -> Post:
    """The essay if this reader may see it (drafts and scheduled ones only to their author and staff)."""
    post = post_service.find_post(course, post_slug)
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
    anchor = anchor or (f"comment-{comment_id}" if comment_id else None)
    return url_for("posts.essay", slug=course.slug, post_slug=post.slug, _anchor=anchor)


def rerender_essay(course: Course, post: Post, state: FormState, status: int):
    """Show the essay page again with the refused comment in the box and the message above it."""
    request.environ[FORM_STATE_KEY] = state
    response = make_response(current_app.view_functions["posts.essay"](slug=course.slug, post_slug=post.slug))
    response.status_code = status
    return response


def _parent_id(raw: str | None) -> int | None:
    """None for a comment on the essay; 0 (no comment's id) for a parent that cannot exist, which is refused."""
    raw = (raw or "").strip()
    return (id_from(raw) or 0) if raw else None


@bp.route("/c/<slug>/essays/<post_slug>/comments", methods=["POST"])
@course_view()
@form_checks_csrf
def create(course: Course, post_slug: str):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    post = course_post(course, post_slug)
    form = CommentForm()
    body, parent_id = form.body.data or "", _parent_id(form.parent_id.data)
    if not form.validate_on_submit():
        return rerender_essay(course, post, FormState(body, parent_id, CSRF_REFUSED_KEPT), 400)
    try:
        comment = comment_service.create_comment(post, current_user, membership(current_user, course), body, parent_id,
                                                 paces=_comment_paces())
    except CommentError as error:
        db.session.rollback()
        response = rerender_essay(course, post, FormState(body, parent_id, str(error)), error.status)
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    # Worked out before the commit, which expires every loaded row: afterwards they would be read again.
    held, url = comment.status == "held", essay_url(course, post, comment.id)
    db.session.commit()
    flash(_posted_message(held, parent_id is not None), "info" if held else "success")
    return redirect(url)


def _posted_message(held: bool, reply: bool) -> str:
    """What the writer is told on landing at their new comment (the page scrolls to it)."""
    what = "reply" if reply else "comment"
    if held:
        return (f"Your {what} is awaiting approval by the course staff. Only you and they can see it for now; "
                "it is shown below.")
    return f"Your {what} is posted: it is shown below."


@bp.route("/c/<slug>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@course_view(is_member)
@form_checks_csrf
def edit(course: Course, comment_id: int):
    comment = course_comment(course, comment_id)
    if comment.author_id != current_user.id or comment.deleted_at is not None:
        abort(403)
    form = CommentForm(data={"body": comment.body} if request.method == "GET" else None)
    error, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            error, status = CSRF_REFUSED_KEPT, 400
        else:
            try:
                suspended = membership(current_user, course).comment_suspended
                comment_service.edit_comment(comment, current_user, form.body.data, suspended=suspended)
            except CommentError as exc:
                db.session.rollback()
                error, status = str(exc), exc.status
            else:
                db.session.commit()
                flash("Your comment is updated.", "success")
                return redirect(essay_url(course, comment.post, comment.id))
    open_now = can_still_edit(comment, course, current_user.id)
    if not open_now and error is None:
        error = (f"Comments can be edited for {course.comment_edit_minutes} minutes after posting; "
                 "this one is now fixed.")
    return render_template("comments/edit.html", form=form, comment=comment, post=comment.post, error=error,
                           open_now=open_now, edit_until=edit_deadline(comment, course)), status


@bp.route("/c/<slug>/comments/<int:comment_id>/delete", methods=["POST"])
@course_view(is_member)
def delete(course: Course, comment_id: int):
    comment = course_comment(course, comment_id)
    if comment.author_id != current_user.id:
        abort(403)
    comment_service.delete_comment(comment, current_user, utcnow())
    db.session.commit()
    flash("Your comment is deleted.", "success")
    return redirect(essay_url(course, comment.post, anchor="comments"))


@bp.route("/c/<slug>/comments/<int:comment_id>/report", methods=["POST"])
@course_view(is_member)
def report(course: Course, comment_id: int):
    comment = course_comment(course, comment_id)
    try:
        created = moderation.report(comment, current_user, request.form.get("reason"))
    except CommentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(essay_url(course, comment.post, comment.id))
    db.session.commit()
    flash("Thank you: the course staff will look at this comment." if created
          else "You already reported this comment; the course staff will look at it.", "success")
    return redirect(essay_url(course, comment.post, comment.id))


from . import feed_views, moderation_views, notification_views, participation_views  # noqa: E402,F401
