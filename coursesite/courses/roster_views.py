"""Roster CSV import: upload, preview (nothing written), confirm."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Course, User
from ..permissions import can_manage_roster, course_view
from ..security import form_checks_csrf
from ..services import roster_import as importer
from ..services import tokens
from ..services.mail import send_mail
from .forms import RosterConfirmForm, RosterUploadForm
from .views import bp

MAX_ROSTER_BYTES = 2 * 1024 * 1024


def _read_upload(form: RosterUploadForm):
    """The parsed file, or None with the reason put on the file field."""
    data = form.file.data.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        form.file.errors.append("The file is larger than 2 MB. Split it into smaller files.")
        return None
    try:
        return importer.parse_roster(data)
    except importer.RosterFileError as error:
        form.file.errors.append(str(error))
        return None


def _shown_name(filename: str | None) -> str:
    """The uploaded file's own name, without any folder, short enough for a heading."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:100] or "the file"


def _preview(course: Course, upload, confirm, parsed, filename: str):
    plan = importer.plan_import(course, parsed.rows, parsed.problems)
    confirm.payload.data = importer.dump_preview(course, parsed, filename)
    return render_template(
        "courses/roster_import.html", upload=upload, confirm=confirm, parsed=parsed, plan=plan, filename=filename,
        FIELD_LABELS=importer.FIELD_LABELS,
    )


def _course_line(course: Course) -> str:
    return f"{course.title}{' (' + course.term + ')' if course.term else ''}"


def _setup_link(user: User) -> str:
    return url_for("auth.invitation", token=tokens.make_token(user, "invite"), _external=True)


def _send_invitations(course: Course, invitations: list[importer.Invitation]) -> None:
    for invitation in invitations:
        if invitation.join_token:
            _send_join_invitation(course, invitation.user, invitation.join_token)
        else:
            _send_account_invitation(course, invitation.user)


def _send_account_invitation(course: Course, user: User) -> None:
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    send_mail(
        user.email,
        f"You are invited to {course.title} on Coursesite",
        f"Hello {user.display_name},\n\nYou have been added to {_course_line(course)} on Coursesite. To set up "
        f"your account and choose a password, open this link within {days} days:\n\n{_setup_link(user)}\n\n"
        f"It works once. If the link has expired, ask for a password reset at "
        f"{url_for('auth.reset_request', _external=True)}.\n",
    )


def _send_join_invitation(course: Course, user: User, token: str) -> None:
    """To an existing account: nothing changes for them unless they accept."""
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    link = url_for("courses.join_invited", slug=course.slug, token=token, _external=True)
    setup = (f"You have not chosen a password yet: set up your account first with this link:\n\n"
             f"{_setup_link(user)}\n\n") if user.password_hash is None else ""
    send_mail(
        user.email,
        f"You are invited to join {course.title} on Coursesite",
        f"Hello {user.display_name},\n\nYou are invited to join {_course_line(course)} on Coursesite. "
        f"{setup}To see the invitation and join, open this link within {days} days and log in with this "
        f"email:\n\n{link}\n\nYou are not in the course until you accept. If you do not want to join, "
        f"ignore this message.\n",
    )


def _import(course: Course, upload, confirm):
    try:
        parsed, filename = importer.load_preview(course, confirm.payload.data or "")
    except ValueError as error:
        upload.file.errors = [str(error)]  # the upload form was not validated: its errors are still a tuple
        return render_template("courses/roster_import.html", upload=upload, confirm=None, plan=None)
    if not confirm.validate_on_submit():  # the CSRF token was refused: show the same preview again
        return _preview(course, upload, confirm, parsed, filename)
    plan = importer.plan_import(course, parsed.rows, parsed.problems)
    invitations = importer.apply_plan(course, plan, current_user)
    db.session.commit()
    _send_invitations(course, invitations)
    counts = ", ".join(
        f"{plan.count(action)} {label}"
        for action, label in (("invite", "invited"), ("update", "updated"), ("unchanged", "unchanged"))
        if plan.count(action)
    )
    skipped = f" {len(plan.problems)} lines were not imported." if plan.problems else ""
    flash(f"Roster imported from {filename}: {counts or 'nobody'}.{skipped}", "success")
    return redirect(url_for("courses.roster", slug=course.slug))


@bp.route("/c/<slug>/roster/import", methods=["GET", "POST"])
@course_view(can_manage_roster)
@form_checks_csrf
def roster_import(course: Course):
    upload = RosterUploadForm()
    confirm = RosterConfirmForm()
    if request.method == "POST" and "payload" in request.form:
        return _import(course, upload, confirm)
    if upload.validate_on_submit():
        parsed = _read_upload(upload)
        if parsed is not None:
            return _preview(course, upload, confirm, parsed, _shown_name(upload.file.data.filename))
    return render_template("courses/roster_import.html", upload=upload, confirm=None, plan=None)
