"""send-reminders: one email and one notice to each student short before their own deadline, never twice
for the same deadline, none to the excused, the done or the opted out, none when the course turned them
off. With the mail server down the notice still shows, and the email follows once the server is back, if
the deadline has not passed. The mail goes through a real SMTP server (tests/mail_sink.py)."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from coursesite.extensions import db
from coursesite.models import Notification, Post, SentReminder, utcnow
from coursesite.text.timefmt import deadline_text
from coursesite.weekly import reminders
from tests import factories as f
from tests.functional.helpers import login_client
from tests.mail_sink import MailSink, killed_while_sending, mail_server_down, refuse_and_watch


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


def run_refused(app) -> str:
    """A run whose mail the server turned away: status 1, and the count said on stderr."""
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 1, result.output
    return result.output


def mail_to(sink, user) -> list:
    return [m for m in sink.messages if m["To"] == user.email]


def reminder_notices(app, user) -> list[str]:
    """The reminders the person's notifications page lists, as they read them."""
    page = login_client(app, user).get("/notifications").get_data(as_text=True)
    if 'id="reminders-heading"' not in page:
        return []
    section = page.split('id="reminders-heading"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r'<li class="notification[^"]*">\s*<p>(.*?)</p>', section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


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
    # Turned off, the lead time may be left blank: the one saved stays for when they are turned on again.
    blank_off = client.post(f"/c/{course.slug}/settings", data={**data, "reminder_hours": ""})
    assert blank_off.status_code == 302 and (course.send_reminders, course.reminder_hours) == (False, 48)
    blank_on = client.post(f"/c/{course.slug}/settings", data={**data, "send_reminders": "y", "reminder_hours": ""})
    assert blank_on.status_code == 200 and "how many hours before a deadline" in blank_on.get_data(as_text=True)
    assert (course.send_reminders, course.reminder_hours) == (False, 48)


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
    output = run_refused(app)
    assert "sent 1 reminder" in output and "1 reminder not sent" in output
    assert "their notices are shown in the app" in output
    assert len(mail_to(sink, people["Peer"])) == 1 and mail_to(sink, people["Short"]) == []
    # The notice is there at once, and is not made again when the email goes.
    assert [n for n in reminder_notices(app, people["Short"]) if "You have 1 of 2 comments" in n]

    sink.refused.clear()
    assert run(app).strip() == "sent 1 reminder"
    assert len(mail_to(sink, people["Short"])) == 1 and len(mail_to(sink, people["Peer"])) == 1
    assert run(app).strip() == "sent 0 reminders"
    assert len(reminder_notices(app, people["Short"])) == 1


def test_with_the_mail_server_down_the_student_still_reads_the_reminder_and_gets_the_email_once_it_is_back(
        app, sink, world):
    course, a, people = world
    mail_server_down(app)
    assert "2 reminders not sent" in run_refused(app)
    assert sink.messages == []
    due = deadline_text(a.comments_due_at, course.timezone)
    notice = f"New You have 1 of 2 comments for “Road to independence”; due {due}."
    (shown,) = reminder_notices(app, people["Short"])
    assert shown.startswith(notice)
    page = login_client(app, people["Short"]).get("/notifications").get_data(as_text=True)
    assert "1<span class=\"visually-hidden\"> unread" in page
    assert "2 reminders not sent" in run_refused(app)  # still down: tried again, no second notice
    assert len(reminder_notices(app, people["Short"])) == 1

    app.config.update(MAIL_PORT=sink.port)  # the mail server is back
    assert run(app).strip() == "sent 2 reminders"
    assert run(app).strip() == "sent 0 reminders"
    (mail,) = mail_to(sink, people["Short"])
    assert f"You have 1 of 2 comments for “Road to independence”; due {due}." in mail.get_content()
    assert len(mail_to(sink, people["Peer"])) == 1
    assert len(reminder_notices(app, people["Short"])) == 1 and len(reminder_notices(app, people["Peer"])) == 1


