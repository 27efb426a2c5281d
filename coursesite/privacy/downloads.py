"""Sending a data export: built in a bounded temporary file, streamed, never cached, named with slugs and a date."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO

from flask import Response, current_app, url_for

from coursesite.files.storage import storage_for
from coursesite.models import Course, Post, User, utcnow
from coursesite.privacy.archive import ExportTooLarge, safe_name, write_export
from coursesite.privacy.records import person_records

CHUNK_BYTES = 64 * 1024


def _essay_link(post: Post) -> str:
    return url_for("posts.essay", slug=post.course.slug, post_slug=post.slug, _external=True)


def _chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file's bytes, then the file closed: also when the download is cut short (the server closes us)."""
    try:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk
    finally:
        file.close()


def export_response(user: User, course: Course | None, name: str) -> Response:
    """The ZIP of `user`'s records (in `course`, or everywhere) as a download; ExportTooLarge past the limit."""
    now = utcnow()
    records = person_records(user, now, course)
    file = write_export(records, _essay_link, storage_for(current_app.config).open,
                        current_app.config["DATA_EXPORT_MAX_BYTES"])
    size = os.fstat(file.fileno()).st_size
    response = Response(_chunks(file), mimetype="application/zip", direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_name(name, "export")}-{now:%Y-%m-%d}.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


__all__ = ["ExportTooLarge", "export_response"]
