"""The dashboard's class-wide counts kept in Flask-Caching (participation/versions.py) are never served stale:
every committed change to a table they are counted from raises the course's version, and a kept value is not
used past the next moment time alone could change it (`next_turn`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, delete, select, update
from sqlalchemy.sql.visitors import iterate

from coursesite.extensions import db
from coursesite.models import (
    CommentRevision,
    Enrollment,
    Extension,
    ParticipationVersion,
    PeerAssignment,
    Post,
    SectionDeadline,
    utcnow,
)
from coursesite.participation import standing as standing_module
from coursesite.participation.counts import counts_statement
from coursesite.participation.standing import (
    ClassPicture,
    _short_statement,
    _standing_statement,
    class_picture,
    class_standing,
    essays_short_of_comments,
    next_turn,
)
from coursesite.participation.versions import TRACKED_TABLES
from tests import factories as f
from tests.functional.helpers import login_client
from tests.functional.participation.test_participation_engine import NOW, at, build, standing_specs, vary_dates


def fresh(course_id: int, now=NOW) -> ClassPicture:
    return ClassPicture(class_standing(course_id, now), essays_short_of_comments(course_id, now))


def version(course) -> int | None:
    return db.session.scalar(select(ParticipationVersion.version).where(ParticipationVersion.course_id == course.id))


@pytest.fixture
def world(app):
    """A course whose writing has closed and whose comments are due after NOW, and a second course."""
    course = f.make_course()
    alice, bob = f.make_author(course, name="Alice Archer"), f.make_author(course, name="Bob Brandt")
    a = f.make_assignment(course, post_due_at=at(-4), comments_due_at=NOW + timedelta(days=1),
                          required_comments=2, min_comment_words=1)
    essay = f.make_post(course, alice, assignment_id=a.id, published_at=at(-5))
    bobs = f.make_post(course, bob, assignment_id=a.id, published_at=at(-5))
    comment = f.make_thread_comment(essay, bob, "One thoughtful comment.", at=at(0))
    other = f.make_course()
    db.session.commit()
    return {"course": course, "alice": alice, "bob": bob, "a": a, "essay": essay, "bobs": bobs,
            "comment": comment, "other": other}


def _revise(w):
    comment = w["comment"]
    comment.word_count, comment.edited_at = 0, at(1)
    db.session.add(CommentRevision(comment_id=comment.id, body="", word_count=0, created_at=at(1)))


CHANGES = {
    "a new comment": lambda w: f.make_thread_comment(w["bobs"], w["alice"], "A reply to Bob.", at=at(0)),
    "a comment hidden": lambda w: setattr(w["comment"], "status", "hidden"),
    "a comment deleted": lambda w: db.session.delete(w["comment"]),
    "a comment cut short": _revise,
    "an essay trashed": lambda w: setattr(w["essay"], "deleted_at", at(1)),
    "an essay scheduled later": lambda w: setattr(w["essay"], "published_at", NOW + timedelta(days=2)),
    "the comment deadline moved": lambda w: setattr(w["a"], "comments_due_at", at(1)),
    "fewer comments required": lambda w: setattr(w["a"], "required_comments", 1),
    "an extension": lambda w: db.session.add(Extension(assignment_id=w["a"].id, user_id=w["bob"].id,
                                                       comments_due_at=NOW + timedelta(days=3))),
    "an excusal": lambda w: f.make_excusal(w["a"], w["bob"]),
    "a section's own deadline": lambda w: _section_deadline(w),
    "a student left": lambda w: setattr(_enrollment(w["bob"], w["course"]), "ended_at", at(0)),
    "extra time": lambda w: setattr(_enrollment(w["bob"], w["course"]), "extra_minutes", 60 * 24 * 3),
    "assigned readers": lambda w: _assigned(w),
}


def _enrollment(user, course) -> Enrollment:
    return db.session.scalar(select(Enrollment).filter_by(user_id=user.id, course_id=course.id))


def _section_deadline(w):
    section = f.make_section(w["course"], "North")
    _enrollment(w["bob"], w["course"]).section_id = section.id
    db.session.add(SectionDeadline(assignment_id=w["a"].id, section_id=section.id, comments_due_at=at(1)))


def _assigned(w):
    w["a"].peer_mode = "assigned"
    db.session.add(PeerAssignment(assignment_id=w["a"].id, reviewer_id=w["alice"].id, post_id=w["bobs"].id))


@pytest.mark.parametrize("change", CHANGES)
def test_a_kept_picture_is_not_served_after_a_change(world, change):
    course = world["course"]
    before = class_picture(course.id, NOW)
    assert before == fresh(course.id)
    raised_from, other_from = version(course), version(world["other"])
    CHANGES[change](world)
    db.session.commit()
    assert version(course) > raised_from
    assert version(world["other"]) == other_from  # other courses keep theirs
    after = fresh(course.id)
    assert after != before, "the change must show in the counts for this test to mean anything"
    assert class_picture(course.id, NOW) == after


def test_a_kept_picture_is_read_again_without_counting(world, monkeypatch):
    course = world["course"]
    counted = []
    monkeypatch.setattr(standing_module, "class_standing",
                        lambda *args, **kwargs: counted.append(args) or class_standing(*args, **kwargs))
    first = class_picture(course.id, NOW)
    assert class_picture(course.id, NOW + timedelta(minutes=5)) == first
    assert len(counted) == 1
    # The comment deadline (NOW + 1 day) passes: counted again, though nothing was written.
    later = NOW + timedelta(days=1, seconds=1)
    assert class_picture(course.id, later) == fresh(course.id, later) != first
    assert len(counted) == 2


def test_a_bulk_change_raises_every_course(world):
    _assigned(world)
    db.session.commit()
    versions = version(world["course"]), version(world["other"])
    db.session.execute(delete(PeerAssignment).where(PeerAssignment.assignment_id == world["a"].id))
    db.session.commit()
    assert (version(world["course"]), version(world["other"])) == (versions[0] + 1, versions[1] + 1)


def test_a_course_deleted_or_made_in_a_savepoint_rolled_back_has_no_version_to_raise(world):
    savepoint = db.session.begin_nested()
    f.make_course()
    savepoint.rollback()
    db.session.delete(world["other"])
    db.session.commit()  # nothing to raise for either: no row refers to a course that is not there
    assert db.session.scalars(select(ParticipationVersion.course_id)).all() == [world["course"].id]


def test_a_change_rolled_back_raises_nothing(world):
    before = version(world["course"])
    world["comment"].status = "hidden"
    db.session.flush()
    db.session.rollback()
    db.session.execute(update(Post).where(Post.id == -1).values(title="x"))  # a bulk statement, rolled back too
    db.session.rollback()
    assert version(world["course"]) == before


def test_the_transaction_that_changed_counts_sees_its_change(world):
    course = world["course"]
    before = class_picture(course.id, NOW)
    world["comment"].status = "hidden"
    db.session.flush()  # not committed: only this transaction sees it
    assert class_picture(course.id, NOW) == fresh(course.id) != before


def test_the_dashboard_shows_a_comment_posted_after_it_was_counted(app):
    course = f.make_course()
    instructor = f.instructor_of(course)
    alice, bob = f.make_member(course, name="Alice Archer"), f.make_member(course, name="Bob Brandt")
    a = f.make_assignment(course, post_due_at=utcnow() - timedelta(days=1), required_comments=2,
                          min_comment_words=1)
    f.make_post(course, alice, assignment_id=a.id, published_at=utcnow() - timedelta(days=2))
    bobs = f.make_post(course, bob, assignment_id=a.id, published_at=utcnow() - timedelta(days=2))
    instructor.set_password(f.DEFAULT_PASSWORD)
    db.session.commit()
    staff, student = login_client(app, instructor), login_client(app, alice)
    page = staff.get(f"/c/{course.slug}/dashboard/").get_data(as_text=True)
    assert "Alice Archer</a>:\n        0 of 2 comments" in page
    assert student.post(f"/c/{course.slug}/essays/{bobs.slug}/comments",
                        data={"body": "Your second paragraph answers the first."}).status_code == 302
    page = staff.get(f"/c/{course.slug}/dashboard/").get_data(as_text=True)
    assert "Alice Archer</a>:\n        1 of 2 comments" in page


def test_every_table_the_kept_counts_read_is_watched(app):
    read = set()
    for statement in (_standing_statement(True), _standing_statement(False), _short_statement("sqlite"),
                      _short_statement("postgresql"), counts_statement(1)):
        read |= {element.name for element in iterate(statement) if isinstance(element, Table)}
    assert read and read <= TRACKED_TABLES, read - TRACKED_TABLES


def test_the_next_turn_is_a_students_own_later_deadline(app):
    course = f.make_course()
    f.make_author(course)
    f.make_author(course, extra_minutes=45)
    f.make_assignment(course, post_due_at=at(-4), comments_due_at=at(0))
    assert next_turn(course.id, at(-1)) == at(0)  # the class's deadline comes first
    assert next_turn(course.id, at(0) + timedelta(seconds=1)) == at(0) + timedelta(minutes=45)
    assert next_turn(course.id, at(3)) is None


def test_the_next_turn_is_the_end_of_the_grace_period(app):
    course = f.make_course()
    f.make_author(course)
    f.make_assignment(course, post_due_at=at(0), grace_minutes=30, comments_due_at=None)
    assert next_turn(course.id, at(0) + timedelta(seconds=1)) == at(1)


def test_the_next_turn_is_the_assignments_own_essay_deadline_when_every_section_has_a_later_one(app):
    course = f.make_course()
    student = f.make_author(course)
    a = f.make_assignment(course, post_due_at=at(0), comments_due_at=at(8))
    section = f.make_section(course, "North")
    _enrollment(student, course).section_id = section.id
    db.session.add(SectionDeadline(assignment_id=a.id, section_id=section.id, post_due_at=at(4)))
    db.session.flush()
    assert next_turn(course.id, at(-1)) == at(0)  # writing closes: the comment lists may start


def test_the_next_turn_is_a_scheduled_essay_coming_out(app):
    course = f.make_course()
    student = f.make_author(course)
    a = f.make_assignment(course, post_due_at=at(-4), comments_due_at=None)
    f.make_post(course, student, assignment_id=a.id, published_at=at(2))
    assert next_turn(course.id, at(0)) == at(2)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=standing_specs, start=st.integers(-10, 10), tick=st.booleans())
def test_nothing_counted_changes_before_the_next_turn(app, spec, start, tick):
    """Whatever the dates (sections, extensions, extra time, grace, scheduled essays, excusals, leavers), the
    class's picture at any moment before `next_turn` is the picture counted at `now`."""
    savepoint = db.session.begin_nested()
    try:
        course, people, assignments = build(spec["course"])
        vary_dates(spec, course, people, assignments)
        now = at(start, tick)
        turn = next_turn(course.id, now)
        assert turn is None or turn >= now
        # The last moment the kept picture is used: the dates are on half hours, so twelve hours pass them all.
        later = max(turn - timedelta(microseconds=1), now) if turn is not None else now + timedelta(hours=12)
        counted = fresh(course.id, now)
        again = fresh(course.id, later)
        assert again.standing.totals == counted.standing.totals
        assert sorted(again.standing.behind, key=repr) == sorted(counted.standing.behind, key=repr)
        assert sorted(again.short_essays, key=repr) == sorted(counted.short_essays, key=repr)
    finally:
        savepoint.rollback()
