"""The data export as one ZIP, built in a temporary file whose size is bounded.

Every name inside the archive is made of slugs (a-z, 0-9, hyphens) and ids: nothing a person typed (a title,
a slug) can climb out of the folder it is unpacked into.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO

from coursesite.essays.terms import slugify
from coursesite.files.storage import is_key
from coursesite.privacy import documents
from coursesite.privacy.documents import EssayLink
from coursesite.privacy.records import CourseRecords, PersonRecords

ROOT = "coursesite-data"


class ExportTooLarge(Exception):
    """The export would pass its size limit; nothing is sent."""


def safe_name(text: str, fallback: str) -> str:
    return slugify(text or "", fallback=fallback, max_length=60)


class _Archive:
    def __init__(self, zip_file: zipfile.ZipFile, max_bytes: int):
        self.zip, self.max_bytes, self.written = zip_file, max_bytes, 0

    def add(self, path: str, text: str) -> None:
        self.add_bytes(path, text.encode())

    def add_bytes(self, path: str, data: bytes) -> None:
        self.written += len(data)
        if self.written > self.max_bytes:
            raise ExportTooLarge
        self.zip.writestr(f"{ROOT}/{path}", data)

    def add_json(self, path: str, document) -> None:
        self.add(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


ImageReader = Callable[[str], bytes]  # a storage key to the file's bytes; KeyError when it is gone


def write_export(records: PersonRecords, link: EssayLink, read_image: ImageReader, max_bytes: int) -> IO[bytes]:
    """A temporary file holding the ZIP, at its start; ExportTooLarge past `max_bytes` of content."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it once sent
    try:
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
            archive = _Archive(zip_file, max_bytes)
            archive.add("README.md", documents.README.format(exported_at=documents.when(records.exported_at)))
            archive.add_json("account.json", documents.account_document(records))
            folders: set[str] = set()
            for course_records in records.courses:
                folder = _unique(safe_name(course_records.course.slug, "course"), folders)
                _add_course(archive, f"courses/{folder}", course_records, link, read_image)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _add_course(archive: _Archive, folder: str, records: CourseRecords, link: EssayLink,
                read_image: ImageReader) -> None:
    for essay in records.essays:
        post = essay.post
        essay_folder = f"{folder}/essays/{post.id}-{safe_name(post.slug, 'essay')}"
        archive.add(f"{essay_folder}/essay.md", documents.essay_markdown(post.title, post.body))
        names = [f"revisions/{n:03d}.md" for n in range(1, len(essay.revisions) + 1)]
        for name, revision in zip(names, essay.revisions, strict=True):
            archive.add(f"{essay_folder}/{name}", documents.essay_markdown(revision.title, revision.body))
        archive.add_json(f"{essay_folder}/essay.json", documents.essay_document(essay, link, names))
    archive.add_json(f"{folder}/comments.json", [documents.comment_document(c, link) for c in records.comments])
    archive.add(f"{folder}/comments.md", documents.comments_markdown(records.comments))
    archive.add_json(f"{folder}/grades.json", [documents.grade_document(g) for g in records.grades])
    archive.add(f"{folder}/grades.md", documents.grades_markdown(records.grades))
    images = _add_images(archive, f"{folder}/images", records, read_image)
    archive.add_json(f"{folder}/course.json", documents.course_document(records, images))


def _add_images(archive: _Archive, folder: str, records: CourseRecords, read_image: ImageReader) -> int:
    """The person's uploaded images, each named by its storage key (random letters, digits, '-' and '_'), the
    last part of its address in their essays. A file gone from storage is left out. Returns how many."""
    added = 0
    for upload in records.images:
        if not is_key(upload.storage_key):  # the name in the archive is the key: only a well-formed one
            continue
        try:
            data = read_image(upload.storage_key)
        except KeyError:
            continue
        archive.add_bytes(f"{folder}/{upload.storage_key}", data)
        added += 1
    return added
