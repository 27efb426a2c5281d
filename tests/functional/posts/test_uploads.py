"""Image uploads: verified, cleaned, stored outside the web root, served with the right headers."""

from __future__ import annotations

import io
import re
import struct

import pytest
from PIL import Image
from sqlalchemy import select

from coursesite.coursework.courses import end_enrollment
from coursesite.extensions import db
from coursesite.models import Enrollment, Upload
from tests import factories as f

LIMIT = 300 * 1024  # "300 KB", as a limit is configured in binary units


@pytest.fixture
def app_config(base_config, tmp_path):
    return {**base_config, "UPLOAD_FOLDER": str(tmp_path / "uploads"), "MAX_CONTENT_LENGTH": LIMIT}


def png(size=(60, 40)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, "PNG")
    out.seek(0)
    return out


def upload(client, course, data, name="photo.png", accept_json=True, alt="A map of Berlin"):
    headers = {"Accept": "application/json"} if accept_json else {}
    return client.post(f"/c/{course.slug}/uploads", data={"image": (data, name), "alt": alt},
                       headers=headers, content_type="multipart/form-data")


@pytest.fixture
def setup(auth):
    course = f.make_course()
    student = f.make_member(course)
    db.session.commit()
    auth.login(student)
    return course, student


def test_upload_returns_markdown_and_the_image_is_served(client, setup):
    course, student = setup
    response = upload(client, course, png())
    assert response.status_code == 201
    data = response.get_json()
    assert re.fullmatch(rf"/c/{course.slug}/uploads/[A-Za-z0-9_-]+\.png", data["url"])
    assert data["markdown"] == f"![A map of Berlin]({data['url']})"
    record = db.session.scalar(db.select(Upload))
    assert (record.owner_id, record.width, record.height, record.content_type) == (student.id, 60, 40, "image/png")
    served = client.get(data["url"])
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(served.data)).size == (60, 40)


def test_the_extension_does_not_decide_the_type(client, setup):
    course, _ = setup
    data = upload(client, course, png(), name="not-really.gif").get_json()
    assert data["url"].endswith(".png")
    fake = upload(client, course, io.BytesIO(b"<svg onload=alert(1)>"), name="picture.png")
    assert fake.status_code == 415 and "not an image" in fake.get_json()["message"]


def test_without_javascript_the_upload_form_shows_the_line_to_copy(client, setup):
    course, _ = setup
    response = upload(client, course, png(), accept_json=False, alt="Chart [1]")
    html = response.get_data(as_text=True)
    assert response.status_code == 201 and "Image uploaded" in html
    assert 'value="![Chart (1)](/c/' in html


def test_non_images_are_refused_with_a_clear_message(client, setup):
    course, _ = setup
    response = upload(client, course, io.BytesIO(b"%PDF-1.4 not a picture"), name="essay.pdf", accept_json=False)
    assert response.status_code == 415
    assert "Upload a PNG, JPEG, GIF or WebP picture" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Upload)) is None


def test_a_refusal_names_the_file_that_was_chosen(client, setup):
    """Someone adding several pictures one after another learns which one was refused, by the name they know it by:
    the name alone (a client may send the whole path), without control characters, cut short, escaped."""
    course, _ = setup
    pdf = b"%PDF-1.4 not a picture"
    message = upload(client, course, io.BytesIO(pdf), name="/home/ana/Week 3 notes.pdf").get_json()["message"]
    assert message == ("“Week 3 notes.pdf” was not uploaded. This file is not an image we can show. Upload a PNG, "
                       "JPEG, GIF or WebP picture.")
    long_name = "holiday-" + "x" * 200 + ".heic"
    message = upload(client, course, io.BytesIO(pdf), name=long_name).get_json()["message"]
    assert message.startswith("“holiday-" + "x" * 71 + "…” was not uploaded.")
    html = upload(client, course, io.BytesIO(pdf), name="<b>bold\u202e.png", accept_json=False).get_data(
        as_text=True)
    assert "“&lt;b&gt;bold.png” was not uploaded." in html
    assert db.session.scalar(db.select(Upload)) is None


