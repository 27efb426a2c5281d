"""The dashboard: the course's TAs and instructors (site admins may not grade: docs/design.md#who-may-do-what).

Release and export follow the table's "release grades, export gradebook" row: instructors and site admins,
not TAs. The dashboard's guard admits site admins to those routes only (`@permits(can_release_grades)`).
"""

from tests.functional.authz_specs import Spec


def _course(w):
    return {"slug": w.course.slug}


def _assignment(w):
    return {"slug": w.course.slug, "assignment_id": w.assignment.id}


def _student(w):
    return {"slug": w.course.slug, "user_id": w.student.id}


def _grading(w):
    return {"slug": w.course.slug, "assignment_id": w.assignment.id, "student_id": w.student.id}


def _grade_form(w):
    """A valid single score, sent with the grade's current version so that every role's save is accepted."""
    from sqlalchemy import select

    from coursesite.extensions import db
    from coursesite.models import Grade

    version = db.session.scalar(
        select(Grade.version).where(Grade.assignment_id == w.assignment.id, Grade.student_id == w.student.id)
    )
    return {"essay_score": "0", "version": str(version or 0), "action": "save"}


RUBRIC_FORM = {"mode": "single", "action": "save"}
def _graded_rubric(w):
    """w.assignment with a rubric essays were scored with, made on first use."""
    from tests import factories as f

    if "graded_rubric" not in w.extra:
        w.extra["graded_rubric"] = f.make_criteria(w.assignment, ("Thesis", 6), ("Style", 4))
        f.make_grade(w.assignment, w.student, post_score=7)
    return _assignment(w)


STAFF = {"anonymous": 302, "student": 403, "outsider": 403, "ta": 200, "instructor": 200, "admin": 403}
STAFF_POST = {**STAFF, "ta": 302, "instructor": 302}
STAFF_REDIRECT = {**STAFF, "ta": 302, "instructor": 302}
RELEASERS = {"anonymous": 302, "student": 403, "outsider": 403, "ta": 403, "instructor": 200, "admin": 200}
RELEASERS_POST = {**RELEASERS, "instructor": 302, "admin": 302}

SPECS = [
    Spec("dashboard.home", "GET", _course, **STAFF),
    Spec("dashboard.activity", "GET", _course, **STAFF),
    Spec("dashboard.rubric", "GET", _assignment, **STAFF),
    Spec("dashboard.rubric", "POST", _assignment, data=RUBRIC_FORM, **STAFF_POST),
    # Only a form token, on a graded rubric: staff are asked to confirm (200), nothing is deleted.
    Spec("dashboard.rubric", "POST", _graded_rubric, data={}, **STAFF),
    Spec("dashboard.grading_queue", "GET", _assignment, **STAFF),
    Spec("dashboard.next_ungraded", "GET", _assignment, **STAFF_REDIRECT),
    Spec("dashboard.grade", "GET", _grading, **STAFF),
    Spec("dashboard.grade", "POST", _grading, data=_grade_form, **STAFF_POST),
    Spec("dashboard.release", "GET", _assignment, **RELEASERS),
    Spec("dashboard.release", "POST", _assignment, data=None, **RELEASERS_POST),
    Spec("dashboard.unrelease", "POST", _assignment, data=None, **RELEASERS_POST),
    Spec("dashboard.export_canvas", "GET", _course, **RELEASERS),
    Spec("dashboard.export_csv", "GET", _course, **RELEASERS),
    Spec("dashboard.student", "GET", _student, **STAFF),
    Spec("dashboard.assignment", "GET", _assignment, **STAFF),
]
