import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import Assignment, Excusal, Extension, SectionDeadline, utcnow
from coursesite.services import demo

from .helpers import fast_passwords  # noqa: F401 - fixture


@pytest.mark.usefixtures("fast_passwords")
def test_demo_course_has_assignments_in_every_phase(app):
    course = demo.build_demo()
    assignments = db.session.scalars(select(Assignment).where(Assignment.course_id == course.id)).all()
    now = utcnow()
    assert len(assignments) == 4
    assert sum(a.post_due_at < now for a in assignments) == 2
    assert any(a.opens_at > now for a in assignments)
    for model in (Extension, Excusal, SectionDeadline):
        assert db.session.scalar(select(func.count(model.id))) >= 1
