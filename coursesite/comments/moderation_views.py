"""Staff moderation: the queue, approve and reject, hide and unhide, suspending a commenter."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coursesite.comments.blueprint import bp
from coursesite.comments.pages import course_comment, essay_url
from coursesite.discussion import moderation
from coursesite.discussion.comments import CommentError
from coursesite.extensions import db
from coursesite.models import Course, Enrollment
from coursesite.permissions import can_moderate, course_view
from coursesite.security import safe_next


def _back(course: Course, comment) -> str:
    return safe_next(request.form.get("next"), essay_url(course, comment.post, comment.id))


def _act(course: Course, comment_id: int, action, done: str):
    comment = course_comment(course, comment_id)
    try:
        message = action(comment) or done
    except CommentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(_back(course, comment))
    db.session.commit()
    flash(message, "success")
    return redirect(_back(course, comment))


@bp.route("/c/<slug>/comments/<int:comment_id>/approve", methods=["POST"])
@course_view(can_moderate)
def approve(course: Course, comment_id: int):
    return _act(course, comment_id, lambda c: moderation.approve(c, current_user), "The comment is approved.")


@bp.route("/c/<slug>/comments/<int:comment_id>/reject", methods=["POST"])
@course_view(can_moderate)
def reject(course: Course, comment_id: int):
    return _act(course, comment_id, lambda c: moderation.reject(c, current_user),
                "The comment is rejected. Only staff can see it now.")


@bp.route("/c/<slug>/comments/<int:comment_id>/hide", methods=["POST"])
@course_view(can_moderate)
def hide(course: Course, comment_id: int):
    reason = request.form.get("reason")
    return _act(course, comment_id, lambda c: moderation.hide(c, current_user, reason),
                "The comment is hidden from students. It no longer counts.")


@bp.route("/c/<slug>/comments/<int:comment_id>/unhide", methods=["POST"])
@course_view(can_moderate)
def unhide(course: Course, comment_id: int):
    return _act(course, comment_id, lambda c: moderation.unhide(c, current_user), "The comment is shown again.")


@bp.route("/c/<slug>/moderation")
@course_view(can_moderate)
def queue(course: Course):
    return render_template("comments/queue.html", items=moderation.queue(course),
                           suspended=moderation.suspended_students(course))


@bp.route("/c/<slug>/roster/<int:enrollment_id>/suspend", methods=["POST"])
@course_view(can_moderate)
def suspend(course: Course, enrollment_id: int):
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.course_id != course.id or enrollment.ended_at is not None:
        abort(404)
    suspended = request.form.get("suspended", "1") != "0"
    name = enrollment.course_name or enrollment.user.display_name
    back = safe_next(request.form.get("next"), url_for("comments.queue", slug=course.slug))
    try:
        moderation.set_suspended(enrollment, suspended)
    except CommentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(f"{name} can no longer comment in this course." if suspended else f"{name} can comment again.", "success")
    return redirect(back)
