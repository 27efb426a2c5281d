"""The account page, password reset by email and account-setup invitations."""

from __future__ import annotations

import re

from coursesite.extensions import db
from tests import factories as f
from tests.mail_sink import mail_server_down, mail_server_times_out


def text(response) -> str:
    return response.get_data(as_text=True)


# --- account page ----------------------------------------------------------------------------------


def test_account_needs_login(client):
    response = client.get("/auth/account")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_change_name(client, auth):
    user = f.make_user(name="Old Name")
    auth.login(user)
    response = client.post(
        "/auth/account", data={"profile-display_name": "  New Name ", "profile-notify_email": "instant"}
    )
    assert response.status_code == 302
    assert user.display_name == "New Name" and user.notify_email == "instant"


def test_change_name_blank_is_refused(client, auth):
    user = f.make_user(name="Kept Name")
    auth.login(user)
    response = client.post("/auth/account", data={"profile-display_name": " ", "profile-notify_email": "digest"})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert user.display_name == "Kept Name"


def test_a_refused_profile_is_shown_as_unsaved(client, auth):
    """What a refused profile shows is not saved: leaving the page (by the password form, say) asks first."""
    auth.login(f.make_user(name="Kept Name"))
    fresh = text(client.get("/auth/account"))
    assert "data-warn-unsaved>" in fresh and "data-unsaved" not in fresh
    refused = text(client.post("/auth/account", data={"profile-display_name": " ", "profile-notify_email": "digest"}))
    assert "data-warn-unsaved data-unsaved>" in refused
    assert 'data-refused-empty="profile-display_name-error"' in refused


