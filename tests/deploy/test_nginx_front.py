"""Debian's nginx with deploy/nginx/coursesite.conf in front of gunicorn (deploy/gunicorn.conf.py): visitors of a
public course get the micro-cache, nobody else ever does, and a new comment reaches visitors within its time.
A members-only course's images are never kept, and a member's browser asking about its copy is answered by the
app, after its access check; a public course's images are shared only as long as its pages. A body the app may
take (a WordPress file) reaches it, and one it refuses is refused with its own page."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench.front import NGINX, nginx

ROOT = Path(__file__).resolve().parents[2]
APP_PORTS = range(5120, 5130)
NGINX_PORTS = range(8120, 8130)
PASSWORD = "correct horse battery"  # tests/factories.py's DEFAULT_PASSWORD
PNG_SIGNATURE = b"\x89PNG"
MAX_AGE = 2  # seconds; the app's Cache-Control max-age, short to keep the test quick

pytestmark = pytest.mark.skipif(not NGINX.exists(),
                                reason="needs Debian's nginx (/usr/sbin/nginx): apt-get install nginx")


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {ports}")


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own server on 127.0.0.1
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def make_data(database_url: str, instance: Path) -> dict:
    """A public course and a members-only one, an essay in each, a student of both, and an image of theirs in the
    members-only one."""
    code = f"""
import io, json, os
os.environ["COURSESITE_INSTANCE_PATH"] = {str(instance)!r}
from coursesite import create_app
from coursesite.extensions import db
from coursesite.files.storage import storage_for
from coursesite.files.uploads import save_upload
from coursesite.people import accounts
from PIL import Image
from tests import factories as f
app = create_app({{"SQLALCHEMY_DATABASE_URI": {database_url!r}, "SECRET_KEY": "x" * 40, "TESTING": True}})
with app.app_context():
    db.create_all()
    public = f.make_course(visibility="public", title="Open Course")
    members = f.make_course(visibility="members", title="Closed Course")
    author = f.make_author(public, name="Ada Author")
    student = f.make_member(public, name="Stu Dent")
    accounts.enroll(student, members, role="student")
    essays = [f.make_post(public, author, title=f"Open essay {{i}}") for i in range(3)]
    closed = f.make_post(members, student, title="Closed essay")
    teacher = f.instructor_of(members)
    png = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(png, "PNG")
    image = save_upload(storage_for(app.config), members, student, png.getvalue())
    closing = f.make_course(visibility="public", title="Soon Closed Course")
    public_image = save_upload(storage_for(app.config), closing, f.make_author(closing), png.getvalue())
    db.session.commit()
    print(json.dumps({{"public": public.slug, "members": members.slug, "essays": [e.slug for e in essays],
                      "closed": closed.slug, "student": student.email, "instructor": teacher.email,
                      "members_image": f"/c/{{members.slug}}/uploads/{{image.storage_key}}",
                      "closing": closing.slug,
                      "public_image": f"/c/{{closing.slug}}/uploads/{{public_image.storage_key}}"}}))
