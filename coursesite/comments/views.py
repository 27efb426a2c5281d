"""Peer commenting: writing, editing, deleting and reporting comments on essays."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request
from flask_login import current_user

from coursesite.comments.blueprint import bp
from coursesite.comments.forms import CommentForm
from coursesite.comments.pages import course_comment, course_post, essay_url, form_url, rerender_essay
from coursesite.discussion import comments as comment_service
from coursesite.discussion import moderation
from coursesite.discussion.comments import CommentError, can_still_edit, edit_deadline
from coursesite.discussion.thread import FormState
from coursesite.extensions import db
from coursesite.forms import id_from
from coursesite.models import Course, utcnow
from coursesite.participation.checklist import length_decides
from coursesite.participation.hint import words_needed_to_count
from coursesite.participation.rules import long_enough
from coursesite.permissions import course_view, is_member, membership
from coursesite.security import CSRF_REFUSED_KEPT, form_checks_csrf, login_to_continue, safe_next
from coursesite.text.words import count_text_words

DEFAULT_COMMENT_RATE_LIMIT = "6 per minute; 60 per hour"


def _comment_paces() -> tuple[comment_service.Pace, ...]:
    """Per person, not per address (a classroom behind one NAT shares one), counted from the comments stored."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return ()
    return comment_service.comment_pace(current_app.config.get("COMMENT_RATE_LIMIT", DEFAULT_COMMENT_RATE_LIMIT))


def _parent_id(raw: str | None) -> int | None:
    """None for a comment on the essay; 0 (no comment's id) for a parent that cannot exist, which is refused."""
    raw = (raw or "").strip()
    return (id_from(raw) or 0) if raw else None


@bp.route("/c/<slug>/essays/<post_slug>/comments", methods=["GET", "POST"])
@course_view()
@form_checks_csrf
def create(course: Course, post_slug: str):
    post = course_post(course, post_slug)
    if request.method == "GET":  # the address a refused comment was shown at, reloaded: the essay's form; or
        # a comment's permalink followed from that page (`?comment=<id>`, relative): that comment
        comment_id = id_from(request.args.get("comment"))
        return redirect(essay_url(course, post, comment_id) if comment_id else form_url(course, post))
    if not current_user.is_authenticated:  # the login ended while the comment was written (comments.js keeps it)
        return login_to_continue(form_url(course, post, _parent_id(request.form.get("parent_id"))),
                                 "Log in again to post your comment.")
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
    too_short = _too_short_to_count(course, post, comment.word_count)
    db.session.commit()
    flash(_posted_message(held, parent_id is not None) + too_short,
          "info" if held else ("warning" if too_short else "success"))
    return redirect(url)


def _posted_message(held: bool, reply: bool) -> str:
    """What the writer is told on landing at their new comment (the page scrolls to it)."""
    what = "reply" if reply else "comment"
    if held:
        return (f"Your {what} is awaiting approval by the course staff. Only you and they can see it for now; "
                "it is shown below.")
    return f"Your {what} is posted: it is shown below."


def _too_short_to_count(course: Course, post, words: int) -> str:
    """A sentence for a student whose new comment would count toward the essay's assignment but for its length;
    else ""."""
    enrollment = membership(current_user, course)
    if enrollment is None or enrollment.role != "student":
        return ""
    min_words = words_needed_to_count(post, current_user.id, words)
    if min_words is None:
        return ""
    return (f" At {words} {'word' if words == 1 else 'words'} it does not count toward {post.assignment.title}, "
            f"which needs comments of at least {min_words} words.")


@bp.route("/c/<slug>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@course_view(is_member)
@form_checks_csrf
def edit(course: Course, comment_id: int):
    comment = course_comment(course, comment_id)
    if comment.author_id != current_user.id or comment.deleted_at is not None:
        abort(403)
    form = CommentForm(data={"body": comment.body} if request.method == "GET" else None)
    assignment = comment.post.assignment
    enrollment = membership(current_user, course)
    student = enrollment is not None and enrollment.role == "student"
    min_words = assignment.min_comment_words if student and length_decides(course, current_user.id, comment) else 0
    error, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            error, status = CSRF_REFUSED_KEPT, 400
        else:
            words_before = comment.word_count
            try:
                comment_service.edit_comment(comment, current_user, form.body.data,
                                             suspended=enrollment.comment_suspended)
            except CommentError as exc:
                db.session.rollback()
                error, status = str(exc), exc.status
            else:
                shortened = (min_words and long_enough(words_before, min_words)
                             and not long_enough(comment.word_count, min_words))
                message = (f"Your comment is updated. At {comment.word_count} words it is now under the "
                           f"{min_words} a comment needs to count for {assignment.title}." if shortened
                           else "Your comment is updated.")
                db.session.commit()
                flash(message, "warning" if shortened else "success")
                return redirect(essay_url(course, comment.post, comment.id))
    open_now = can_still_edit(comment, course, current_user.id)
    if not open_now and error is None:
        error = (f"Comments can be edited for {course.comment_edit_minutes} minutes after posting; "
                 "this one is now fixed.")
    return render_template("comments/edit.html", form=form, comment=comment, post=comment.post, error=error,
                           open_now=open_now, edit_until=edit_deadline(comment, course), min_words=min_words,
                           typed_words=count_text_words(form.body.data or ""), assignment=assignment), status


@bp.route("/c/<slug>/comments/<int:comment_id>/delete", methods=["POST"])
@course_view(is_member)
def delete(course: Course, comment_id: int):
    comment = course_comment(course, comment_id)
    if comment.author_id != current_user.id:
        abort(403)
    comment_service.delete_comment(comment, current_user, utcnow())
    db.session.commit()
    flash("Your comment is deleted.", "success")
    # Back to the page of the thread it was deleted from (the form says which), not the first.
    return redirect(safe_next(request.form.get("next"), essay_url(course, comment.post, anchor="comments")))


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

