"""Download my data: one ZIP of a person's essays (every revision), comments and released grades only."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from flask import current_app, url_for
from PIL import Image

from coursesite.extensions import db
from coursesite.files.storage import storage_for
from coursesite.files.uploads import save_upload
from coursesite.models import PostRevision, utcnow
from coursesite.privacy.archive import ROOT
from tests import factories as f

HOSTILE_TITLES = ["../../etc/passwd", "..\\..\\windows\\system32", "/absolute/path", "C:\\boot.ini", "CON",
                  "\u202eexe.txt", "é/../..", "  ", "<script>alert(1)</script>", "%2e%2e%2f", "....//....//"]


class World:
    def __init__(self):
        self.instructor = f.make_user("Ines Instructor")
        self.course = f.make_course(self.instructor, title="History 101", slug="history-101")
        self.other_course = f.make_course(self.instructor, title="Art 202", slug="art-202")
        self.student = f.make_member(self.course, name="Stella Student")
        f.accounts.enroll(self.student, self.other_course)
        self.peer = f.make_member(self.course, name="Pete Peer")
        released = f.make_assignment(self.course, title="Released essay", post_points=10)
        hidden = f.make_assignment(self.course, title="Unreleased essay", post_points=10)
        self.essay = f.make_post(self.course, self.student, title="My first essay", body="Final text.",
                                 assignment=released)
        now = utcnow()
        for version, body in ((1, "First draft text."), (2, "Second draft text."), (3, "Final text.")):
            db.session.add(PostRevision(post_id=self.essay.id, version=version, title="My first essay", body=body,
                                        status="published", created_at=now - timedelta(minutes=10 - version)))
        self.draft = f.make_post(self.course, self.student, title="A draft", status="draft", body="Draft body.")
        self.elsewhere = f.make_post(self.other_course, self.student, title="Art essay", body="Art body.")
        self.peer_essay = f.make_post(self.course, self.peer, title="Peer essay", body="Peer secret words.")
        f.make_thread_comment(self.peer_essay, self.student, "My comment on the peer essay.")
        f.make_thread_comment(self.essay, self.peer, "Peer comment on mine.")
        f.make_grade(released, self.student, self.instructor, post_score=8.5, feedback="Well argued **thesis**.")
        f.make_grade(hidden, self.student, self.instructor, post_score=3, feedback="UNRELEASED FEEDBACK")
        f.make_grade(released, self.peer, self.instructor, post_score=2, feedback="PEER FEEDBACK")
        released.grades_released_at = now
        db.session.commit()


@pytest.fixture
def world(app):
    return World()


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _texts(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode() for name in archive.namelist() if name.endswith((".md", ".json")))


def test_my_data_holds_every_revision_comments_and_released_grades_only(client, auth, world):
    auth.login(world.student)
    archive = _zip(client.get(url_for("privacy.my_data")))
    names = archive.namelist()
    course = f"{ROOT}/courses/history-101"
    essay_folder = f"{course}/essays/{world.essay.id}-{world.essay.slug}"
    assert f"{essay_folder}/essay.md" in names
    assert [archive.read(f"{essay_folder}/revisions/{n:03d}.md").decode().split("\n\n", 1)[1].strip()
            for n in (1, 2, 3)] == ["First draft text.", "Second draft text.", "Final text."]
    essay = json.loads(archive.read(f"{essay_folder}/essay.json"))
    assert [r["version"] for r in essay["revisions"]] == [1, 2, 3]
    assert essay["title"] == "My first essay" and essay["status"] == "published"
    assert any(n.startswith(f"{course}/essays/{world.draft.id}-") for n in names), "drafts are the student's too"
    assert any(n.startswith(f"{ROOT}/courses/art-202/essays/") for n in names), "every course on the site"

    comments = json.loads(archive.read(f"{course}/comments.json"))
    assert [c["body"] for c in comments] == ["My comment on the peer essay."]
    assert comments[0]["essay"]["title"] == "Peer essay" and comments[0]["created_at"].endswith("Z")
    grades = json.loads(archive.read(f"{course}/grades.json"))
    assert [(g["assignment"], g["essay"], g["feedback"]) for g in grades] == [
        ("Released essay", 8.5, "Well argued **thesis**.")]
    account = json.loads(archive.read(f"{ROOT}/account.json"))
    assert account["account"]["email"] == world.student.email

    everything = _texts(archive)
    for secret in ("UNRELEASED FEEDBACK", "Unreleased essay", "PEER FEEDBACK", "Peer secret words",
                   "Peer comment on mine", "Pete Peer", world.peer.email):
        assert secret not in everything, f"{secret!r} is not the student's to download"


def test_course_download_holds_that_course_only(client, auth, world):
    auth.login(world.student)
    archive = _zip(client.get(url_for("privacy.my_course_data", slug="history-101")))
    assert not any("art-202" in name or "Art essay" in archive.read(name).decode() for name in archive.namelist())
    assert any(name.endswith("comments.md") for name in archive.namelist())


def test_account_page_and_my_work_link_to_the_download(client, auth, world):
    auth.login(world.student)
    assert url_for("privacy.my_data", _external=False) in client.get(url_for("auth.account")).get_data(as_text=True)
    page = client.get(url_for("courses.my_work", slug="history-101")).get_data(as_text=True)
    assert url_for("privacy.my_course_data", slug="history-101", _external=False) in page


@pytest.mark.parametrize("who", ["visitor", "peer", "instructor", "outsider"])
def test_nobody_else_downloads_a_students_data(client, auth, world, who):
    outsider = f.make_member(world.other_course, name="Olga Outsider")
    db.session.commit()
    user = {"visitor": None, "peer": world.peer, "instructor": world.instructor, "outsider": outsider}[who]
    if user is not None:
        auth.login(user)
    admin_export = client.get(url_for("admin.account_data", user_id=world.student.id))
    assert admin_export.status_code in (302, 403)
    if user is None:
        assert "/auth/login" in admin_export.headers["Location"]
        assert client.get(url_for("privacy.my_data")).status_code == 302
        return
    own = client.get(url_for("privacy.my_data"))
    if own.status_code == 200:  # their own data, never the student's
        everything = _texts(_zip(own))
        for secret in ("Second draft text.", "Draft body.", "Well argued", "My comment on the peer essay"):
            assert secret not in everything


def test_outsider_cannot_download_from_a_course_they_are_not_in(client, auth, world):
    outsider = f.make_user("Olga Outsider")
    db.session.commit()
    auth.login(outsider)
    assert client.get(url_for("privacy.my_course_data", slug="history-101")).status_code == 403


def test_hostile_titles_and_slugs_make_safe_names(client, auth, world):
    for n, title in enumerate(HOSTILE_TITLES):
        post = f.make_post(world.course, world.student, title=title, body=f"Hostile {n}.")
        post.slug = title if title.strip() else f"blank-{n}"
    db.session.commit()
    auth.login(world.student)
    archive = _zip(client.get(url_for("privacy.my_data")))
    for name in archive.namelist():
        parts = name.split("/")
        assert parts[0] == ROOT and ".." not in parts and "" not in parts, name
        assert "\\" not in name and ":" not in name and "\x00" not in name and "%" not in name, name
        assert all(part.replace("-", "").replace(".", "").replace("_", "").isalnum() for part in parts), name
    titles = [json.loads(archive.read(n))["title"] for n in archive.namelist() if n.endswith("essay.json")]
    assert "../../etc/passwd" in titles, "the title itself is kept, inside the file"


def test_an_export_past_the_size_limit_is_refused_with_a_message(app, client, auth, world):
    app.config["DATA_EXPORT_MAX_BYTES"] = 200
    auth.login(world.student)
    response = client.get(url_for("privacy.my_data"))
    assert response.status_code == 302
    assert "larger than one download" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_downloads_are_rate_limited(app, client, auth, world):
    app.config["DATA_EXPORT_RATE_LIMIT"] = "2 per hour"
    auth.login(world.student)
    statuses = [client.get(url_for("privacy.my_data")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_download_holds_the_persons_uploaded_images_only(client, auth, world):
    storage = storage_for(current_app.config)
    mine = save_upload(storage, world.course, world.student, _png("red"))
    elsewhere = save_upload(storage, world.other_course, world.student, _png("green"))
    peers = save_upload(storage, world.course, world.peer, _png("blue"))
    gone = save_upload(storage, world.course, world.student, _png("white"))
    storage.delete(gone.storage_key)  # a file lost from storage leaves the rest of the download whole
    db.session.commit()
    auth.login(world.student)

    archive = _zip(client.get(url_for("privacy.my_data")))
    folder = f"{ROOT}/courses/history-101"
    assert archive.read(f"{folder}/images/{mine.storage_key}") == storage.open(mine.storage_key)
    assert archive.read(f"{ROOT}/courses/art-202/images/{elsewhere.storage_key}") == storage.open(elsewhere.storage_key)
    names = archive.namelist()
    assert not any(peers.storage_key in name or gone.storage_key in name for name in names)
    assert json.loads(archive.read(f"{folder}/course.json"))["counts"]["images"] == 1

    in_course = _zip(client.get(url_for("privacy.my_course_data", slug="history-101"))).namelist()
    assert f"{folder}/images/{mine.storage_key}" in in_course
    assert not any(elsewhere.storage_key in name for name in in_course)
