"""send-reminders: one email and one notice to each student short before their own deadline, never twice
for the same deadline, none to the excused, the done or the opted out, none when the course turned them
off. The mail goes through a real SMTP server (tests/mail_sink.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Notification, SentReminder, utcnow
from coursesite.text.timefmt import deadline_text
from tests import factories as f
from tests.functional.helpers import login_client
from tests.mail_sink import MailSink


@pytest.fixture
def sink(app):
    with MailSink() as running:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=running.port, MAIL_USE_TLS=False,
                          MAIL_USERNAME=None)
        yield running


def run(app, command: str = "send-reminders", *args: str):
    result = app.test_cli_runner().invoke(args=[command, *args])
    assert result.exit_code == 0, result.output
    return result.output


def mail_to(sink, user) -> list:
    return [m for m in sink.messages if m["To"] == user.email]


@pytest.fixture
def world():
    """Comments due in 10 hours (inside the 24 h lead time), essays due in 3 days (outside it)."""
    now = utcnow()
    course = f.make_course(title="Modern History")
    people = {name: f.make_member(course, name=name) for name in
              ("Short", "Done", "Excused", "Opted out", "Extended", "Peer")}
    a = f.make_assignment(course, title="Road to independence", post_due_at=now + timedelta(days=3),
                          comments_due_at=now + timedelta(hours=10), required_comments=2, min_comment_words=5)
    essays = [f.make_post(course, people[name], assignment_id=a.id) for name in ("Peer", "Short", "Done")]
    f.make_thread_comment(essays[0], people["Short"], f.words(8))
    f.make_thread_comment(essays[0], people["Done"], f.words(8))
    f.make_thread_comment(essays[1], people["Done"], f.words(8))
    f.make_excusal(a, people["Excused"])
    people["Opted out"].wants_reminders = False
    f.make_extension(a, people["Extended"], comments_due_at=now + timedelta(days=4))
    db.session.flush()
    return course, a, people


def test_reminds_each_short_student_once_with_their_count_and_deadline(app, sink, world):
    course, a, people = world
    assert run(app).strip() == "sent 2 reminders"  # Short and Peer, each short of comments
    again = run(app)
    assert again.strip() == "sent 0 reminders"
    due = deadline_text(a.comments_due_at, course.timezone)
    short_mail = mail_to(sink, people["Short"])
    assert len(short_mail) == 1
    body = short_mail[0].get_content()
    assert f"You have 1 of 2 comments for “Road to independence”; due {due}." in body
    assert f"/c/{course.slug}/week/" in body
    peer_mail = mail_to(sink, people["Peer"])
    assert len(peer_mail) == 1 and "You have 0 of 2 comments" in peer_mail[0].get_content()
    for name in ("Done", "Excused", "Opted out", "Extended"):
        assert mail_to(sink, people[name]) == [], name
    # The in-app notice: one, unread, counted in the header.
    notices = db.session.scalars(select(Notification).where(Notification.user_id == people["Short"].id)).all()
    assert [n.kind for n in notices] == ["reminder"]
    client = login_client(app, people["Short"])
    page = client.get("/notifications").get_data(as_text=True)
    assert "You have 1 of 2 comments" in page and "1<span class=\"visually-hidden\"> unread" in page
    client.post("/notifications", data={"notification_id": str(notices[0].id)})
    assert "visually-hidden\"> unread" not in client.get("/notifications").get_data(as_text=True)


def test_a_changed_deadline_gets_a_new_reminder(app, sink, world):
    course, a, people = world
    run(app)
    a.comments_due_at = a.comments_due_at + timedelta(hours=2)
    db.session.flush()
    run(app)
    assert len(mail_to(sink, people["Short"])) == 2
    assert db.session.scalar(select(func.count(SentReminder.id)).where(
        SentReminder.user_id == people["Short"].id)) == 2


def test_none_when_the_course_turned_them_off(app, sink, world):
    course, a, people = world
    course.send_reminders = False
    db.session.flush()
    assert run(app).strip() == "sent 0 reminders"
    assert sink.messages == []


def test_essay_reminder_within_the_courses_lead_time(app, sink, world):
    course, a, people = world
    course.reminder_hours = 96  # the essays, due in 3 days, are now inside it
    db.session.flush()
    run(app)
    extended = " ".join(m.get_content() for m in mail_to(sink, people["Extended"]))
    assert "You have not published your essay for “Road to independence”" in extended
    for name in ("Short", "Peer"):  # published: reminded of their comments only
        assert all("essay for" not in m.get_content() for m in mail_to(sink, people[name]))
    for name in ("Done", "Excused", "Opted out"):
        assert mail_to(sink, people[name]) == [], name


def test_a_student_turns_reminders_off_on_their_account_page(app, sink, world):
    course, a, people = world
    client = login_client(app, people["Short"])
    response = client.post("/auth/account", data={"profile-display_name": "Short", "profile-notify_email": "digest"})
    assert response.status_code == 302 and people["Short"].wants_reminders is False
    run(app)
    assert mail_to(sink, people["Short"]) == [] and len(mail_to(sink, people["Peer"])) == 1


def test_instructors_choose_reminders_and_their_lead_time_in_course_settings(app, world):
    course, a, people = world
    client = login_client(app, f.instructor_of(course))
    data = {"title": course.title, "term": "", "slug": course.slug, "timezone": course.timezone,
            "visibility": course.visibility, "description": "", "comment_moderation": "off",
            "comment_edit_minutes": "15"}
    refused = client.post(f"/c/{course.slug}/settings", data={**data, "send_reminders": "y", "reminder_hours": "0"})
    assert refused.status_code == 200 and "between 1 and 168" in refused.get_data(as_text=True)
    assert course.reminder_hours == 24
    saved = client.post(f"/c/{course.slug}/settings", data={**data, "reminder_hours": "48"})
    assert saved.status_code == 302
    assert (course.send_reminders, course.reminder_hours) == (False, 48)
    page = client.get(f"/c/{course.slug}/settings").get_data(as_text=True)
    assert "Remind students before their own deadlines" in page and 'value="48"' in page


def test_from_cron_the_links_start_with_the_sites_public_address(tmp_path):
    """As cron runs it, on the demo: no request, only COURSESITE_BASE_URL says where links point."""
    import re
    import sqlite3

    from tests.functional.app.test_cli import _flask, _setup_db

    instance = tmp_path / "instance"
    assert _setup_db(instance).returncode == 0
    with sqlite3.connect(instance / "coursesite.sqlite3") as connection:  # a week's lead time: the current essay
        connection.execute("update courses set reminder_hours = 168")
    connection.close()
    env = {"COURSESITE_BASE_URL": "https://blogs.school.edu/writing/"}
    with MailSink() as sink:
        first = _flask(instance, "send-reminders", **env, **sink.env())
        second = _flask(instance, "send-reminders", **env, **sink.env())
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert sink.messages and f"sent {len(sink.messages)} reminders" in first.stdout
    assert "sent 0 reminders" in second.stdout
    assert "student3@example.edu" in {m["To"] for m in sink.messages}  # no essay yet, despite the extension
    links = re.findall(r"https?://\S+", "".join(m.get_content() for m in sink.messages))
    assert links and all(link == "https://blogs.school.edu/writing/c/demo-101/week/" for link in links)


def test_a_refused_reminder_does_not_stop_the_others_and_is_sent_on_the_next_run(app, sink, world):
    course, a, people = world
    sink.refused.add(people["Short"].email)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 1
    assert "sent 1 reminder" in result.output and "1 reminder not sent" in result.output
    assert len(mail_to(sink, people["Peer"])) == 1
    # Not recorded as sent: no notice either, until the reminder goes out.
    assert db.session.scalar(select(func.count(SentReminder.id)).where(
        SentReminder.user_id == people["Short"].id)) == 0
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == people["Short"].id)) == 0

    sink.refused.clear()
    assert run(app).strip() == "sent 1 reminder"
    assert len(mail_to(sink, people["Short"])) == 1 and len(mail_to(sink, people["Peer"])) == 1
    assert run(app).strip() == "sent 0 reminders"
