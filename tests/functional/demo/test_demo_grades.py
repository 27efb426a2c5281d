from datetime import timedelta

from sqlalchemy import func, select

from coursesite.demo import grades as demo_grades
from coursesite.extensions import db
from coursesite.models import Grade, GradeChange, RubricCriterion, utcnow
from tests import factories as f


def test_does_nothing_without_a_past_assignment(app):
    course = f.make_course()
    instructor = f.instructor_of(course)
    f.make_assignment(course, post_due_at=utcnow() + timedelta(days=2))
    demo_grades.build(course, {"instructor": instructor, "ta": None, "students": []}, utcnow())
    assert db.session.scalar(select(func.count(Grade.id))) == 0


def test_rubric_graded_essays_with_feedback_and_one_release(app):
    course = f.make_course()
    instructor = f.instructor_of(course)
    ta = f.make_member(course, "ta")
    students = [f.make_member(course) for _ in range(5)]
    now = utcnow()
    first = f.make_assignment(course, post_due_at=now - timedelta(days=7), post_points=10, comment_points=5)
    later = f.make_assignment(course, post_due_at=now - timedelta(days=1))
    demo_grades.build(course, {"instructor": instructor, "ta": ta, "students": students}, now)
    criteria = db.session.scalars(select(RubricCriterion).where(RubricCriterion.assignment_id == first.id)).all()
    assert [c.title for c in criteria] == ["Thesis", "Evidence", "Style"]
    assert sum(c.points for c in criteria) == 10
    grades = db.session.scalars(select(Grade).where(Grade.assignment_id == first.id)).all()
    assert len(grades) == 4
    assert all(g.feedback_html and 0 <= g.post_score <= 10 for g in grades)
    assert any(g.comment_score_override is not None and g.override_reason for g in grades)
    assert db.session.scalar(select(func.count(GradeChange.id))) == 4
    assert first.grades_released_at == now and later.grades_released_at is None
