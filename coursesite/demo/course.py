"""The demo course: people, sections and enough work over several weeks to look alive."""

from __future__ import annotations

from sqlalchemy import func, select

from coursesite.coursework.courses import create_course, section_named
from coursesite.demo import assignments as demo_assignments
from coursesite.demo import comments as demo_comments
from coursesite.demo import grades as demo_grades
from coursesite.demo import posts as demo_posts
from coursesite.extensions import db
from coursesite.models import Course, User, utcnow
from coursesite.people import accounts

DEMO_SLUG = "demo-101"
DEMO_PASSWORD = "coursesite-demo"  # noqa: S105 - published demo login, listed in the README
STUDENT_COUNT = 12
STUDENT_NAMES = [
    "Amara Okafor", "Benjamin Hart", "Chen Wei", "Daniela Ruiz", "Elif Yilmaz", "Farah Haddad",
    "Gabriel Moreau", "Hana Sato", "Isaac Mensah", "Julia Novak", "Kiran Patel", "Liam O'Connell",
]

LOGIN_HELP = f"""Demo course loaded: /c/{DEMO_SLUG}/
Logins (password: {DEMO_PASSWORD}):
  admin@example.edu        site admin (owns WordPress imports run from the command line)
  instructor@example.edu   instructor
  ta@example.edu           teaching assistant
  student1@example.edu ... student{STUDENT_COUNT}@example.edu   students"""


def has_data() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def demo_exists() -> bool:
    return db.session.scalar(select(Course.id).where(Course.slug == DEMO_SLUG)) is not None


def _user(email: str, name: str, **flags) -> User:
    return accounts.find_user(email) or accounts.create_user(email, name, DEMO_PASSWORD, **flags)


def build_demo() -> Course:
    instructor = _user("instructor@example.edu", "Dr. Rosa Alvarez", can_create_courses=True)
    ta = _user("ta@example.edu", "Sam Whitfield")
    course = create_course(
        instructor,
        slug=DEMO_SLUG,
        title="Writing About History",
        term="Fall 2026",
        timezone="America/New_York",
        visibility="public",
        description="A first-year seminar: short essays on twentieth-century history, read and answered by peers.",
    )
    accounts.enroll(ta, course, role="ta")
    sections = [section_named(course, "Section A"), section_named(course, "Section B")]
    students = []
    for number, name in enumerate(STUDENT_NAMES, start=1):
        student = _user(f"student{number}@example.edu", name)
        accounts.enroll(student, course, role="student", section=sections[(number - 1) * 2 // STUDENT_COUNT])
        students.append(student)
    # Made last, so the people of the course keep the ids they always had (student1 is user 3).
    _user("admin@example.edu", "Site Admin", is_admin=True)
    db.session.flush()
    people = {"instructor": instructor, "ta": ta, "students": students}
    now = utcnow()
    demo_assignments.build(course, people, now)
    demo_posts.build(course, people, now)
    demo_comments.build(course, people, now)
    demo_grades.build(course, people, now)
    db.session.flush()
    return course
