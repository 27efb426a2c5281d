"""A roster import never enrolls an existing account: it invites, and the person joins by accepting.

The preview shows an account from elsewhere on the site exactly as it shows an email nobody has, so an
instructor cannot use it to learn who has an account.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from coursesite.extensions import db
from coursesite.models import utcnow
from coursesite.people import accounts
from coursesite.people import invitations as course_invitations
from tests import factories as f
from tests.functional.courses.test_roster_import import enrollment_of, import_file, text, upload
from tests.mail_sink import mail_server_down
from tests.payloads import IMPERSONATED_EMAIL, SAME_EMAIL_VARIANTS


def pending(course) -> list:
    """The course's invitations nobody has answered yet, oldest first."""
    return list(db.session.scalars(course_invitations.pending_in(course)))


@pytest.fixture
def course(auth):
    course = f.make_course(title="History of Maps")
    auth.login(f.instructor_of(course))
    return course


@pytest.fixture
def outsiders(app):
    other = f.make_course(title="Physics")
    return {
        "admin": f.make_user("Site Admin", email=IMPERSONATED_EMAIL, is_admin=True),
        "student": f.make_member(other, name="Olga Outsider"),
        "instructor": f.instructor_of(other),
    }


def line_outcomes(response) -> dict[str, str]:
    """Email -> the whole line of the preview as read, with the line number and the email taken out."""
    rows = re.findall(r"<tr>\s*<td[^>]*>(\d+)</td>(.*?)</tr>", response.get_data(as_text=True), re.S)
    out = {}
    for _line, cells in rows:
        words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells)).strip()
        email = re.search(r"\S+@\S+", words).group(0)
        out[email] = words.replace(email, "EMAIL")
    return out


def test_preview_shows_accounts_elsewhere_like_unknown_emails(client, course, outsiders):
    csv = ("email,name,role\n"
           f"{outsiders['admin'].email},Person,instructor\n"
           f"{outsiders['student'].email},Person,instructor\n"
           f"{outsiders['instructor'].email},Person,instructor\n"
           "nobody.yet@example.org,Person,instructor\n")
    preview = upload(client, course, csv)
    outcomes = line_outcomes(preview)
    assert len(outcomes) == 4 and len(set(outcomes.values())) == 1
    assert "Will be invited" in next(iter(outcomes.values()))
    page = text(preview)
    assert "4 people are not in the course yet and will be invited by email" in page
    for user in outsiders.values():
        assert user.display_name not in page


def test_import_invites_existing_accounts_and_enrolls_none(client, course, outsiders, outbox):
    csv = "email,role\n" + "".join(f"{u.email},instructor\n" for u in outsiders.values())
    _, response = import_file(client, course, csv)
    assert response.status_code == 302
    for user in outsiders.values():
        assert enrollment_of(course, user.email) is None
    assert sorted(m["To"] for m in outbox) == sorted(u.email for u in outsiders.values())
    roster = text(client.get(f"/c/{course.slug}/roster"))
    assert "Roster imported from roster.csv: 3 invited." in roster


@pytest.mark.parametrize("written", SAME_EMAIL_VARIANTS)
def test_case_variants_of_an_email_are_the_same_account_and_only_invited(client, course, outsiders, outbox,
                                                                          written):
    import_file(client, course, f"email,role\n{written},instructor\n")
    assert enrollment_of(course, IMPERSONATED_EMAIL) is None
    assert [m["To"] for m in outbox] == [IMPERSONATED_EMAIL]


def answer_link(outbox, email: str) -> str:
    message = next(m for m in outbox if m["To"] == email)
    return re.search(r"http://coursesite\.test(/c/[^/\s]+/invitation)\s", message.get_content()).group(1)


def logged_in(app, user):
    browser = app.test_client()
    browser.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD})
    return browser


def test_roster_lists_invitations_alike_under_the_files_names(client, course, outsiders):
    csv = (f"email,name,role\n{outsiders['student'].email},From The File,ta\n"
           "nobody.yet@example.org,Also From The File,ta\n")
    import_file(client, course, csv)
    roster = client.get(f"/c/{course.slug}/roster").get_data(as_text=True)
    assert (f'<a href="/c/{course.slug}/roster/invitations">2 people invited, not joined yet</a>') in roster
    invited = text(client.get(f"/c/{course.slug}/roster/invitations"))
    assert f"From The File {outsiders['student'].email} TA" in invited
    assert "Also From The File nobody.yet@example.org TA" in invited
    assert outsiders["student"].display_name not in invited
    # Nor does the search tell who had an account by the name on it.
    searched = text(client.get(f"/c/{course.slug}/roster/invitations",
                               query_string={"q": outsiders["student"].display_name}))
    assert "No invitation matches" in searched and outsiders["student"].email not in searched