def junk_gif(width: int, height: int) -> io.BytesIO:
    """A few bytes whose GIF header claims a huge picture: the first thing read, before any pixel."""
    return io.BytesIO(b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0) + b"not really a picture" * 4)


def test_a_picture_too_large_to_decode_is_refused_saying_its_size_the_limit_and_what_to_do(client, setup):
    course, _ = setup
    response = upload(client, course, junk_gif(65535, 40000), name="meme.gif", accept_json=False)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This image is too large: 65,535 × 40,000 pixels (2,621 megapixels)" in html
    assert "more than the 8.2 megapixels this site can take" in html
    assert "Make it at most 2000 pixels wide and high, then upload it again." in html
    assert "too many pixels" not in html
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # a 40 KB scan Pillow itself calls a decompression bomb
    out.seek(0)
    message = upload(client, course, out, name="scan.png").get_json()["message"]
    assert message.startswith("“scan.png” was not uploaded. This image is too large: 12,000 × 12,000 pixels "
                              "(144 megapixels)")
    assert db.session.scalar(db.select(Upload)) is None


def webp_claiming(side: int) -> io.BytesIO:
    """A small WebP whose extended header claims a `side` × `side` canvas (WebP allows up to 16,777,216)."""
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "WEBP", lossless=True, exif=b"Exif\0\0MM\0*\0\0\0\x08\0\0")
    data = bytearray(out.getvalue())
    assert data[12:16] == b"VP8X"
    data[24:27] = data[27:30] = (side - 1).to_bytes(3, "little")
    return io.BytesIO(bytes(data))


def test_a_webp_past_twice_pillows_limit_is_refused_not_answered_with_an_error_page(client, setup):
    """Pillow's WebP reader refuses such a picture as it reads the header, before Image.open's own check."""
    course, _ = setup
    response = upload(client, course, webp_claiming(20000), name="panorama.webp")
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("“panorama.webp” was not uploaded. This image is too large")
    assert "Make it at most 2000 pixels wide and high" in response.get_json()["message"]
    assert db.session.scalar(db.select(Upload)) is None


def test_a_damaged_picture_is_refused_saying_it_is_damaged(client, setup):
    course, _ = setup
    half = io.BytesIO(png((300, 300)).getvalue()[:150])  # a download that stopped part-way
    response = upload(client, course, half, name="photo.png")
    assert response.status_code == 415
    assert response.get_json()["message"] == (
        "“photo.png” was not uploaded. This PNG file cannot be read: it is damaged or incomplete. Open it in a photo "
        "or image editor, save it again, and upload the saved copy.")


def test_a_missing_file_is_refused(client, setup):
    course, _ = setup
    response = client.post(f"/c/{course.slug}/uploads", data={}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and "Choose a picture" in response.get_json()["message"]


def test_a_file_over_the_limit_gets_a_friendly_413(client, setup):
    course, _ = setup
    big = io.BytesIO(b"\x89PNG" + b"0" * (LIMIT + 10))
    response = upload(client, course, big, accept_json=False)
    assert response.status_code == 413
    assert "larger than the 300 KB this site accepts" in response.get_data(as_text=True)
    json_response = upload(client, course, io.BytesIO(b"0" * (LIMIT + 10)))
    assert json_response.status_code == 413 and json_response.get_json()["message"]


def test_a_large_photo_is_made_smaller_rather_than_refused(client, setup):
    course, _ = setup
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (200, 200, 200)).save(out, "JPEG", quality=30)
    assert out.tell() < LIMIT
    out.seek(0)
    data = upload(client, course, out, name="IMG_0001.JPG").get_json()
    assert (data["width"], data["height"]) == (2000, 500)


def test_members_course_images_are_served_to_members_only(client, auth, app):
    course = f.make_course(visibility="members")
    member = f.make_member(course)
    db.session.commit()
    auth.login(member)
    url = upload(client, course, png()).get_json()["url"]
    assert client.get(url).headers["Cache-Control"].startswith("private")
    auth.logout()
    assert client.get(url).status_code == 302
    auth.login(f.make_user())
    assert client.get(url).status_code == 403


