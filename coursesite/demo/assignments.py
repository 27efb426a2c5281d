"""Demo assignments: four essays over the term (two past, one due this week, one to come), with a section
date, an extension, an excusal and a standing accommodation, so every deadline state shows.

The essays themselves are written by demo_posts, the comments by demo_comments."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coursesite.coursework.assignments import create_assignment
from coursesite.extensions import db
from coursesite.models import Assignment, Course, Enrollment, Excusal, Extension, Section, SectionDeadline
from coursesite.text.timefmt import local_to_utc, to_local

TURNING_POINT = """Every century has moments after which things could not go back to how they were: a treaty, a
speech, an invention, an epidemic, a protest.

Choose **one** moment of the twentieth century and argue that it was a turning point. Say what changed, for
whom, and how quickly; then say what a historian who thinks it mattered less would answer, and why you are
not convinced.

- Quote at least one primary source: a speech, a photograph, a newspaper, a diary.
- Keep to one moment and one argument.
"""

DEPRESSION = """Statistics tell us that a quarter of American workers were unemployed in 1933; they do not tell us
what a week looked like in a household that had lost its wage.

Using one of the oral histories or photographs on the reading list, describe the daily life of a family, a
town or a trade during the Depression. What did people do to get by, and what did they expect from their
government that their parents had not?

Write as a historian, not a novelist: every detail you give should come from a source you can name.
"""

DECOLONISATION = """Between 1945 and 1975 more than fifty new states came into being as the European empires came apart.

Follow **one** country's road to independence. Who led the movement, whom did it speak for, and whom did it
leave out? Was independence won, granted, or bargained for — and does the answer depend on whom you ask?

Keep to one country and one argument; a narrow question answered well is better than a survey.
"""

COLD_WAR = """The Cold War ended more than thirty years ago, but it is still remembered in museums, films, school
textbooks and family stories.

Pick one place where it is remembered — a memorial, a museum room, a film, a textbook chapter — and ask what
story it tells. What does it leave out, and why might its makers have chosen that story?

This essay is read by the classmates you are given; comment on theirs within your section.
"""


def _local_day(course: Course, now: datetime, days: int, hour: int = 17) -> datetime:
    """`hour` o'clock in the course's zone, `days` days from today."""
    day = to_local(now, course.timezone).date() + timedelta(days=days)
    return local_to_utc(datetime.combine(day, time(hour)), course.timezone, fold=0)


def _spec(course: Course, now: datetime, opens: int, due: int, comments: int) -> dict:
    return {
        "opens_at": _local_day(course, now, opens, 9),
        "post_due_at": _local_day(course, now, due),
        "comments_due_at": _local_day(course, now, comments),
    }


def _enrollment(course: Course, user) -> Enrollment:
    return db.session.scalar(
        select(Enrollment).where(Enrollment.course_id == course.id, Enrollment.user_id == user.id)
    )


def _backdate_enrollments(course: Course, students: list, now: datetime) -> None:
    """The term began six weeks ago; the last student joined a fortnight ago (so is not missing older work)."""
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.course_id == course.id)):
        enrollment.joined_at = now - timedelta(weeks=6)
    _enrollment(course, students[-1]).joined_at = now - timedelta(weeks=2)


def build(course: Course, people: dict, now: datetime) -> list[Assignment]:
    instructor, students = people["instructor"], people["students"]
    common = {"min_comment_words": 40, "post_points": 10, "comment_points": 5, "peer_mode": "open",
              "peer_scope": "course", "comments_counted_per_essay": 1, "canvas_assignment_id": ""}
    turning_point = create_assignment(course, {
        **common, **_spec(course, now, -35, -28, -24), "title": "A turning point of the twentieth century",
        "prompt": TURNING_POINT, "required_comments": 2, "min_post_words": 350, "peer_mode": "assigned",
        "late_policy": "penalty", "grace_minutes": 15, "penalty_percent_per_day": 10, "penalty_cap_percent": 30,
    })
    depression = create_assignment(course, {
        **common, **_spec(course, now, -21, -9, -6), "title": "Everyday life in the Great Depression",
        "prompt": DEPRESSION, "required_comments": 2, "min_post_words": 150,
        "late_policy": "accept", "grace_minutes": 30, "penalty_percent_per_day": 0, "penalty_cap_percent": 100,
    })
    decolonisation = create_assignment(course, {
        **common, **_spec(course, now, -10, 2, 5), "title": "One road to independence",
        "prompt": DECOLONISATION, "required_comments": 3, "min_post_words": 800,
        "late_policy": "penalty", "grace_minutes": 60, "penalty_percent_per_day": 5, "penalty_cap_percent": 25,
    })
    cold_war = create_assignment(course, {
        **common, **_spec(course, now, 5, 16, 20), "title": "How the Cold War is remembered",
        "prompt": COLD_WAR, "required_comments": 2, "min_post_words": 800, "peer_mode": "assigned",
        "peer_scope": "section", "late_policy": "penalty", "grace_minutes": 0, "penalty_percent_per_day": 10,
        "penalty_cap_percent": 50,
    })
    # Section B meets on Tuesdays and Saturdays: its Depression essay is due a day later.
    section_b = db.session.scalar(select(Section).where(Section.course_id == course.id, Section.name == "Section B"))
    if section_b is not None:
        db.session.add(SectionDeadline(
            assignment_id=depression.id, section_id=section_b.id,
            post_due_at=depression.post_due_at + timedelta(days=1),
            comments_due_at=depression.comments_due_at + timedelta(days=1),
        ))
    db.session.add(Extension(
        assignment_id=decolonisation.id, user_id=students[2].id, created_by_id=instructor.id,
        post_due_at=decolonisation.post_due_at + timedelta(days=3),
        comments_due_at=decolonisation.comments_due_at + timedelta(days=3),
    ))
    db.session.add(Excusal(
        assignment_id=turning_point.id, user_id=students[4].id, created_by_id=instructor.id,
        reason="Away for a family emergency; agreed with the dean's office.",
    ))
    _enrollment(course, students[6]).extra_minutes = 24 * 60
    _backdate_enrollments(course, students, now)
    db.session.flush()
    return [turning_point, depression, decolonisation, cold_war]