def test_no_email_after_the_deadline_it_reminds_of(app, sink, world, monkeypatch):
    """The mail server is down through the whole lead time: the notices stay, and no late email goes, not
    even once the server is back. No transaction is open while the mail server answers."""
    course, a, people = world
    working_smtp = smtplib.SMTP
    attempts = refuse_and_watch(app, monkeypatch)
    assert "2 reminders not sent" in run_refused(app)
    assert "2 reminders not sent" in run_refused(app)
    assert attempts == [False] * 4
    past = a.comments_due_at + timedelta(minutes=1)
    monkeypatch.setattr("coursesite.cli.reminders.utcnow", lambda: past)
    assert run(app).strip() == "sent 0 reminders"  # still down: nothing tried, nothing refused
    assert len(attempts) == 4
    monkeypatch.setattr(smtplib, "SMTP", working_smtp)  # the mail server is back, too late
    app.config.update(MAIL_PORT=sink.port)
    assert run(app).strip() == "sent 0 reminders"
    assert sink.messages == []
    assert len(reminder_notices(app, people["Short"])) == 1 and len(reminder_notices(app, people["Peer"])) == 1


def test_a_retried_email_is_not_sent_to_a_student_who_has_since_done_the_work(app, sink, world):
    course, a, people = world
    mail_server_down(app)
    run_refused(app)
    essay = db.session.scalar(select(Post).where(Post.author_id == people["Done"].id))
    f.make_thread_comment(essay, people["Short"], f.words(8))  # Short's second comment: done
    db.session.flush()
    app.config.update(MAIL_PORT=sink.port)
    assert run(app).strip() == "sent 1 reminder"
    assert mail_to(sink, people["Short"]) == [] and len(mail_to(sink, people["Peer"])) == 1
    assert len(reminder_notices(app, people["Short"])) == 1  # what it said then stays among the notices


@pytest.mark.parametrize("first_refused", [False, True], ids=["first run", "after a refusal"])
def test_two_runs_at_once_send_each_reminder_once(app, sink, world, monkeypatch, first_refused):
    """A second run starts while the first is between finding the reminders and sending them."""
    course, a, people = world
    if first_refused:
        mail_server_down(app)
        run_refused(app)
        app.config.update(MAIL_PORT=sink.port)
    find = reminders.reminders_due
    raced = []

    def found_then_overtaken(now):
        found = find(now)
        if not raced:
            raced.append(True)
            assert run(app).strip() == "sent 2 reminders"
        return found

    monkeypatch.setattr(reminders, "reminders_due", found_then_overtaken)
    assert run(app).strip() == "sent 0 reminders"
    assert raced and len(mail_to(sink, people["Short"])) == 1 and len(mail_to(sink, people["Peer"])) == 1
    assert len(reminder_notices(app, people["Short"])) == 1
    assert db.session.scalar(select(func.count(SentReminder.id)).where(
        SentReminder.user_id == people["Short"].id)) == 1




def claims_made_ago(ago: timedelta) -> None:
    db.session.execute(update(SentReminder).where(SentReminder.emailed_at.is_not(None))
                       .values(emailed_at=utcnow() - ago))
    db.session.commit()


@pytest.mark.parametrize(("ago", "sent"), [(timedelta(hours=2), 2), (timedelta(minutes=5), 1)])
def test_a_reminder_claimed_by_a_run_killed_while_sending_is_sent_by_a_run_after_its_lease(app, sink, world,
                                                                                          monkeypatch, ago, sent):
    """The run took the first reminder's email and died before the server answered: the next run an hour later
    sends it (and the one the dead run never reached); a run five minutes later leaves it, being sent maybe."""
    course, a, people = world
    killed_while_sending(app, monkeypatch, "send-reminders")
    assert sink.messages == []
    claims_made_ago(ago)
    assert run(app).strip() == f"sent {sent} reminder{'s' if sent != 1 else ''}"
    assert len(sink.messages) == sent
    assert len(reminder_notices(app, people["Short"])) == 1


def test_a_sent_reminder_is_marked_taken_and_not_sent_again_after_the_lease(app, sink, world):
    course, a, people = world
    assert run(app).strip() == "sent 2 reminders"
    claims_made_ago(timedelta(hours=2))
    assert run(app).strip() == "sent 0 reminders"
    assert len(sink.messages) == 2


def test_a_reminder_sent_again_after_a_lost_answer_has_the_same_message_id(app, sink, world):
    """The server kept the reminders but the answer never came: the next run sends them again as the same
    messages, which mailboxes that drop duplicates show once."""
    course, a, people = world
    sink.lose_data_reply = True
    assert "2 reminders not sent" in run_refused(app)
    sink.lose_data_reply = False
    assert run(app).strip() == "sent 2 reminders"
    for person in (people["Short"], people["Peer"]):
        first, again = mail_to(sink, person)
        assert first["Message-ID"] == again["Message-ID"]
    assert mail_to(sink, people["Short"])[0]["Message-ID"] != mail_to(sink, people["Peer"])[0]["Message-ID"]
