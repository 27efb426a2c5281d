"""An invitation to join a course, opened from its email: the invited person sees the offer and accepts."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Course
from ..permissions import course_view, is_member, is_signed_in
from ..security import form_checks_csrf
from ..services import course_invitations
from .forms import AcceptInvitationForm
from .views import bp

SPENT = "That invitation has expired, was already used, or is no longer valid. Ask your instructor for a new one."


@bp.route("/c/<slug>/join/<token>", methods=["GET", "POST"])
@course_view(is_signed_in)
@form_checks_csrf
def join_invited(course: Course, token: str):
    if is_member(current_user, course):
        flash(f"You are already in {course.title}.", "info")
        return redirect(url_for("posts.blog", slug=course.slug))
    invitation = course_invitations.read_invitation(course, token)
    if invitation is None:
        flash(SPENT, "error")
        return redirect(url_for("courses.index"))
    if invitation.user.id != current_user.id:
        flash("That invitation is for another account. Log out, then log in with the email it was sent to.",
              "error")
        return redirect(url_for("courses.index"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        course_invitations.accept(invitation)
        db.session.commit()
        return redirect(url_for("courses.welcome", slug=course.slug))
    return render_template("courses/invitation.html", form=form, invitation=invitation)
