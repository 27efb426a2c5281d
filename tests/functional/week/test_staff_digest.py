"""send-staff-digest: once a week, to each instructor and TA who wants it, what needs them in the course:
silent students, essays short of readers, comments in moderation, grades not released after the due date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from coursesite.extensions import db
from coursesite.models import Enrollment, SentStaffDigest, utcnow
from coursesite.notifications import mail
from tests import factories as f
from tests.mail_sink import MailSink, killed_while_sending


@pytest.fixture
def sink(app):
    with MailSink() as running:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=running.port, MAIL_USE_TLS=False,
                          MAIL_USERNAME=None)
        yield running


def run(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["send-staff-digest", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def joined_long_ago(course, user):
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id,
                                                            Enrollment.course_id == course.id))
    enrollment.joined_at = utcnow() - timedelta(days=60)
    db.session.flush()


@pytest.fixture
def course():
    now = utcnow()
    course = f.make_course(title="Modern History")
    ta = f.make_member(course, role="ta", name="Sam TA")
    busy, quiet, new = (f.make_member(course, name=n) for n in ("Busy Writer", "Quiet Student", "New Student"))
    for person in (busy, quiet):
        joined_long_ago(course, person)
    old = f.make_assignment(course, title="Finished essay", opens_at=now - timedelta(days=30),
                            post_due_at=now - timedelta(days=20), comments_due_at=now - timedelta(days=15))
    current = f.make_assignment(course, title="Current essay", required_comments=2)
    f.make_post(course, busy, title="Lonely essay", assignment_id=current.id, published_at=now - timedelta(days=1))
    held = f.make_post(course, quiet, title="Old piece", assignment_id=old.id, published_at=now - timedelta(days=21))
    f.make_comment(held, busy, status="held", created_at=now - timedelta(days=2))
    db.session.flush()
    return course, ta, old


def test_digest_lists_what_needs_staff_with_dashboard_links_once_a_week(app, sink, course):
    course, ta, old = course
    assert run(app) == "sent 2 staff digests"  # the instructor and the TA
    assert run(app) == "sent 0 staff digests"  # the same week: nothing again
    ta_mail = [m for m in sink.messages if m["To"] == ta.email]
    assert len(ta_mail) == 1 and ta_mail[0]["Subject"] == "This week in Modern History"
    body = ta_mail[0].get_content().replace("\r\n", "\n")
    silent = body.split("Students silent for 7 days (no essay, no comment):")[1].split("\n\n")[0]
    assert "Quiet Student" in silent and "Busy Writer" not in silent and "New Student" not in silent
    assert "“Lonely essay” by Busy Writer: 0 of 2 comments" in body
    assert "1 comment waiting in moderation" in body and f"/c/{course.slug}/moderation" in body
    assert "Grades not released after the due date:\n- Finished essay" in body
    assert f"/c/{course.slug}/dashboard/assignments/{old.id}/release" in body
    assert f"/c/{course.slug}/dashboard/students/" in body


def test_staff_who_turned_it_off_get_none(app, sink, course):
    course, ta, _old = course
    ta.wants_staff_digest = False
    db.session.flush()
    assert run(app) == "sent 1 staff digest"
    assert [m["To"] for m in sink.messages] == [f.instructor_of(course).email]


def test_a_refused_digest_does_not_stop_the_others_and_is_sent_on_the_next_run(app, sink, course):
    course, ta, _old = course
    sink.refused.add(ta.email)
    result = app.test_cli_runner().invoke(args=["send-staff-digest"])
    assert result.exit_code == 1
    assert "sent 1 staff digest" in result.output and "1 staff digest not sent" in result.output
    assert [m["To"] for m in sink.messages] == [f.instructor_of(course).email]
    sink.refused.clear()
    assert run(app) == "sent 1 staff digest"
    assert [m["To"] for m in sink.messages] == [f.instructor_of(course).email, ta.email]
    assert run(app) == "sent 0 staff digests"




def digests_claimed_ago(ago: timedelta) -> None:
    db.session.execute(update(SentStaffDigest).values(sent_at=utcnow() - ago))
    db.session.commit()


@pytest.mark.parametrize(("ago", "sent"), [(timedelta(hours=2), 2), (timedelta(minutes=5), 1)])
def test_a_digest_claimed_by_a_run_killed_while_sending_is_sent_by_a_run_after_its_lease(app, sink, course,
                                                                                        monkeypatch, ago, sent):
    """The run took the instructor's digest and died before the server answered: a run two hours later sends it
    (and the TA's, which the dead run never reached); a run five minutes later leaves it, being sent maybe."""
    course, ta, _old = course
    killed_while_sending(app, monkeypatch, "send-staff-digest")
    assert sink.messages == []
    digests_claimed_ago(ago)
    assert run(app) == f"sent {sent} staff digest{'s' if sent != 1 else ''}"
    assert sorted(m["To"] for m in sink.messages) == sorted([f.instructor_of(course).email, ta.email][-sent:])
    assert run(app) == "sent 0 staff digests"


def test_a_digest_is_marked_taken_once_the_server_took_it_and_never_goes_again(app, sink, course, monkeypatch):
    """While the server answers, the digest is claimed but not marked taken; once taken it is marked, so a run
    hours later in the same week does not send it again."""
    seen_while_sending = []
    send = mail.send_mail

    def watched(to, *args):
        seen_while_sending.append(db.session.scalars(
            select(SentStaffDigest.email_accepted_at.is_not(None)).order_by(SentStaffDigest.id)).all())
        db.session.rollback()
        send(to, *args)

    monkeypatch.setattr(mail, "send_mail", watched)
    assert run(app) == "sent 2 staff digests"
    assert seen_while_sending == [[False], [True, False]]
    digests_claimed_ago(timedelta(days=2))
    assert run(app) == "sent 0 staff digests"
    assert len(sink.messages) == 2


def test_a_digest_sent_again_after_a_lost_answer_has_the_same_message_id(app, sink, course):
    """The server kept the digests but the answer never came: the next run sends them again as the same messages,
    which mailboxes that drop duplicates show once; the instructor's and the TA's are two messages."""
    course, ta, _old = course
    sink.lose_data_reply = True
    result = app.test_cli_runner().invoke(args=["send-staff-digest"])
    assert result.exit_code == 1 and "2 staff digests not sent" in result.output
    sink.lose_data_reply = False
    assert run(app) == "sent 2 staff digests"
    ids = {}
    for message in sink.messages:
        ids.setdefault(message["To"], []).append(message["Message-ID"])
    first, again = ids[ta.email]
    assert first is not None and first == again and first.endswith("@coursesite.test>")
    assert ids[f.instructor_of(course).email][0] != first
