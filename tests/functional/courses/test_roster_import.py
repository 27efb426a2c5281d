"""Roster CSV import through the browser's eyes: upload, preview (nothing written), import, invitations."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Enrollment, User
from tests import factories as f

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "roster"


def text(response) -> str:
    """The page as a reader sees it: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True))))


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Enrollment.id))))


def upload(client, course, data: bytes | str, filename: str = "roster.csv"):
    if isinstance(data, str):
        data = data.encode()
    return client.post(
        f"/c/{course.slug}/roster/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def payload_of(response) -> str:
    match = re.search(r'name="payload" type="hidden" value="([^"]*)"', response.get_data(as_text=True))
    assert match, "no import form on the preview"
    return match.group(1)


def confirm(client, course, preview):
    return client.post(f"/c/{course.slug}/roster/import", data={"payload": payload_of(preview)})


def import_file(client, course, data, filename="roster.csv"):
    preview = upload(client, course, data, filename)
    assert preview.status_code == 200
    return preview, confirm(client, course, preview)


def accept_all(course) -> None:
    """Everyone invited accepts, as they would from the emailed link."""
    from coursesite.people import invitations as course_invitations

    for invitation in db.session.scalars(course_invitations.pending_in(course)).all():
        course_invitations.accept(invitation)
    db.session.commit()


def enrollment_of(course, email: str) -> Enrollment | None:
    return db.session.scalar(
        select(Enrollment).join(User).where(Enrollment.course_id == course.id, User.email == email)
    )


@pytest.fixture
def course(auth):
    course = f.make_course(title="History of Maps")
    auth.login(f.instructor_of(course))
    return course


PLAIN = (
    "email,name,role,section,sis_id\n"
    "new.one@example.org,New One,student,Lab A,S100\n"
    "ta.two@example.org,Ta Two,ta,,\n"
)


def test_roster_page_links_to_import(client, course):
    assert f'href="/c/{course.slug}/roster/import"' in client.get(f"/c/{course.slug}/roster").get_data(as_text=True)


def test_preview_writes_nothing_and_sends_nothing(client, course, outbox):
    before = counts()
    response = upload(client, course, PLAIN)
    page = text(response)
    assert response.status_code == 200
    assert "Preview of roster.csv" in page and "Nothing has changed yet." in page
    assert "Will be invited" in page
    assert "2 people are not in the course yet and will be invited by email" in page
    assert "Import 2 changes" in page
    assert counts() == before and outbox == []


def test_import_creates_accounts_and_invites(client, course, outbox):
    _, response = import_file(client, course, PLAIN)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/c/{course.slug}/roster")
    assert enrollment_of(course, "new.one@example.org") is None  # in the course only once they accept
    assert sorted(m["To"] for m in outbox) == ["new.one@example.org", "ta.two@example.org"]
    assert "History of Maps" in outbox[0]["Subject"]
    roster = text(client.get(f"/c/{course.slug}/roster"))
    assert "Roster imported from roster.csv: 2 invited." in roster
    assert "2 people invited, not joined yet" in roster
    invited = text(client.get(f"/c/{course.slug}/roster/invitations"))
    assert "Invited, not joined yet" in invited and "New One new.one@example.org Student Lab A" in invited
    accept_all(course)
    one = enrollment_of(course, "new.one@example.org")
    assert (one.role, one.section.name, one.sis_user_id) == ("student", "Lab A", "S100")
    assert one.user.password_hash is None and one.user.display_name == "New One"
    assert enrollment_of(course, "ta.two@example.org").role == "ta"


def test_invitation_link_from_the_import_sets_up_the_account(app, client, course, outbox):
    import_file(client, course, PLAIN)
    message = next(m for m in outbox if m["To"] == "new.one@example.org")
    link = re.search(r"http://coursesite\.test(/auth/invitation/\S+)", message.get_content()).group(1)
    newcomer = app.test_client()
    response = newcomer.post(link, data={"display_name": "New One", "password": "my own password", "confirm":
                                         "my own password"})
    assert response.status_code == 302 and response.headers["Location"] == f"/c/{course.slug}/invitation"
    assert "Join History of Maps?" in text(newcomer.get(response.headers["Location"]))
    assert newcomer.post(response.headers["Location"], data={"accept": "y"}).status_code == 302
    assert "History of Maps" in text(newcomer.get("/"))
    assert enrollment_of(course, "new.one@example.org").role == "student"


def test_reimport_is_idempotent(client, course, outbox):
    import_file(client, course, PLAIN)
    outbox.clear()
    before = counts()
    preview = upload(client, course, PLAIN)
    assert "2 invited earlier have not joined yet" in text(preview)
    assert "Nothing to import:" in text(preview) and "everyone in the file is already on the roster" in text(preview)
    response = confirm(client, course, preview)
    assert response.status_code == 302
    assert counts() == before and outbox == []


def test_existing_accounts_are_invited_not_added(client, course, outbox):
    f.make_user(email="known@example.org", name="Known Person")
    preview, response = import_file(client, course, "email,section\nKNOWN@example.org,Lab B\n")
    assert response.status_code == 302 and "Will be invited" in text(preview)
    assert enrollment_of(course, "known@example.org") is None
    [message] = outbox
    assert message["To"] == "known@example.org" and f"/c/{course.slug}/invitation" in message.get_content()


def test_changes_are_shown_then_applied(client, course):
    student = f.make_member(course)
    preview = upload(client, course, f"email,role,section\n{student.email},ta,Lab C\n")
    assert "Updated: role student → ta; section (none) → Lab C" in text(preview)
    confirm(client, course, preview)
    enrollment = enrollment_of(course, student.email)
    assert enrollment.role == "ta" and enrollment.section.name == "Lab C"


def test_blank_cells_never_clear_what_the_roster_holds(client, course):
    student = f.make_member(course, sis_user_id="KEEP-1")
    import_file(client, course, f"email,sis_id,role\n{student.email},,\n")
    enrollment = enrollment_of(course, student.email)
    assert enrollment.sis_user_id == "KEEP-1" and enrollment.role == "student"


def test_removed_person_is_invited_back(client, course, outbox):
    student = f.make_member(course)
    enrollment_of(course, student.email).ended_at = f.utcnow()
    db.session.flush()
    preview, _ = import_file(client, course, f"email\n{student.email}\n")
    assert "Will be invited" in text(preview)
    assert enrollment_of(course, student.email).ended_at is not None
    assert [m["To"] for m in outbox] == [student.email]


def test_instructor_cannot_be_demoted_by_a_file(client, course):
    instructor = f.instructor_of(course)
    preview = upload(client, course, f"email,role\n{instructor.email},student\n")
    assert "is an instructor here; change that on their roster page" in text(preview)
    confirm(client, course, preview)
    assert enrollment_of(course, instructor.email).role == "instructor"


def test_an_id_that_belongs_to_someone_else_is_refused(client, course):
    f.make_member(course, name="Holder", canvas_user_id="77")
    other = f.make_member(course)
    preview = upload(client, course, f"email,canvas id\n{other.email},77\n")
    assert "line" in text(preview).lower() and "Canvas ID 77 already belongs to Holder" in text(preview)


# --- whole-file problems: a clear message, nothing written ----------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        ("email\nZo\xeb@example.org\n".encode("latin-1"), "The file is not UTF-8 text"),
        (b"name,section\nAnn,A\n", "No column says who each person is."),
        ((FIXTURES / "wat.invalid.csv").read_bytes(), "Line 1 is not valid CSV"),
        ((FIXTURES / "default_gradebook.csv").read_bytes(), "No column says who each person is."),
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(client, course, outbox, data, message):
    before = counts()
    response = upload(client, course, data)
    assert response.status_code == 200
    assert message in text(response)
    assert 'name="payload"' not in response.get_data(as_text=True)
    assert counts() == before and outbox == []


def test_no_file_chosen(client, course):
    response = client.post(f"/c/{course.slug}/roster/import", data={}, content_type="multipart/form-data")
    assert "Choose a CSV file to upload." in text(response)


def test_utf8_with_bom_is_accepted(client, course):
    _, response = import_file(client, course, "\ufeffemail,name\nbom@example.org,Bo Mé\n".encode())
    assert response.status_code == 302
    accept_all(course)
    assert enrollment_of(course, "bom@example.org").user.display_name == "Bo Mé"


# --- the signed preview --------------------------------------------------------------------------


def test_tampered_preview_is_refused(client, course):
    before = counts()
    preview = upload(client, course, PLAIN)
    token = payload_of(preview)
    response = client.post(f"/c/{course.slug}/roster/import", data={"payload": token[:-3] + "xyz"})
    assert response.status_code == 200 and "This preview could not be read." in text(response)
    assert counts() == before


def test_preview_of_another_course_is_refused(client, course, auth):
    mine = f.make_course(instructor=f.instructor_of(course))
    preview = upload(client, mine, PLAIN)
    response = client.post(f"/c/{course.slug}/roster/import", data={"payload": payload_of(preview)})
    assert "This preview belongs to another course." in text(response)


# --- every Canvas and Moodle fixture --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "invited"),
    [
        ("upload_users.csv", 2),
        ("upload_users_enrol_date_period.csv", 2),
        ("uploaduser_example.csv", 3),
        ("gradeimport_oktext.csv", 2),
    ],
)
def test_moodle_files_import_and_reimport(client, course, outbox, name, invited):
    data = (FIXTURES / name).read_bytes()
    users, enrollments = counts()
    _, response = import_file(client, course, data, name)
    assert response.status_code == 302
    assert counts() == (users + invited, enrollments)
    assert len(outbox) == invited
    preview, _ = import_file(client, course, data, name)
    assert f"{invited} invited earlier" in text(preview)
    assert counts() == (users + invited, enrollments) and len(outbox) == invited
    accept_all(course)
    preview, _ = import_file(client, course, data, name)
    assert f"{invited} already on the roster as in the file" in text(preview)
    assert counts() == (users + invited, enrollments + invited) and len(outbox) == invited