def test_the_invited_person_joins_with_the_offered_role_only_by_accepting(app, client, course, outsiders, outbox):
    student = outsiders["student"]
    import_file(client, course, f"email,role,section,sis_id\n{student.email},ta,Lab B,S-9\n")
    link = answer_link(outbox, student.email)
    assert app.test_client().get(link).status_code == 302  # log in first
    invitee = logged_in(app, student)
    assert "Invitations History of Maps" in text(invitee.get("/"))
    page = invitee.get(link)
    assert page.status_code == 200 and "invites you to join" in text(page) and "as a TA" in text(page)
    assert enrollment_of(course, student.email) is None  # opening the link changes nothing
    assert invitee.post(link, data={"accept": "y"}).status_code == 302
    enrollment = enrollment_of(course, student.email)
    assert (enrollment.role, enrollment.section.name, enrollment.sis_user_id) == ("ta", "Lab B", "S-9")
    # Spent: removed later, the same link does not bring them back.
    enrollment.ended_at = utcnow()
    db.session.commit()
    assert invitee.post(link, data={"accept": "y"}).status_code == 302
    assert enrollment_of(course, student.email).ended_at is not None


def test_an_invitation_is_not_accepted_under_a_staff_members_name(app, client, course, outsiders, outbox):
    student = outsiders["student"]
    import_file(client, course, f"email,role\n{student.email},student\n")
    link = answer_link(outbox, student.email)
    student.display_name = f.instructor_of(course).display_name.upper()
    db.session.commit()
    invitee = logged_in(app, student)
    response = invitee.post(link, data={"accept": "y"})
    assert response.status_code == 200
    assert "Your name reads the same as the name of someone on the staff of History of Maps" in text(response)
    assert enrollment_of(course, student.email) is None


def test_declining_leaves_the_course_alone(app, client, course, outsiders, outbox):
    student = outsiders["student"]
    import_file(client, course, f"email,role\n{student.email},instructor\n")
    invitee = logged_in(app, student)
    link = answer_link(outbox, student.email)
    assert invitee.post(link, data={"decline": "y"}).status_code == 302
    assert enrollment_of(course, student.email) is None
    assert invitee.post(link, data={"accept": "y"}).status_code == 302
    assert enrollment_of(course, student.email) is None


def test_an_invitation_is_only_for_its_own_account(app, client, course, outsiders, outbox):
    import_file(client, course, f"email,role\n{outsiders['student'].email},instructor\n")
    other = logged_in(app, outsiders["instructor"])
    assert other.post(answer_link(outbox, outsiders["student"].email), data={"accept": "y"}).status_code == 302
    assert "You have no invitation to History of Maps" in text(other.get("/"))
    assert enrollment_of(course, outsiders["instructor"].email) is None
    assert enrollment_of(course, outsiders["student"].email) is None


def test_a_withdrawn_invitation_cannot_be_accepted(app, client, course, outsiders, outbox):
    student = outsiders["student"]
    import_file(client, course, f"email,name\n{student.email},Olga\n")
    invited = client.get(f"/c/{course.slug}/roster/invitations").get_data(as_text=True)
    [withdraw] = re.findall(r'action="(/c/[^"]+/withdraw)"', invited)
    response = client.post(withdraw)
    assert response.status_code == 302 and "The invitation to Olga is withdrawn." in text(client.get("/"))
    assert logged_in(app, student).post(answer_link(outbox, student.email), data={"accept": "y"}).status_code == 302
    assert enrollment_of(course, student.email) is None


def test_importing_again_does_not_invite_again(client, course, outsiders, outbox):
    csv = f"email\n{outsiders['student'].email}\nnew.person@example.org\n"
    import_file(client, course, csv)
    outbox.clear()
    preview, _ = import_file(client, course, csv)
    assert "2 invited earlier have not joined yet" in text(preview) and outbox == []


def test_an_account_without_a_password_sets_one_up_on_the_way(client, course, outbox):
    pending = f.make_user("Pending Person", email="pending@example.org", password=None)
    import_file(client, course, f"email\n{pending.email}\n")
    [message] = outbox
    link = re.search(r"http://coursesite\.test(/auth/invitation/\S+)", message.get_content()).group(1)
    assert link.endswith(f"?next=/c/{course.slug}/invitation")
    assert enrollment_of(course, pending.email) is None


