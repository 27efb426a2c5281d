"""Invitations to join a course: the invited person accepts or declines; the course may withdraw one or
send it again."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from coursesite.courses.blueprint import bp
from coursesite.courses.forms import InvitationAnswerForm
from coursesite.extensions import db
from coursesite.models import Course, CourseInvitation, User
from coursesite.notifications.mail import Mail, deliver
from coursesite.people import invitations as course_invitations
from coursesite.people import tokens
from coursesite.people.pseudonyms import reads_as_staff
from coursesite.permissions import can_manage_roster, course_view, is_member, is_signed_in
from coursesite.security import form_checks_csrf


def invitation_mail(course: Course, user: User) -> Mail:
    """The invitation email: people with no password yet set one up on the way to the invitation."""
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    term = f" ({course.term})" if course.term else ""
    answer = url_for("courses.course_invitation", slug=course.slug)
    if user.password_hash is None:
        link = url_for("auth.invitation", token=tokens.make_token(user, "invite"), next=answer, _external=True)
        how = (f"To set up your account, choose a password and answer the invitation, open this link within "
               f"{days} days:\n\n{link}\n\nIt works once. If the link has expired, ask for a password "
               f"reset at {url_for('auth.reset_request', _external=True)}.")
    else:
        link = url_for("courses.course_invitation", slug=course.slug, _external=True)
        how = f"To answer the invitation, log in with this email and open:\n\n{link}"
    return Mail(
        user.email,
        f"You are invited to {course.title} on Coursesite",
        f"Hello {user.display_name},\n\nYou are invited to join {course.title}{term} on Coursesite. "
        f"You are not in the course until you accept.\n\n{how}\n",
        "course invitation",
    )


def not_sent_message(count: int) -> str:
    """What the instructor is told when the mail server refused invitation emails (each is logged)."""
    emails = f"{count} invitation email{'s' if count != 1 else ''}"
    return (f"The mail server did not accept {emails}. The invitations are saved; send them again with "
            "“Send again” under “Invited, not joined yet” below.")


@bp.route("/c/<slug>/invitation", methods=["GET", "POST"])
@course_view(is_signed_in)
@form_checks_csrf
def course_invitation(course: Course):
    """The signed-in person's own invitation to this course, if they have one."""
    if is_member(current_user, course):
        return redirect(url_for("posts.blog", slug=course.slug))
    invitation = course_invitations.pending(course, current_user)
    if invitation is None:
        flash(f"You have no invitation to {course.title}: it was answered or withdrawn, or it was sent to "
              "another account. Log in with the email it was sent to, or ask your instructor.", "error")
        return redirect(url_for("courses.index"))
    form = InvitationAnswerForm()
    if form.validate_on_submit():
        if form.decline.data:
            course_invitations.answer_no(invitation)
            db.session.commit()
            flash(f"You declined the invitation to {course.title}.", "info")
            return redirect(url_for("courses.index"))
        if reads_as_staff(course, current_user.id, current_user.display_name):
            flash(f"Your name reads the same as the name of someone on the staff of {course.title}. Change it on "
                  "your account page, then accept.", "error")
            return render_template("courses/invitation.html", form=form, invitation=invitation)
        course_invitations.accept(invitation)
        db.session.commit()
        return redirect(url_for("courses.welcome", slug=course.slug))
    return render_template("courses/invitation.html", form=form, invitation=invitation)


@bp.route("/c/<slug>/roster/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@course_view(can_manage_roster)
def withdraw_invitation(course: Course, invitation_id: int):
    invitation = _course_invitation(course, invitation_id)
    name = invitation.name or invitation.user.email
    course_invitations.answer_no(invitation)
    db.session.commit()
    flash(f"The invitation to {name} is withdrawn.", "success")
    return redirect(url_for("courses.roster", slug=course.slug) + "#invitations")


def _course_invitation(course: Course, invitation_id: int) -> CourseInvitation:
    invitation = db.session.get(CourseInvitation, invitation_id)
    if invitation is None or invitation.course_id != course.id:
        abort(404)
    return invitation


@bp.route("/c/<slug>/roster/invitations/<int:invitation_id>/resend", methods=["POST"])
@course_view(can_manage_roster)
def resend_invitation(course: Course, invitation_id: int):
    """Email an unanswered invitation again (the first one was lost, or the mail server refused it)."""
    invitation = _course_invitation(course, invitation_id)
    name = invitation.name or invitation.user.email
    mail = invitation_mail(course, invitation.user)
    db.session.commit()  # nothing written; ends the transaction before the mail server is asked
    if deliver(mail):
        flash(f"The invitation to {name} is sent again.", "success")
    else:
        flash(f"The mail server did not accept the invitation to {name}. It is still saved: send it again "
              "later.", "error")
    return redirect(url_for("courses.roster", slug=course.slug) + "#invitations")
