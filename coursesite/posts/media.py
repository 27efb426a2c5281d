"""Images for essays: upload (from the editor's Image button or a plain form) and serving."""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user

from coursesite.errors import _wants_json as wants_json
from coursesite.errors import render_error
from coursesite.extensions import db, limiter, person_or_address
from coursesite.files.images import ImageError
from coursesite.files.sizes import size_text
from coursesite.files.storage import storage_for
from coursesite.files.uploads import find_upload, save_upload
from coursesite.models import Course
from coursesite.permissions import can_write_in, course_view
from coursesite.posts.blueprint import bp
from coursesite.posts.pages import login_or_401

A_YEAR_S = 365 * 24 * 3600
FILE_NAME_SHOWN = 80
NO_FILE = "Choose a picture to upload (PNG, JPEG, GIF or WebP)."


def _alt_text(raw: str | None) -> str:
    # Square brackets would end the Markdown image's description early.
    return " ".join((raw or "").replace("[", "(").replace("]", ")").split())[:200]


def _named(filename: str, message: str) -> str:
    """The refusal naming the file the person chose (its last path part, control characters out, cut short)."""
    name = "".join(ch for ch in filename.rsplit("/", 1)[-1] if ch.isprintable()).strip()
    if len(name) > FILE_NAME_SHOWN:
        name = name[:FILE_NAME_SHOWN - 1] + "…"
    return f"“{name}” was not uploaded. {message}" if name else message


def _refused(message: str, status: int = 400):
    if wants_json():
        return jsonify(error="invalid", message=message), status
    return render_template("posts/upload.html", error=message, upload=None), status


@bp.errorhandler(413)
def too_large(error):
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if request.endpoint != "posts.upload" or not limit:
        return render_error(413)
    message = (f"This file is larger than the {size_text(limit)} this site accepts. Choose a smaller picture, "
               "or shrink it on your phone or computer first.")
    return _refused(message, 413)


@bp.route("/uploads", methods=["POST"])
@limiter.limit(lambda: current_app.config["UPLOAD_RATE_LIMIT"], key_func=person_or_address)
@limiter.limit(lambda: current_app.config["UPLOAD_ADDRESS_RATE_LIMIT"])
@login_or_401
@course_view(can_write_in)
def upload(course: Course):
    sent = request.files.get("image")
    if sent is None or not sent.filename:
        return _refused(NO_FILE)
    try:
        record = save_upload(storage_for(current_app.config), course, current_user, sent.read())
    except ImageError as error:
        db.session.rollback()
        return _refused(_named(sent.filename, str(error)), 415 if error.unsupported else 400)
    db.session.commit()
    url = url_for("posts.upload_file", slug=course.slug, key=record.storage_key)
    alt = _alt_text(request.form.get("alt")) or "image"
    markdown = f"![{alt}]({url})"
    if wants_json():
        return jsonify(url=url, markdown=markdown, width=record.width, height=record.height), 201
    return render_template("posts/upload.html", upload=record, url=url, markdown=markdown, error=None), 201


@bp.route("/uploads/<key>")
@course_view()
def upload_file(course: Course, key: str):
    record = find_upload(course, key)
    if record is None:
        abort(404)
    try:
        data = storage_for(current_app.config).open(record.storage_key)
    except KeyError:
        abort(404)
    response = Response(data, mimetype=record.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    # Nothing in a picture may run; the browser's own viewer, for a picture opened in a tab of its own, styles
    # itself inline.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.set_etag(record.storage_key)  # a key is never given other content: a strong validator
    _who_may_keep(response, course)
    # course_view checked access before this view ran: a reader without it is refused, never told "not modified".
    return response.make_conditional(request)


def _who_may_keep(response: Response, course: Course) -> None:
    """Anyone may keep a public course's image for a year, but a shared cache (nginx's micro-cache, a CDN) only
    as long as its pages (`s-maxage`): once the course is members-only, it no longer hands the image to people
    who never saw it. A members-only course's image the browser keeps but asks about each time, so after a
    logout on a shared computer, or for a student removed from the course, the server refuses it instead of the
    browser showing it from its cache."""
    if course.is_public:
        response.cache_control.public = True
        response.cache_control.max_age = A_YEAR_S
        response.cache_control.s_maxage = current_app.config["PUBLIC_PAGE_MAX_AGE"]
        response.cache_control.immutable = True
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
