"""The invitation email, and what the roster pages say when the mail server refused some: shared by the roster
import and the invitations' own pages."""

from __future__ import annotations

from flask import current_app, url_for

from coursesite.models import Course, User
from coursesite.notifications.mail import Mail
from coursesite.people import tokens


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
            "“Send again” on the roster's list of people invited, not joined yet.")
