from sqlalchemy import func, select

from coursesite.demo import course as demo
from coursesite.extensions import db
from coursesite.models import Assignment, Excusal, Extension, SectionDeadline, utcnow

DEMO_TITLES = {
    "A turning point of the twentieth century", "Everyday life in the Great Depression",
    "One road to independence", "How the Cold War is remembered",
}


def test_demo_course_has_assignments_in_every_phase(app):
    course = demo.build_demo()
    assignments = [
        a for a in db.session.scalars(select(Assignment).where(Assignment.course_id == course.id))
        if a.title in DEMO_TITLES
    ]
    now = utcnow()
    assert len(assignments) == 4
    assert sum(a.post_due_at < now for a in assignments) == 2
    assert any(a.opens_at > now for a in assignments)
    for model in (Extension, Excusal, SectionDeadline):
        assert db.session.scalar(select(func.count(model.id))) >= 1
