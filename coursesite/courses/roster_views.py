"""Roster CSV import: upload, preview (nothing written), confirm."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from coursesite.courses import roster_import as importer
from coursesite.courses.blueprint import bp
from coursesite.courses.forms import RosterConfirmForm, RosterUploadForm
from coursesite.courses.invitation_mail import invitation_mail, not_sent_message
from coursesite.errors import render_error
from coursesite.extensions import db
from coursesite.files.sizes import size_text
from coursesite.models import Course
from coursesite.notifications.mail import deliver
from coursesite.permissions import can_manage_roster, course_view
from coursesite.security import form_checks_csrf

# Seconds of a roster import spent handing invitations to the mail server (gunicorn's timeout is 60).
MAIL_BUDGET_S = 20

MAX_ROSTER_BYTES = 2 * 1024 * 1024


TOO_LARGE = f"The file is larger than {size_text(MAX_ROSTER_BYTES)}. Split it into smaller files."


def _read_upload(form: RosterUploadForm):
    """The parsed file, or None with the reason put on the file field."""
    data = form.file.data.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        form.file.errors.append(TOO_LARGE)
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


def _import(course: Course, upload, confirm):
    try:
        parsed, filename = importer.load_preview(course, confirm.payload.data or "")
    except ValueError as error:
        upload.file.errors = [str(error)]  # the upload form was not validated: its errors are still a tuple
        return render_template("courses/roster_import.html", upload=upload, confirm=None, plan=None)
    if not confirm.validate_on_submit():  # the CSRF token was refused: show the same preview again
        return _preview(course, upload, confirm, parsed, filename)
    plan = importer.plan_import(course, parsed.rows, parsed.problems)
    invited = importer.apply_plan(course, plan, current_user)
    mails = [invitation_mail(course, user) for user in invited]
    db.session.commit()  # saved first: the mail server being down does not undo the import
    not_sent = _send_within_budget(mails)
    counts = ", ".join(
        f"{plan.count(action)} {label}"
        for action, label in (("invite", "invited"), ("update", "updated"), ("unchanged", "unchanged"))
        if plan.count(action)
    )
    skipped = f" {len(plan.problems)} lines were not imported." if plan.problems else ""
    flash(f"Roster imported from {filename}: {counts or 'nobody'}.{skipped}", "success")
    if not_sent:
        flash(not_sent_message(not_sent), "error")
    return redirect(url_for("courses.roster", slug=course.slug))


def _send_within_budget(mails: list) -> int:
    """Send the invitations, giving up on the rest once they have taken MAIL_BUDGET_S: a mail server that
    does not answer takes its whole timeout per message, and a class's worth would outlast the worker's
    request timeout. How many were not sent (each can be sent again from the roster)."""
    started, not_sent = time.monotonic(), 0
    for mail in mails:
        if time.monotonic() - started > MAIL_BUDGET_S or not deliver(mail):
            not_sent += 1
    return not_sent


@bp.errorhandler(413)
def too_large(error):
    """A roster file over the site's request limit: the import form again, naming the roster's own limit."""
    if request.endpoint != "courses.roster_import":
        return render_error(413)
    upload = RosterUploadForm(formdata=None)
    upload.file.errors = [TOO_LARGE]
    return render_template("courses/roster_import.html", upload=upload, confirm=None, plan=None), 413


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
