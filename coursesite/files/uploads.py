"""Images uploaded to a course: cleaned, stored behind the storage interface, recorded for serving."""

from __future__ import annotations

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.files.images import clean_image
from coursesite.files.storage import Storage, is_key
from coursesite.models import Course, Upload, User


def save_upload(storage: Storage, course: Course, owner: User, data: bytes) -> Upload:
    """Raises images.ImageError with a message for the user when the file is not a usable image."""
    image = clean_image(data)
    key = storage.save(image.data, image.extension)
    upload = Upload(
        course_id=course.id, owner_id=owner.id, storage_key=key, content_type=image.content_type,
        width=image.width, height=image.height, size=len(image.data),
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def find_upload(course: Course, key: str) -> Upload | None:
    if not is_key(key):
        return None
    return db.session.scalar(select(Upload).where(Upload.course_id == course.id, Upload.storage_key == key))
