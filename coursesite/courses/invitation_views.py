"""Invitations to join a course: the invited person accepts or declines; the course may withdraw one or
send it again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coursesite.courses.blueprint import bp
from coursesite.courses.forms import InvitationAnswerForm
from coursesite.courses.invitation_mail import invitation_mail
from coursesite.courses.pages import list_place
from coursesite.extensions import db
from coursesite.forms import page_number, search_text
from coursesite.models import Course, CourseInvitation
from coursesite.notifications.mail import deliver
from coursesite.paging import place, read_page
from coursesite.people import invitations as course_invitations
from coursesite.people.pseudonyms import reads_as_staff
from coursesite.permissions import can_manage_roster, course_view, is_member, is_signed_in
from coursesite.security import form_checks_csrf


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


@bp.route("/c/<slug>/roster/invitations")
@course_view(can_manage_roster)
def invitations(course: Course):
    """The invitations nobody has answered yet, fifty a page: an import of a class new to the site invites
    hundreds."""
    search = search_text()
    page, shown = read_page(course_invitations.pending_in(course, search)
                            .options(selectinload(CourseInvitation.user), selectinload(CourseInvitation.section)),
                            page_number())
    return render_template("courses/invitations.html", invitations=shown, page=page, search=search,
                           place=place(search, page.number))


def _invitations_url(course: Course) -> str:
    """The page of the invitations a form was sent from, with its search."""
    return url_for("courses.invitations", slug=course.slug, **list_place())


@bp.route("/c/<slug>/roster/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@course_view(can_manage_roster)
def withdraw_invitation(course: Course, invitation_id: int):
    invitation = _course_invitation(course, invitation_id)
    back = _invitations_url(course)
    if invitation is None:
        flash(NO_LONGER_WAITING, "info")
        return redirect(back)
    name = invitation.name or invitation.user.email
    course_invitations.answer_no(invitation)
    db.session.commit()
    flash(f"The invitation to {name} is withdrawn.", "success")
    return redirect(back)


NO_LONGER_WAITING = ("That invitation is no longer waiting: it was accepted, declined or withdrawn after the page "
                     "was shown. Nothing was changed or sent.")


def _course_invitation(course: Course, invitation_id: int) -> CourseInvitation | None:
    """The course's invitation; None once it is answered or withdrawn (a page open since, a second tab); another
    course's is not found."""
    invitation = db.session.get(CourseInvitation, invitation_id)
    if invitation is not None and invitation.course_id != course.id:
        abort(404)
    return invitation


@bp.route("/c/<slug>/roster/invitations/<int:invitation_id>/resend", methods=["POST"])
@course_view(can_manage_roster)
def resend_invitation(course: Course, invitation_id: int):
    """Email an unanswered invitation again (the first one was lost, or the mail server refused it)."""
    invitation = _course_invitation(course, invitation_id)
    back = _invitations_url(course)
    if invitation is None:
        flash(NO_LONGER_WAITING, "info")
        return redirect(back)
    name = invitation.name or invitation.user.email
    if is_member(invitation.user, course):  # joined with the course's code meanwhile: the email would be wrong
        flash(f"{name} has joined the course already, so nothing was sent. The invitation still offers its "
              "role, section and IDs until they answer it.", "info")
        return redirect(back)
    mail = invitation_mail(course, invitation.user)
    db.session.commit()  # nothing written; ends the transaction before the mail server is asked
    if deliver(mail):
        flash(f"The invitation to {name} is sent again.", "success")
    else:
        flash(f"The mail server did not accept the invitation to {name}. It is still saved: send it again "
              "later.", "error")
    return redirect(back)
