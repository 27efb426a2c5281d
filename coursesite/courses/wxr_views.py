"""WordPress in and out for a course: upload a WXR file, preview what it brings, confirm; download WXR."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from coursesite.courses.wxr_forms import WxrImportForm
from coursesite.errors import render_error
from coursesite.extensions import db
from coursesite.files.sizes import size_text
from coursesite.models import Course, User
from coursesite.people import accounts
from coursesite.permissions import can_import_export_wxr, course_view
from coursesite.security import form_checks_csrf
from coursesite.wordpress import pending as wxr_pending
from coursesite.wordpress.exporter import wxr_parts
from coursesite.wordpress.importer import ImportOptions
from coursesite.wordpress.importer import import_wxr as import_blog
from coursesite.wordpress.parse import MAX_WXR_BYTES, WxrError, parse_wxr

bp = Blueprint("wxr", __name__)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _max_bytes() -> int:
    return current_app.config.get("WXR_MAX_BYTES", MAX_WXR_BYTES)


PERSON_FIELD = "person-"


def _chosen_accounts() -> tuple[dict[str, User], dict[str, str]]:
    """A site admin's links from people of the file to accounts (email per person); others choose nothing.

    Returns (account by person ref, error by person ref).
    """
    chosen: dict[str, User] = {}
    errors: dict[str, str] = {}
    if not current_user.is_admin:
        return chosen, errors
    for name, value in request.form.items():
        email = value.strip()
        if not name.startswith(PERSON_FIELD) or not email:
            continue
        ref = name.removeprefix(PERSON_FIELD)[:16]
        user = accounts.find_user(email)
        if user is None or user.is_guest:
            errors[ref] = f"No account has the email {email[:254]}."
        else:
            chosen[ref] = user
    return chosen, errors


def _preview(course: Course, pending, report, chosen: dict[str, User] | None = None,
             errors: dict[str, str] | None = None):
    typed = {ref: request.form.get(PERSON_FIELD + ref, "") for ref in errors or {}}
    typed.update({ref: user.email for ref, user in (chosen or {}).items()})
    outside = _outside_accounts(report) if current_user.is_admin else set()
    return render_template("courses/wxr_preview.html", report=report, pending=pending, typed=typed,
                           errors=errors or {}, field_prefix=PERSON_FIELD, outside=outside)


def _outside_accounts(report) -> set[str]:
    """For a site admin only: which guests of the preview have an account on the site under their email."""
    return {p.ref for p in report.people if p.outcome == "guest" and p.email and accounts.find_user(p.email)}


# Room for the form's other fields and the multipart framing around the file.
FORM_ALLOWANCE = 64 * 1024


def _too_large_message() -> str:
    return (f"This file is larger than the {size_text(_max_bytes())} limit for WordPress exports. In WordPress, "
            "export one author or a range of dates at a time, and import each file.")


@bp.errorhandler(413)
def too_large(error):
    """The import form again, saying what the limit is; any other request too large gets the usual page."""
    if request.endpoint != "wxr.import_wxr":
        return render_error(413)
    form = WxrImportForm(formdata=None)
    form.file.errors = [_too_large_message()]
    return render_template("courses/wxr_import.html", form=form, max_size=size_text(_max_bytes())), 413


@bp.route("/c/<slug>/import", methods=["GET", "POST"])
@course_view(can_import_export_wxr)
@form_checks_csrf
def import_wxr(course: Course):
    """Upload, then see the report of a dry run; nothing is written until the import is confirmed."""
    # An export may be larger than the site's usual request limit (MAX_CONTENT_LENGTH); over its own, 413.
    request.max_content_length = _max_bytes() + FORM_ALLOWANCE
    form = WxrImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        # Reading and parsing the file need no database: the transaction the permission check began (on a
        # POST it holds SQLite's write lock) ends first. Only the dry run itself writes, then rolls back.
        db.session.commit()
        data = upload.read(_max_bytes() + 1)
        options = ImportOptions(include_drafts=form.include_drafts.data, include_pending=form.include_pending.data,
                                dry_run=True)
        try:
            doc = parse_wxr(data, _max_bytes())
            report = import_blog(doc, importer=current_user, options=options, course=course)
        except WxrError as error:
            form.file.errors.append(f"This file cannot be imported: {error}.")
        else:
            pending = wxr_pending.keep_upload(course, current_user, upload.filename or "", data, options)
            db.session.commit()
            return _preview(course, pending, report)
    return render_template("courses/wxr_import.html", form=form, max_size=size_text(_max_bytes()))


@bp.route("/c/<slug>/import/confirm", methods=["POST"])
@course_view(can_import_export_wxr)
def confirm_import(course: Course):
    pending = wxr_pending.find_upload(course, current_user, request.form.get("token", ""))
    if pending is None:
        flash("That preview is no longer available. Upload the file again.", "error")
        return redirect(url_for("wxr.import_wxr", slug=course.slug))
    chosen, errors = _chosen_accounts()
    dry_run = bool(errors)
    try:
        report = import_blog(parse_wxr(pending.data, _max_bytes()), importer=current_user,
                             options=wxr_pending.options_of(pending, dry_run=dry_run), course=course, chosen=chosen)
    except WxrError as error:
        flash(f"Nothing was imported: {error}.", "error")
        return redirect(url_for("wxr.import_wxr", slug=course.slug))
    if dry_run:  # an account that does not exist was named: show the preview again, nothing imported
        return _preview(course, pending, report, chosen, errors)
    db.session.delete(pending)
    db.session.commit()
    flash(f"Imported {_count(len(report.posts_created), 'essay')} and {_count(report.comments_created, 'comment')}"
          f" ({_count(len(report.people_created), 'new guest author')}).", "success")
    return redirect(url_for("posts.blog", slug=course.slug))


@bp.route("/c/<slug>/export.xml")
@course_view(can_import_export_wxr)
def export_wxr(course: Course):
    """The course blog as a WordPress export file (emails only when asked for), sent as it is written: a
    3,000-student course's file is some 450 MB, which a worker never holds whole."""
    parts = wxr_parts(course, site_url=request.url_root, include_emails=request.args.get("emails") == "1")
    response = Response(stream_with_context(parts), mimetype="application/xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{course.slug}.wordpress.xml"'
    response.headers["Cache-Control"] = "no-store"
    return response