def test_moodle_upload_users_keeps_login_and_group(client, course):
    import_file(client, course, (FIXTURES / "upload_users.csv").read_bytes())
    accept_all(course)
    enrollment = enrollment_of(course, "reznor@someplace.edu")
    assert (enrollment.sis_login_id, enrollment.section.name, enrollment.user.display_name) == (
        "reznor", "Section 3", "Trent Reznor")
    assert not enrollment.user.check_password("somesecret")


CANVAS_REFUSED = {
    "basic_course_with_sis_login_id.csv": (7, "has 6 values but the header has 7 columns"),
    "valid_gradebook_contents_with_last_and_first_names.csv": (7, "SIS Login ID “My Course” is on lines 3"),
    "basic_course.reconstructed.csv": (7, "nobody in this course has Canvas ID 6 or the name “Bill Blend”"),
    "pristine.reconstructed.csv": (13, "without an email they cannot be invited"),
    "some_changes.reconstructed.csv": (8, "Canvas ID “10” is on lines 5, 10"),
}


@pytest.mark.parametrize("name", sorted(CANVAS_REFUSED))
def test_canvas_files_in_a_course_without_those_students_import_nobody(client, course, name):
    problems, reason = CANVAS_REFUSED[name]
    before = counts()
    preview = upload(client, course, (FIXTURES / name).read_bytes(), name)
    page = text(preview)
    assert f"{problems} lines cannot be imported" in page
    assert reason in page
    assert "Nothing to import:" in page
    assert counts() == before


