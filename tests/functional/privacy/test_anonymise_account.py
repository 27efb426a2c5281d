"""A site admin anonymises an account: confirmed, audited, and the work stays under "Former student"."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from flask import url_for
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import (
    AccountAudit,
    CourseInvitation,
    Enrollment,
    Notification,
    PostAutosave,
    User,
)
from coursesite.models.user import FORMER_NAME
from coursesite.people import tokens
from tests import factories as f
from tests.conftest import AuthActions

NAME, EMAIL = "Zelda Zimmerman", "zelda@example.org"


class World:
    def __init__(self):
        self.admin = f.make_user("Ada Admin", is_admin=True)
        self.instructor = f.make_user("Ines Instructor")
        self.course = f.make_course(self.instructor, slug="history-101")
        self.student = f.make_user(NAME, email=EMAIL)
        f.accounts.enroll(self.student, self.course, course_name="Zed the Writer", sis_user_id="SIS-998877")
        self.peer = f.make_member(self.course, name="Pete Peer")
        assignment = f.make_assignment(self.course)  # essays of an assignment: the dashboard's pictures count them
        self.essay = f.make_post(self.course, self.student, title="Zelda's essay", body="Her essay text.",
                                 assignment_id=assignment.id)
        self.peer_essay = f.make_post(self.course, self.peer, title="Peer essay", assignment_id=assignment.id)
        self.comment = f.make_thread_comment(self.peer_essay, self.student, "Her comment stays readable.")
        reply = f.make_thread_comment(self.peer_essay, self.peer, "A reply to her.", parent=self.comment)
        db.session.add(Notification(user_id=self.student.id, kind="reply", comment_id=reply.id))
        db.session.add(PostAutosave(post_id=self.essay.id, user_id=self.student.id, title="t", body="unsent text",
                                    base_version=1))
        other = f.make_course(self.instructor, slug="art-202")
        db.session.add(CourseInvitation(course_id=other.id, user_id=self.student.id, name=NAME))
        db.session.commit()


@pytest.fixture
def world(app):
    return World()


def anonymise(client, world, **data):
    return client.post(url_for("admin.anonymise", user_id=world.student.id), data=data)


def test_the_admin_page_shows_the_account_and_a_confirmation_step(client, auth, world):
    auth.login(world.admin)
    page = client.get(url_for("admin.account", user_id=world.student.id)).get_data(as_text=True)
    assert NAME in page and 'name="confirm"' in page and "Anonymise account" in page
    found = client.get(url_for("admin.accounts", q="zelda")).get_data(as_text=True)
    assert NAME in found and "Pete Peer" not in found


def test_without_the_confirmation_nothing_changes(client, auth, world):
    auth.login(world.admin)
    response = anonymise(client, world)
    assert response.status_code == 200
    assert "Tick the box" in response.get_data(as_text=True)
    db.session.expire_all()
    assert world.student.display_name == NAME and world.student.email == EMAIL and not world.student.is_anonymised
    assert db.session.scalar(select(func.count(AccountAudit.id))) == 0


@pytest.mark.parametrize("who", ["student", "peer", "instructor"])
def test_only_site_admins_anonymise(client, auth, world, who):
    auth.login(getattr(world, who) if who != "student" else world.peer)
    assert anonymise(client, world, confirm="yes").status_code == 403
    assert client.get(url_for("admin.accounts")).status_code == 403
    db.session.expire_all()
    assert world.student.display_name == NAME


def test_a_visitor_is_sent_to_log_in(client, world):
    response = anonymise(client, world, confirm="yes")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    db.session.expire_all()
    assert world.student.display_name == NAME


def test_anonymised_account_is_nameless_locked_out_and_its_work_reads_former_student(client, auth, world):
    essay_url = url_for("posts.essay", slug="history-101", post_slug=world.peer_essay.slug)
    assert NAME in client.get(essay_url).get_data(as_text=True) or "Zed the Writer" in client.get(
        essay_url).get_data(as_text=True)  # shown (and stored) before
    invite = tokens.make_token(world.student, "invite")
    auth.login(world.admin)
    response = anonymise(client, world, confirm="yes")
    assert response.status_code == 302
    db.session.expire_all()
    student = db.session.get(User, world.student.id)
    assert student.display_name == FORMER_NAME and student.is_anonymised
    assert EMAIL not in (student.email or "") and "zelda" not in (student.email or "").lower()
    assert student.password_hash is None
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == student.id))
    assert enrollment.course_name is None and enrollment.sis_user_id is None
    for model in (Notification, PostAutosave, CourseInvitation):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.user_id == student.id)) == 0

    line = db.session.scalar(select(AccountAudit))
    assert (line.actor_id, line.action, line.account_id) == (world.admin.id, "anonymise", student.id)
    admin_page = client.get(url_for("admin.accounts")).get_data(as_text=True)
    assert "Anonymised the account" in admin_page and NAME not in admin_page and EMAIL not in admin_page

    auth.logout()
    page = client.get(essay_url).get_data(as_text=True)
    assert FORMER_NAME in page and "Her comment stays readable." in page
    assert NAME not in page and "Zed the Writer" not in page
    byline = client.get(url_for("posts.essay", slug="history-101", post_slug=world.essay.slug)).get_data(as_text=True)
    assert FORMER_NAME in byline and NAME not in byline
    assert auth.login(EMAIL).status_code != 302, "the old email no longer logs in"
    assert client.get(url_for("auth.invitation", token=invite)).status_code == 302, "old links are spent"


def test_sessions_of_the_anonymised_account_end(app, client, world, auth):
    student_browser = app.test_client()
    AuthActions(student_browser).login(world.student)
    assert student_browser.get(url_for("auth.account")).status_code == 200
    auth.login(world.admin)
    assert anonymise(client, world, confirm="yes").status_code == 302
    assert student_browser.get(url_for("auth.account")).status_code == 302


def test_exports_and_feeds_show_former_student(client, auth, world):
    auth.login(world.admin)
    anonymise(client, world, confirm="yes")
    data = client.get(url_for("admin.account_data", user_id=world.student.id))
    archive = zipfile.ZipFile(io.BytesIO(data.get_data()))
    account = json.loads(archive.read("coursesite-data/account.json"))["account"]
    assert account["display_name"] == FORMER_NAME and account["email"] is None
    everything = "\n".join(archive.read(n).decode() for n in archive.namelist())
    assert "Her comment stays readable." in everything and NAME not in everything and EMAIL not in everything
    assert [line.action for line in db.session.scalars(select(AccountAudit).order_by(AccountAudit.id))] == [
        "anonymise", "export"]

    auth.logout()
    auth.login(world.instructor)
    wxr = client.get(url_for("wxr.export_wxr", slug="history-101", emails="1")).get_data(as_text=True)
    assert FORMER_NAME in wxr and NAME not in wxr and EMAIL not in wxr and "Zed the Writer" not in wxr
    dashboard = client.get(url_for("dashboard.home", slug="history-101")).get_data(as_text=True)
    assert FORMER_NAME in dashboard and NAME not in dashboard
    activity = client.get(url_for("dashboard.activity", slug="history-101")).get_data(as_text=True)
    assert FORMER_NAME in activity.split('id="web-heading"', 1)[1]  # her comment, in the grid of who comments
    assert NAME not in activity and "Zed the Writer" not in activity
    feed = client.get(url_for("comments.course_feed", slug="history-101")).get_data(as_text=True)
    assert FORMER_NAME in feed and NAME not in feed


def test_an_admin_cannot_anonymise_their_own_account_or_one_twice(client, auth, world):
    auth.login(world.admin)
    client.post(url_for("admin.anonymise", user_id=world.admin.id), data={"confirm": "yes"})
    db.session.expire_all()
    assert not world.admin.is_anonymised
    anonymise(client, world, confirm="yes")
    response = anonymise(client, world, confirm="yes")
    assert response.status_code == 302
    assert "already anonymised" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(AccountAudit.id))) == 1


def test_the_only_instructor_of_a_course_is_not_anonymised(client, auth, world):
    auth.login(world.admin)
    response = client.post(url_for("admin.anonymise", user_id=world.instructor.id), data={"confirm": "yes"})
    assert "only instructor" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert not world.instructor.is_anonymised


def test_an_invited_accounts_link_does_not_bring_it_back(client, auth, world):
    invited = f.make_member(world.course, name="Ivy Invited")
    invited.password_hash = None  # added from a roster, never set up: its link would still work
    db.session.commit()
    link = url_for("auth.invitation", token=tokens.make_token(invited, "invite"))
    auth.login(world.admin)
    assert client.post(url_for("admin.anonymise", user_id=invited.id), data={"confirm": "yes"}).status_code == 302
    auth.logout()
    assert client.get(link).status_code == 302, "the invitation is spent"
    db.session.expire_all()
    assert invited.password_hash is None and invited.display_name == FORMER_NAME