THREE_NEW = ("email,name\nnew1@example.org,New One\nnew2@example.org,New Two\nnew3@example.org,New Three\n")


def test_import_with_the_mail_server_down_keeps_the_invitations_and_says_the_mail_did_not_go(app, client, course,
                                                                                              outbox):
    """The import is saved and the instructor is told, truly, that the emails did not go and how to send them
    again; once mail works, “Send again” gets a working invitation to the person."""
    mail_server_down(app)
    _, response = import_file(client, course, THREE_NEW)
    assert response.status_code == 302
    roster = text(client.get(response.headers["Location"]))
    assert "Roster imported from roster.csv: 3 invited." in roster
    assert ("The mail server did not accept 3 invitation emails. The invitations are saved; send them again "
            "with “Send again” on the roster's list of people invited, not joined yet.") in roster
    assert "Nothing you wrote" not in roster and "3 people invited, not joined yet" in roster
    invitations = pending(course)
    assert sorted(i.user.email for i in invitations) == ["new1@example.org", "new2@example.org", "new3@example.org"]
    assert "Send again the invitation to New Two" in text(client.get(f"/c/{course.slug}/roster/invitations"))

    app.config["MAIL_SERVER"] = None  # the mail server is back (here: the test outbox)
    two = next(i for i in invitations if i.name == "New Two")
    response = client.post(f"/c/{course.slug}/roster/invitations/{two.id}/resend")
    assert response.status_code == 302 and response.headers["Location"].endswith("/roster/invitations")
    assert "The invitation to New Two is sent again." in text(client.get(response.headers["Location"]))
    assert [m["To"] for m in outbox] == ["new2@example.org"]
    link = re.search(r"http://coursesite\.test(/auth/invitation/\S+)", outbox[0].get_content()).group(1)
    assert app.test_client().get(link).status_code == 200  # the account set-up page, not "expired"


def test_send_again_with_the_mail_server_down_says_so_and_keeps_the_invitation(app, client, course, outbox):
    import_file(client, course, THREE_NEW)
    mail_server_down(app)
    one = pending(course)[0]
    response = client.post(f"/c/{course.slug}/roster/invitations/{one.id}/resend", follow_redirects=True)
    assert response.status_code == 200
    assert f"The mail server did not accept the invitation to {one.name}. It is still saved" in text(response)
    assert len(pending(course)) == 3


def test_send_again_only_for_the_courses_own_invitations(client, course, outsiders):
    other = f.make_course(title="Physics")
    invitation = course_invitations.invite(other, outsiders["student"], f.instructor_of(other), role=None,
                                           section=None, ids={}, name=None)
    db.session.commit()
    assert client.post(f"/c/{course.slug}/roster/invitations/{invitation.id}/resend").status_code == 404


def test_send_again_sends_nothing_to_someone_who_joined_with_the_code_meanwhile(client, course, outsiders, outbox):
    student = outsiders["student"]
    invitation = course_invitations.invite(course, student, f.instructor_of(course), role=None, section=None,
                                           ids={}, name="Olga O.")
    accounts.enroll(student, course)  # with the join code, before answering the invitation
    db.session.commit()
    response = client.post(f"/c/{course.slug}/roster/invitations/{invitation.id}/resend", follow_redirects=True)
    assert "Olga O. has joined the course already, so nothing was sent." in text(response)
    assert outbox == []


def test_a_mail_server_that_does_not_answer_is_not_waited_for_invitation_after_invitation(app, client, course,
                                                                                        monkeypatch, outbox):
    """Each unanswered attempt takes the whole SMTP timeout; after MAIL_BUDGET_S the rest wait for “Send
    again”, so a class's import answers before the worker's timeout. (The clock is the test's: nothing sleeps.)"""
    from coursesite.courses import roster_views

    clock = iter(range(0, 1000, 15))  # every look at the import's clock, 15 s later: as if each attempt hung
    monkeypatch.setattr(roster_views, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    mail_server_down(app)
    attempts = []
    real_deliver = roster_views.deliver
    monkeypatch.setattr(roster_views, "deliver", lambda mail: attempts.append(mail.to) or real_deliver(mail))
    _, response = import_file(client, course, THREE_NEW)
    assert response.status_code == 302
    assert len(attempts) == 1  # 15 s in: the second was not tried
    assert "The mail server did not accept 3 invitation emails." in text(client.get(response.headers["Location"]))
    assert len(pending(course)) == 3
