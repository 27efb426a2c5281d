"""Uploaded WXR files between the preview (a dry run) and the instructor's confirmation."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from coursesite.extensions import db
from coursesite.models import Course, PendingImport, User, utcnow
from coursesite.wordpress.importer import ImportOptions

KEPT_FOR = timedelta(days=1)


def keep_upload(course: Course, user: User, filename: str, data: bytes, options: ImportOptions) -> PendingImport:
    """Store the file for confirmation; uploads older than a day are dropped on the way."""
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - KEPT_FOR))
    pending = PendingImport(
        token=secrets.token_urlsafe(32), course_id=course.id, user_id=user.id, filename=filename[:255], data=data,
        include_drafts=options.include_drafts, include_pending=options.include_pending,
    )
    db.session.add(pending)
    db.session.flush()
    return pending


def find_upload(course: Course, user: User, token: str) -> PendingImport | None:
    """The upload this person previewed for this course, if it is still kept."""
    if not token:
        return None
    return db.session.scalar(
        select(PendingImport).where(
            PendingImport.token == token,
            PendingImport.course_id == course.id,
            PendingImport.user_id == user.id,
            PendingImport.created_at >= utcnow() - KEPT_FOR,
        )
    )


def options_of(pending: PendingImport, dry_run: bool = False) -> ImportOptions:
    return ImportOptions(include_drafts=pending.include_drafts, include_pending=pending.include_pending,
                         dry_run=dry_run)