def test_change_password(app, client, auth):
    user = f.make_user()
    auth.login(user)
    other_device = app.test_client()
    other_device.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD})
    response = client.post(
        "/auth/account",
        data={
            "password-current_password": f.DEFAULT_PASSWORD,
            "password-password": "a brand new password",
            "password-confirm": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert user.check_password("a brand new password")
    # This browser stays logged in; a session opened with the old password ends.
    assert client.get("/auth/account").status_code == 200
    assert other_device.get("/auth/account").status_code == 302


def test_change_password_keeps_this_browser_remembered(app, client):
    user = f.make_user()
    client.post("/auth/login", data={"email": user.email, "password": f.DEFAULT_PASSWORD, "remember": "y"})
    old_cookie = client.get_cookie("remember_token", domain="coursesite.test").value
    client.post(
        "/auth/account",
        data={
            "password-current_password": f.DEFAULT_PASSWORD,
            "password-password": "a brand new password",
            "password-confirm": "a brand new password",
        },
    )
    new_cookie = client.get_cookie("remember_token", domain="coursesite.test").value
    assert new_cookie != old_cookie
    for cookie, expected in ((new_cookie, 200), (old_cookie, 302)):
        fresh = app.test_client()
        fresh.set_cookie("remember_token", cookie, domain="coursesite.test")
        assert fresh.get("/auth/account").status_code == expected


def change_password_with_a_wrong_current_one(client):
    return client.post("/auth/account", data={"password-current_password": "not my password",
                                              "password-password": "a brand new password",
                                              "password-confirm": "a brand new password"})


def test_change_password_needs_current_password(client, auth):
    user = f.make_user()
    auth.login(user)
    response = change_password_with_a_wrong_current_one(client)
    assert response.status_code == 200
    assert "That is not your current password." in text(response)
    assert user.check_password(f.DEFAULT_PASSWORD)


def test_the_no_email_choice_says_where_the_comments_show_instead(client, auth):
    # On the account page "see them here" pointed at the wrong page.
    auth.login(f.make_user())
    page = text(client.get("/auth/account"))
    assert "Never (see them under Notifications)" in page and "see them here" not in page
    assert "by email and under Notifications" in page and "by email and here" not in page


def test_refused_password_change_shows_the_saved_profile_choices(client, auth):
    # Saving the profile after fixing a password typo must not switch the reminders off.
    user = f.instructor_of(f.make_course())
    user.wants_reminders = user.wants_staff_digest = True
    db.session.commit()
    auth.login(user)
    response = change_password_with_a_wrong_current_one(client)
    for name in ("profile-wants_reminders", "profile-wants_staff_digest"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', text(response)).group(0)
        assert "checked" in box, name


# --- password reset --------------------------------------------------------------------------------


def reset_link(message) -> str:
    match = re.search(r"http://coursesite\.test(/auth/reset/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def request_reset(client, email: str, **options):
    return client.post("/auth/reset", data={"email": email}, **options)


def test_password_reset_by_email_link_works_once(client, outbox):
    user = f.make_user(email="forgetful@example.org")
    response = request_reset(client, "Forgetful@example.org")
    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0]["To"] == "forgetful@example.org"
    link = reset_link(outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "my new password 1", "confirm": "my new password 1"})
    assert response.status_code == 302
    assert user.check_password("my new password 1")
    client.post("/auth/logout")
    # Second use of the same link fails.
    response = client.post(link, data={"password": "another password 2", "confirm": "another password 2"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/reset")
    assert user.check_password("my new password 1")
    assert "expired or was already used" in text(client.get("/auth/reset"))


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = request_reset(client, "ghost@example.org")
    assert response.status_code == 302
    assert outbox == []
    assert "If an account has that email" in text(client.get("/auth/login"))


def test_password_reset_answers_the_same_whether_the_account_exists_or_the_mail_was_refused(app, client, caplog):
    """With the mail server down, an existing account, an unknown email and an imported guest get the same
    status, page and message: the answer never tells who has an account."""
    mail_server_down(app)
    f.make_user(email="known@example.org")
    guest = f.make_user(email="guest@example.org")
    guest.is_guest = True
    db.session.commit()
    answers = []
    for email in ("known@example.org", "ghost@example.org", "guest@example.org"):
        response = request_reset(client, email)
        landing = client.get(response.headers.get("Location", "/auth/reset"))
        flashed = re.findall(r'class="flash[^"]*"[^>]*>(.*?)<', text(landing), re.S)
        answers.append((response.status_code, response.headers.get("Location"), landing.status_code, flashed))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 302 and "If an account has that email" in " ".join(answers[0][3])
    logged = [r.getMessage() for r in caplog.records if r.name == "coursesite.mail"]
    assert len(logged) == 1 and "password reset" in logged[0] and "known@example.org" in logged[0]
    assert "/auth/reset/" not in logged[0]


def test_a_reset_is_answered_before_the_mail_server_is_asked(app, client, monkeypatch, caplog):
    """A mail server that does not answer must not make the answer for an existing account come later than for
    an unknown one: the whole answer is sent, and only when the server closes it is the mail tried. A refusal
    then is still logged, without the link."""
    events = mail_server_times_out(app, monkeypatch)
    f.make_user(email="known@example.org")
    db.session.commit()
    response = request_reset(client, "known@example.org", buffered=False)  # open until the test closes it
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert "/auth/login" in text(response)  # the body, read to its end
    events.append("answer sent")
    response.close()  # what gunicorn and the development server do once the answer is sent
    assert events == ["answer sent", "mail server asked"]
    logged = [r.getMessage() for r in caplog.records if r.name == "coursesite.mail"]
    assert len(logged) == 1 and "password reset" in logged[0] and "known@example.org" in logged[0]
    assert "/auth/reset/" not in logged[0]


def test_a_reset_mail_goes_out_once_the_answer_is_sent(client, outbox):
    f.make_user(email="known@example.org")
    response = request_reset(client, "known@example.org", buffered=False)
    assert response.status_code == 302 and "/auth/login" in text(response)
    assert outbox == []
    response.close()
    assert [message["To"] for message in outbox] == ["known@example.org"]


def test_expired_reset_link_fails(app, client, outbox):
    user = f.make_user()
    request_reset(client, user.email)
    link = reset_link(outbox[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.post(link, data={"password": "my new password 1", "confirm": "my new password 1"})
    assert response.status_code == 302
    assert user.check_password(f.DEFAULT_PASSWORD)


def test_forged_reset_link_fails(client):
    response = client.get("/auth/reset/not-a-real-token")
    assert response.status_code == 302


def test_invited_person_without_password_can_ask_for_a_reset(client, outbox):
    user = f.make_user(email="invited@example.org")
    user.password_hash = None
    db.session.flush()
    request_reset(client, user.email)
    assert len(outbox) == 1


def test_imported_guest_author_gets_no_reset_mail(client, outbox):
    user = f.make_user(email="guest@example.org")
    user.is_guest = True
    db.session.flush()
    request_reset(client, user.email)
    assert outbox == []


def test_invitation_link_sets_up_account_once(client):
    from coursesite.people import tokens

    user = f.make_user(name="Ivy Invited", email="ivy@example.org")
    user.password_hash = None
    db.session.flush()
    link = f"/auth/invitation/{tokens.make_token(user, 'invite')}"
    page = text(client.get(link))
    assert "ivy@example.org" in page and 'value="Ivy Invited"' in page
    response = client.post(
        link, data={"display_name": "Ivy I.", "password": "ivy's own password", "confirm": "ivy's own password"}
    )
    assert response.status_code == 302
    assert user.display_name == "Ivy I." and user.check_password("ivy's own password")
    client.post("/auth/logout")
    assert client.get(link).status_code == 302


def test_account_name_cannot_pass_for_the_course_staff(client, auth):
    """The blog shows the account name when no course display name is set: a student renaming the account
    to the instructor's name (a look-alike letter included) would sign essays and comments as the instructor."""
    course = f.make_course(instructor=f.make_user(name="Dr. Rosa Alvarez"))
    student = f.make_member(course, name="Amara Okafor")
    auth.login(student)
    for name in ("Dr. Rosa Alvarez", "DR. R\u043esa  Alvarez"):
        response = client.post("/auth/account", data={"profile-display_name": name, "profile-notify_email": "off"})
        assert response.status_code == 200
        assert "reads the same as the name of someone on the staff of" in text(response)
        db.session.refresh(student)
        assert student.display_name == "Amara Okafor"


def test_account_name_may_match_a_classmate_or_staff_of_other_courses(client, auth):
    course = f.make_course(instructor=f.make_user(name="Dr. Rosa Alvarez"))
    f.make_member(course, name="Alex Kim")
    f.make_course(instructor=f.make_user(name="Prof. Elsewhere"))
    student = f.make_member(course, name="Amara Okafor")
    auth.login(student)
    for name in ("Alex Kim", "Prof. Elsewhere"):
        response = client.post("/auth/account", data={"profile-display_name": name, "profile-notify_email": "off"})
        assert response.status_code == 302
        db.session.refresh(student)
        assert student.display_name == name


def test_account_set_up_from_an_invitation_cannot_take_a_staff_members_name(client):
    from coursesite.people import tokens

    course = f.make_course(instructor=f.make_user(name="Dr. Rosa Alvarez"))
    user = f.make_member(course, name="Ivy Invited")
    user.password_hash = None
    db.session.flush()
    link = f"/auth/invitation/{tokens.make_token(user, 'invite')}"
    response = client.post(link, data={"display_name": "Dr Rosa Alvarez", "password": "ivy's own password",
                                       "confirm": "ivy's own password"})
    assert response.status_code == 200
    assert f"someone on the staff of {course.title}" in text(response)
    db.session.refresh(user)
    assert user.display_name == "Ivy Invited" and user.password_hash is None


def test_only_staff_are_offered_the_weekly_staff_digest_and_a_students_save_keeps_it(client, auth):
    """A student has no course to digest: no box for it, and saving the profile leaves the choice as it was,
    for the day they teach. An instructor sees the box and can untick it."""
    course = f.make_course()
    student = f.make_member(course)
    student.wants_staff_digest = True
    db.session.commit()
    auth.login(student)
    assert "weekly digest" not in text(client.get("/auth/account"))
    client.post("/auth/account", data={"profile-display_name": student.display_name, "profile-notify_email": "digest"})
    db.session.refresh(student)
    assert student.wants_staff_digest is True
    auth.logout()
    teacher = f.instructor_of(course)
    auth.login(teacher)
    assert "weekly digest" in text(client.get("/auth/account"))
    client.post("/auth/account", data={"profile-display_name": teacher.display_name, "profile-notify_email": "digest"})
    db.session.refresh(teacher)
    assert teacher.wants_staff_digest is False