"""
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    directory = tmp_path_factory.mktemp("front")
    instance = directory / "instance"
    database_url = f"sqlite:///{directory / 'front.sqlite3'}"
    data = make_data(database_url, instance)
    app_port, nginx_port = free_port(APP_PORTS), free_port(NGINX_PORTS)
    env = {**os.environ, "COURSESITE_DATABASE_URL": database_url, "COURSESITE_INSTANCE_PATH": str(instance),
           "COURSESITE_SECRET_KEY": "front-test-secret-" + "x" * 32, "COURSESITE_MAIL_TO_LOG": "1",
           "COURSESITE_BASE_URL": f"http://127.0.0.1:{nginx_port}", "COURSESITE_BIND": f"127.0.0.1:{app_port}",
           "COURSESITE_WORKERS": "2", "COURSESITE_PUBLIC_PAGE_MAX_AGE": str(MAX_AGE),
           "COURSESITE_ACCESS_LOG": str(directory / "gunicorn-access.log"), "COURSESITE_LOG_LEVEL": "warning"}
    with (directory / "gunicorn.log").open("w") as app_log:
        app = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=app_log)
    try:
        wait_for(f"http://127.0.0.1:{app_port}/static/css/site.css")
        with nginx(directory, nginx_port, app_port):
            yield {**data, "base": f"http://127.0.0.1:{nginx_port}", "database": directory / "front.sqlite3"}
    finally:
        app.terminate()
        app.wait(timeout=30)


class Browser:
    """A browser with its own cookies, talking to nginx."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())

    def open(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310 - 127.0.0.1
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        response.body = response.read()
        response.text = response.body.decode(errors="replace")
        return response

    def token(self, path: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.open(path).text).group(1)

    def log_in(self, email: str) -> None:
        answer = self.open("/auth/login", {"email": email, "password": PASSWORD,
                                           "csrf_token": self.token("/auth/login")})
        assert answer.status == 302, answer.text[:500]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def cache_status(response) -> str:
    return response.headers.get("X-Cache-Status", "")


def essay(slug: str, post: str) -> str:
    return f"/c/{slug}/essays/{post}/"


def read_again_until_kept(browser: Browser, path: str):
    """The next read of a page just read, from nginx's copy: a worker may send a response before its copy is
    in the cache, so a read right after can still miss; well within the copy's MAX_AGE it must come from it."""
    for _ in range(10):
        again = browser.open(path)
        if cache_status(again) == "HIT":
            break
        time.sleep(0.05)
    return again


def test_a_visitors_second_read_of_a_public_essay_comes_from_the_cache(front):
    visitor = Browser(front["base"])
    first = visitor.open(essay(front["public"], front["essays"][0]))
    assert first.status == 200 and "public" in first.headers["Cache-Control"]
    second = read_again_until_kept(visitor, essay(front["public"], front["essays"][0]))
    assert cache_status(second) == "HIT" and second.text == first.text


def test_a_signed_in_read_is_never_served_from_the_cache_nor_stored(front):
    path = essay(front["public"], front["essays"][1])
    student = Browser(front["base"])
    student.log_in(front["student"])
    for _ in range(2):
        read = student.open(path)
        assert read.status == 200 and cache_status(read) != "HIT" and "Stu Dent" in read.text
        assert "public" not in read.headers["Cache-Control"]
    visitor = Browser(front["base"]).open(path)
    assert cache_status(visitor) == "MISS" and "Stu Dent" not in visitor.text  # nothing the student saw was kept
    assert cache_status(student.open(path)) != "HIT"  # and the visitor's copy never reaches the student


def test_a_members_only_course_is_never_cached(front):
    path = essay(front["members"], front["closed"])
    student = Browser(front["base"])
    student.log_in(front["student"])
    assert [cache_status(student.open(path)) for _ in range(2)] != ["HIT"] * 2
    visitor = Browser(front["base"])
    answers = [visitor.open(path) for _ in range(2)]
    assert all(a.status == 302 and cache_status(a) != "HIT" and "Closed essay" not in a.text for a in answers)


def test_a_members_only_image_is_never_kept_and_a_members_copy_is_checked_by_the_app(front):
    path = front["members_image"]
    student = Browser(front["base"])
    student.log_in(front["student"])
    first = student.open(path)
    assert first.status == 200 and first.body.startswith(PNG_SIGNATURE)
    assert first.headers["Cache-Control"] == "private, no-cache" and cache_status(first) != "HIT"
    again = student.open(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304 and again.body == b"" and cache_status(again) != "HIT"
    visitor = Browser(front["base"])
    for tag in ("", first.headers["ETag"]):
        answer = visitor.open(path, headers={"If-None-Match": tag} if tag else {})
        assert answer.status == 302 and cache_status(answer) != "HIT" and PNG_SIGNATURE not in answer.body


def test_a_public_image_is_no_longer_handed_out_soon_after_its_course_becomes_members_only(front):
    """Browsers keep a public course's image a year, nginx only as long as a page (the app's s-maxage): once the
    course is members-only, a visitor who never had the image is sent to log in within that time."""
    path = front["public_image"]
    visitor = Browser(front["base"])
    first = visitor.open(path)
    assert first.status == 200 and first.body.startswith(PNG_SIGNATURE)
    assert "max-age=31536000" in first.headers["Cache-Control"]
    assert cache_status(read_again_until_kept(visitor, path)) == "HIT"
    with sqlite3.connect(front["database"]) as database:
        database.execute("UPDATE courses SET visibility = 'members' WHERE slug = ?", (front["closing"],))
    closed_at = time.monotonic()
    while (answer := Browser(front["base"]).open(path)).status == 200:
        assert time.monotonic() - closed_at <= MAX_AGE + 1.5, "nginx still hands out the closed course's image"
        time.sleep(0.2)
    assert answer.status == 302 and PNG_SIGNATURE not in answer.body


def test_a_post_is_never_cached(front):
    path = f"/c/{front['public']}/essays/{front['essays'][2]}/comments"
    visitor = Browser(front["base"])
    answers = [visitor.open(path, {"body": "Not signed in."}) for _ in range(2)]
    assert all(cache_status(a) not in ("HIT", "MISS", "EXPIRED") for a in answers)


def test_a_new_comment_reaches_visitors_within_the_micro_cache_time(front):
    path = essay(front["public"], front["essays"][2])
    visitor = Browser(front["base"])
    visitor.open(path)
    assert cache_status(read_again_until_kept(visitor, path)) == "HIT"
    student = Browser(front["base"])
    student.log_in(front["student"])
    posted = student.open(path + "comments", {"body": "Seen by visitors soon.", "csrf_token": student.token(path)})
    assert posted.status == 302
    posted_at = time.monotonic()
    while "Seen by visitors soon." not in visitor.open(path).text:
        assert time.monotonic() - posted_at <= MAX_AGE + 1.5, "the visitor still sees the old page"
        time.sleep(0.2)


def test_static_files_are_served_by_nginx_with_a_long_lifetime(front):
    response = Browser(front["base"]).open("/static/css/site.css")
    assert response.status == 200 and "max-age=31536000" in response.headers["Cache-Control"]


TWENTY_MB = 20 * 1024 * 1024


def test_a_wordpress_file_larger_than_an_image_reaches_the_app(front):
    """The import takes files up to 32 MB: nginx passes a 20 MB request on, and the app reads it (here it asks
    for the file, sent in the wrong field)."""
    instructor = Browser(front["base"])
    instructor.log_in(front["instructor"])
    page = f"/c/{front['members']}/import"
    answer = instructor.open(page, {"csrf_token": instructor.token(page), "other": "x" * TWENTY_MB})
    assert answer.status == 200 and "Import" in answer.text and "nginx" not in answer.text


def test_a_body_larger_than_a_page_accepts_is_refused_by_the_app_with_its_message(front):
    student = Browser(front["base"])
    student.log_in(front["student"])
    answer = student.open(f"/c/{front['members']}/uploads", {"image": "x" * TWENTY_MB})
    assert answer.status == 413
    assert "larger than" in answer.text and "nginx" not in answer.text
