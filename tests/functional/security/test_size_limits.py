"""Files over a limit are refused with a message naming that limit as configured: the site's request limit
(16 MB, which is the image limit) and the WordPress import's own (32 MB, above the site's)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from coursesite.extensions import db
from coursesite.models import PendingImport, Upload
from tests import factories as f
from tests.functional.wxr_support import FIXTURES, row_counts

MB = 1024 * 1024


@pytest.fixture
def course(app):
    return f.make_course()


def padded_export(size: int) -> bytes:
    """A real WordPress export grown to `size` bytes by an XML comment after it."""
    export = (FIXTURES / "small-export.xml").read_bytes()
    return export + b"<!--" + b"x" * (size - len(export) - 7) + b"-->"


def send_file(client, url: str, field: str, data: bytes, accept: str = "text/html"):
    """A multipart POST encoded here, in memory: the test client would spool a body this large to a temporary
    file it never closes."""
    boundary, body = encode_multipart({field: FileStorage(io.BytesIO(data), "upload")})
    return client.post(url, data=body, headers={"Accept": accept},
                       content_type=f"multipart/form-data; boundary={boundary}")


def import_file(client, course, data: bytes):
    return send_file(client, f"/c/{course.slug}/import", "file", data)


def test_an_image_over_the_site_limit_is_refused_naming_16_mb(client, auth, course, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * MB
    auth.login(f.make_member(course))
    for accept in ("text/html", "application/json"):
        response = send_file(client, f"/c/{course.slug}/uploads", "image", b"0" * 17 * MB, accept)
        assert response.status_code == 413
        assert "larger than the 16 MB this site accepts" in response.get_data(as_text=True)
    assert db.session.scalar(select(Upload)) is None


def test_an_export_larger_than_the_site_limit_but_within_its_own_is_read(client, auth, course):
    auth.login(f.instructor_of(course))
    response = import_file(client, course, padded_export(17 * MB))
    assert response.status_code == 200
    assert "Import now" in response.get_data(as_text=True)  # the preview of what it brings


def test_an_export_over_its_limit_gets_the_form_again_naming_32_mb(client, auth, course):
    auth.login(f.instructor_of(course))
    before = row_counts()
    response = import_file(client, course, padded_export(33 * MB))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "larger than the 32 MB limit for WordPress exports" in page
    assert 'type="file"' in page and "Preview import" in page
    assert row_counts() == before and db.session.scalar(select(func.count(PendingImport.id))) == 0


def test_a_roster_over_the_site_limit_gets_the_import_form_naming_the_rosters_limit(client, auth, course):
    auth.login(f.instructor_of(course))
    response = send_file(client, f"/c/{course.slug}/roster/import", "file", b"email\n" + b"x" * 17 * MB)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is larger than 2 MB. Split it into smaller files." in page and 'name="file"' in page
