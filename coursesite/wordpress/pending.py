"""Uploaded WXR files between the preview (a dry run) and the instructor's confirmation."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import ColumnElement, delete, select

from coursesite.extensions import db
from coursesite.models import Course, PendingImport, User, utcnow
from coursesite.wordpress.importer import ImportOptions

KEPT_FOR = timedelta(days=1)
# Each preview keeps a file of up to the size limit until it is confirmed, and a preview waits for one click:
# a new upload replaces the person's earlier one for the course, and the oldest go first past these counts.
KEPT_PER_PERSON = 3
KEPT_ON_SITE = 20


def keep_upload(course: Course, user: User, filename: str, data: bytes, options: ImportOptions) -> PendingImport:
    """Store the file for confirmation, in place of this person's earlier upload for this course.

    Uploads older than a day are dropped on the way, and the oldest past what a person or the site keeps.
    """
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - KEPT_FOR))
    db.session.execute(delete(PendingImport).where(PendingImport.course_id == course.id,
                                                   PendingImport.user_id == user.id))
    _keep_newest(KEPT_PER_PERSON - 1, PendingImport.user_id == user.id)
    _keep_newest(KEPT_ON_SITE - 1)
    pending = PendingImport(
        token=secrets.token_urlsafe(32), course_id=course.id, user_id=user.id, filename=filename[:255], data=data,
        include_drafts=options.include_drafts, include_pending=options.include_pending,
    )
    db.session.add(pending)
    db.session.flush()
    return pending


def _keep_newest(count: int, *where: ColumnElement[bool]) -> None:
    """Drop all but the `count` newest uploads (of those `where` selects), making room for one more."""
    newest = select(PendingImport.id).where(*where).order_by(PendingImport.created_at.desc(),
                                                             PendingImport.id.desc()).limit(count)
    db.session.execute(delete(PendingImport).where(*where, PendingImport.id.not_in(newest)))


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