PRISTINE_NAMES = ["Lucille Ball", "Bill Blend", "Jacqueline Cole", "Todd Farner", "Heather Gobesby", "Arthur Miller",
                  "Stacy Mills", "Michael Moore", "David Ricardo", "Ricky Ricardo", "William Robesby",
                  "Morgan Shunpike", "Stanley Shunpike"]


def test_canvas_gradebook_matches_students_by_name_then_keeps_their_canvas_ids(client, course, outbox):
    students = {name: f.make_member(course, name=name) for name in PRISTINE_NAMES}
    before = counts()
    preview, response = import_file(client, course, (FIXTURES / "pristine.reconstructed.csv").read_bytes())
    page = text(preview)
    assert "13 on the roster are updated" in page and "(found by name)" in page
    assert "line 2, Canvas’s “Points Possible” row" in page
    assert response.status_code == 302
    assert counts() == before and outbox == []
    assert enrollment_of(course, students["Lucille Ball"].email).canvas_user_id == "13"
    assert enrollment_of(course, students["Stanley Shunpike"].email).section.name == "My Course"
    # Again: now found by Canvas ID, nothing changes.
    preview, _ = import_file(client, course, (FIXTURES / "pristine.reconstructed.csv").read_bytes())
    assert "13 already on the roster as in the file" in text(preview)
    # basic_course gives the same names other ids: a line never lands on whoever holds its id here.
    preview = upload(client, course, (FIXTURES / "basic_course.reconstructed.csv").read_bytes())
    assert "7 lines cannot be imported" in text(preview)
    assert "Canvas ID 6 is Todd Farner here, but the line says “Bill Blend”" in text(preview)


def test_canvas_some_changes_after_pristine(client, course):
    for name in PRISTINE_NAMES:
        f.make_member(course, name=name)
    import_file(client, course, (FIXTURES / "pristine.reconstructed.csv").read_bytes())
    preview = upload(client, course, (FIXTURES / "some_changes.reconstructed.csv").read_bytes())
    page = text(preview)
    # Lucille Ball (13) and Bill Blend (8) are unchanged; lines 5 and 10 share an id; four people have new ids.
    assert "Canvas ID “10” is on lines 5, 10" in page
    assert "2 already on the roster as in the file" in page
    assert "6 lines cannot be imported" in page
    assert "“Todd Farner” here has Canvas ID 6, not 60" in page


def test_preview_names_the_file_without_its_folder(client, course):
    preview = upload(client, course, PLAIN, filename="/home/prof/Users/class list.csv")
    assert "Preview of class list.csv" in text(preview) and "Users" not in text(preview)