PNG_SIGNATURE = b"\x89PNG"


@pytest.fixture
def members_image(client, auth):
    """A members-only course, its member (signed in) and the address of an image they uploaded."""
    course = f.make_course(visibility="members")
    member = f.make_member(course)
    db.session.commit()
    auth.login(member)
    return course, member, upload(client, course, png()).get_json()["url"]


def browser_copy(client, url) -> str:
    """Open a members-only image as a member's browser does: it may keep it, but must ask before showing it
    again. Returns the tag it asks with."""
    served = client.get(url)
    assert served.status_code == 200 and served.data.startswith(PNG_SIGNATURE)
    assert served.headers["Cache-Control"] == "private, no-cache"
    return served.headers["ETag"]


def test_a_members_course_image_is_asked_about_each_time_and_not_sent_again_while_unchanged(client, members_image):
    _, _, url = members_image
    etag = browser_copy(client, url)
    assert etag == f'"{url.rsplit("/", 1)[1]}"'  # strong (no W/): the key never names other content
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Cache-Control"] == "private, no-cache" and again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"another-picture.png"'}).data.startswith(PNG_SIGNATURE)


def test_after_logout_a_browser_holding_the_image_is_sent_to_log_in_not_told_to_show_it(client, auth, members_image):
    _, _, url = members_image
    etag = browser_copy(client, url)
    auth.logout()
    refused = client.get(url, headers={"If-None-Match": etag})
    assert refused.status_code == 302 and "/auth/login" in refused.headers["Location"]
    assert PNG_SIGNATURE not in refused.data
    auth.login(f.make_user())
    other = client.get(url, headers={"If-None-Match": etag})
    assert other.status_code == 403 and PNG_SIGNATURE not in other.data


def test_a_student_removed_from_the_course_is_refused_the_image_they_saw(client, members_image):
    course, member, url = members_image
    etag = browser_copy(client, url)
    end_enrollment(db.session.scalar(select(Enrollment).where(Enrollment.user_id == member.id,
                                                              Enrollment.course_id == course.id)))
    db.session.commit()
    refused = client.get(url, headers={"If-None-Match": etag})
    assert refused.status_code == 403 and PNG_SIGNATURE not in refused.data


def test_a_public_course_image_is_kept_a_year_and_revalidated_without_being_sent_again(app, client, auth, setup):
    """Browsers keep it a year; shared caches (nginx) only as long as a public page, so that once the course is
    members-only they stop handing it out."""
    course, _ = setup
    url = upload(client, course, png()).get_json()["url"]
    shared_for = app.config["PUBLIC_PAGE_MAX_AGE"]
    for signed_in in (True, False):
        served = client.get(url)
        assert served.status_code == 200, signed_in
        assert served.headers["Cache-Control"] == f"public, max-age=31536000, s-maxage={shared_for}, immutable"
        again = client.get(url, headers={"If-None-Match": served.headers.get("ETag", "")})
        assert again.status_code == 304 and again.data == b"", signed_in
        auth.logout()


def test_unknown_keys_and_other_courses_keys_are_404(client, setup):
    course, _ = setup
    url = upload(client, course, png()).get_json()["url"]
    other = f.make_course()
    assert client.get(url.replace(course.slug, other.slug)).status_code == 404
    assert client.get(f"/c/{course.slug}/uploads/abcdefghijklmnopqrstuvwx.png").status_code == 404
    assert client.get(f"/c/{course.slug}/uploads/..%2F..%2Fsecret_key").status_code == 404


def test_visitors_and_non_members_cannot_upload(client, auth):
    course = f.make_course()
    assert upload(client, course, png(), accept_json=False).status_code == 302
    assert upload(client, course, png()).status_code == 401
    auth.login(f.make_user())
    assert upload(client, course, png()).status_code == 403
