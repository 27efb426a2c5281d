"""Saving grades in the service: losing a race to another grader writes nothing."""

import pytest
from sqlalchemy import func, insert, select, update

from coursesite.extensions import db
from coursesite.grading import grades
from coursesite.models import Grade, GradeChange, utcnow
from tests import factories as f
from tests.functional.grading_world import build_grading_world


@pytest.fixture
def w(app):
    return build_grading_world()


def race_with(monkeypatch, statement):
    """Run `statement` as another grader would, between our read of the grade and our write."""
    real = grades.criteria_of

    def racing(assignment_id):
        db.session.execute(statement.execution_options(synchronize_session=False))
        return real(assignment_id)

    monkeypatch.setattr(grades, "criteria_of", racing)


def test_losing_the_race_on_an_existing_grade(w, monkeypatch):
    student = w.students[0]
    grade = f.make_grade(w.assignment, student, post_score=5)
    race_with(monkeypatch, update(Grade).where(Grade.id == grade.id).values(version=Grade.version + 1, post_score=3))
    with pytest.raises(grades.GradeConflict):
        grades.save_grade(w.assignment, student.id, w.instructor, grades.GradeEntry(single=9), 1, utcnow())
    assert grades.grade_for(w.assignment.id, student.id).post_score == 3
    assert db.session.scalar(select(func.count(GradeChange.id))) == 0


def test_losing_the_race_to_create_the_grade(w, monkeypatch):
    student = w.students[1]
    race_with(monkeypatch, insert(Grade).values(assignment_id=w.assignment.id, student_id=student.id, post_score=4,
                                                rubric_scores={}, feedback="", feedback_html="", version=1))
    with pytest.raises(grades.GradeConflict):
        grades.save_grade(w.assignment, student.id, w.instructor, grades.GradeEntry(single=9), 0, utcnow())
    assert grades.grade_for(w.assignment.id, student.id).post_score == 4


def test_saving_the_same_values_again_changes_nothing(w):
    student = w.students[2]
    entry = grades.GradeEntry(single=7, feedback="Good.")
    first = grades.save_grade(w.assignment, student.id, w.instructor, entry, 0, utcnow())
    again = grades.save_grade(w.assignment, student.id, w.ta, entry, first.version, utcnow())
    assert again.version == 1 and again.graded_by_id == w.instructor.id
    assert db.session.scalar(select(func.count(GradeChange.id))) == 1


def test_describe_change_reads_like_a_log():
    lines = grades.describe_change({"essay_score": [None, 8.5], "rubric": {"Thesis": [3, 4]},
                                    "comment_override": [None, 9], "override_reason": [None, "Outage"],
                                    "feedback": ["", "Nice"]})
    assert lines == ["essay score — → 8.5", "Thesis 3 → 4", "comment score set to 9", "reason: Outage",
                     "feedback written"]
