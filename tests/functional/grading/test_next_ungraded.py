"""The "Grade next" button's SQL (grading/reports.next_ungraded) against the grading queue's own rows
(grading_queue, whose `needs_grading` is grading/rules.needs_grading), on generated classes, on SQLite and
PostgreSQL alike: names differing only by case or tied, grades with and without an essay score, excusals,
withdrawn students and staff, and the student just graded anywhere in the order, or not in the queue at all."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.grading import reports
from coursesite.models import Enrollment
from tests import factories as f

WITHDRAWN = datetime(2026, 1, 1, tzinfo=UTC)
NAMES = ["ada", "Ada", "Ben", "ben", "Émile", "émile", "Zoe"]

people = st.lists(
    st.fixed_dictionaries({
        "name": st.sampled_from(NAMES),
        "role": st.sampled_from(["student", "student", "student", "ta"]),
        "withdrawn": st.booleans(),
        "grade": st.sampled_from(["none", "none", "scored", "unscored"]),  # unscored: saved, no essay score
        "excused": st.booleans(),
    }),
    max_size=8,
)


def _key(user) -> tuple:
    return user.display_name.lower(), user.id


def _by_the_queue(assignment, users: dict, after_id: int | None) -> int | None:
    queue = reports.grading_queue(assignment)
    waiting = [row.student.user_id for row in queue if row.needs_grading]
    assert [row.student.user_id for row in queue] == sorted((row.student.user_id for row in queue),
                                                            key=lambda user_id: _key(users[user_id]))
    if after_id is None:
        return waiting[0] if waiting else None
    later = [user_id for user_id in waiting if _key(users[user_id]) > _key(users[after_id])]
    others = [user_id for user_id in waiting if user_id != after_id]
    return (later or others or [None])[0]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=people, after=st.integers(-1, 7))
def test_the_next_student_to_grade_is_the_queues(app, spec, after):
    savepoint = db.session.begin_nested()
    try:
        course = f.make_course()
        assignment = f.make_assignment(course)
        users = {}
        for person in spec:
            user = f.make_author(course, role=person["role"], name=person["name"])
            if person["withdrawn"]:
                db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id)).ended_at = WITHDRAWN
            if person["grade"] != "none":
                f.make_grade(assignment, user, post_score=None if person["grade"] == "unscored" else 7)
            if person["excused"]:
                f.make_excusal(assignment, user)
            users[user.id] = user
        db.session.flush()
        after_id = list(users)[after] if 0 <= after < len(users) else None
        assert reports.next_ungraded(assignment, after_id) == _by_the_queue(assignment, users, after_id)
    finally:
        savepoint.rollback()
