"""The SQL participation engine counts what the Python rules (participation/rules.py) decide, and the
class's standing in SQL (participation/standing.py) is what the dashboard's cells say of each student.

Hypothesis builds small courses (sections with their own dates, extensions, extra time, per-essay caps,
assigned readers with their own dates, edited, hidden, held and deleted comments, drafts and scheduled
essays, comments exactly at a deadline) and every student × assignment pair must agree, essay by essay too
(This week leaves out of its suggestions the essays a student's comments count on).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursesite.dashboard.facts import load_course_facts
from coursesite.dashboard.matrix import build_cells
from coursesite.extensions import db
from coursesite.models import (
    Comment,
    CommentRevision,
    Enrollment,
    Excusal,
    Extension,
    PeerAssignment,
    Post,
    SectionDeadline,
)
from coursesite.participation.counts import NONE, Counts, essay_counts, participation_counts, total
from coursesite.participation.deadline_rules import DueDates, effective_deadlines
from coursesite.participation.facts import load_participation_by_ids
from coursesite.participation.rules import Tally
from coursesite.participation.standing import NO_TOTALS, Totals, class_standing, essays_short_of_comments
from tests import factories as f

T0 = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=3)


def at(step: int, tick: bool = False) -> datetime:
    """Half-hour steps around T0, so comments land exactly on deadlines; a tick is one microsecond after."""
    return T0 + timedelta(minutes=30 * step, microseconds=1 if tick else 0)


moments = st.builds(at, st.integers(-3, 5), st.booleans())
maybe_moment = st.none() | moments

assignment_specs = st.fixed_dictionaries({
    "comments_due": maybe_moment,
    "min_words": st.integers(0, 4),
    "per_essay": st.integers(0, 2),
    "assigned": st.booleans(),
})
student_specs = st.fixed_dictionaries({
    "section": st.integers(0, 2),  # 0: none
    "extra": st.sampled_from([0, 0, 30, 60, -30]),
    "role": st.sampled_from(["student"] * 5 + ["ta"]),
})
essay_states = st.sampled_from(["published"] * 4 + ["draft", "scheduled", "trashed"])
comment_specs = st.fixed_dictionaries({
    "author": st.integers(0, 3),
    "essay": st.integers(0, 7),
    "created": moments,
    "words": st.integers(0, 5),
    "status": st.sampled_from(["visible"] * 4 + ["held", "hidden"]),
    "deleted": st.sampled_from([False] * 5 + [True]),
    "edits": st.lists(st.tuples(st.integers(0, 4), st.booleans(), st.integers(0, 5)), max_size=3),
    "given": st.sampled_from([False, True, True]),  # in assigned mode: the essay was given to its author
    "given_due": maybe_moment,
})
course_specs = st.fixed_dictionaries({
    "assignments": st.lists(assignment_specs, min_size=1, max_size=2),
    "students": st.lists(student_specs, min_size=2, max_size=4),
    "section_dates": st.dictionaries(st.tuples(st.integers(0, 1), st.integers(1, 2)), maybe_moment, max_size=3),
    "extensions": st.dictionaries(st.tuples(st.integers(0, 1), st.integers(0, 3)), maybe_moment, max_size=3),
    "essays": st.lists(essay_states, min_size=8, max_size=8),  # each student's essay for each assignment
    "comments": st.lists(comment_specs, min_size=2, max_size=12),
})


def build(spec: dict):
    course = f.make_course(f.make_user(password=None))
    sections = [None, f.make_section(course, "North"), f.make_section(course, "South")]
    people = []
    for s in spec["students"]:
        person = f.make_author(course, s["role"])
        enrollment = db.session.get(Enrollment, _enrollment_id(course.id, person.id))
        enrollment.section_id = sections[s["section"]].id if sections[s["section"]] else None
        enrollment.extra_minutes = s["extra"]
        people.append(person)
    assignments = [
        f.make_assignment(course, comments_due_at=a["comments_due"], post_due_at=at(-4), required_comments=2,
                          min_comment_words=a["min_words"], comments_counted_per_essay=a["per_essay"],
                          peer_mode="assigned" if a["assigned"] else "open")
        for a in spec["assignments"]
    ]
    for (a_index, section), due in spec["section_dates"].items():
        if a_index < len(assignments):
            db.session.add(SectionDeadline(assignment_id=assignments[a_index].id, section_id=sections[section].id,
                                           comments_due_at=due, post_due_at=at(-2)))
    for (a_index, who), due in spec["extensions"].items():
        if a_index < len(assignments) and who < len(people):
            db.session.add(Extension(assignment_id=assignments[a_index].id, user_id=people[who].id,
                                     comments_due_at=due))
    pairs = [(person, a) for a in assignments for person in people]
    essays = [_essay(course, person, a, state) for (person, a), state in zip(pairs, spec["essays"], strict=False)]
    given_pairs = set()
    for c in spec["comments"]:
        author, essay = people[c["author"] % len(people)], essays[c["essay"] % len(essays)]
        _comment(author, essay, c)
        if c["given"] and (author.id, essay.id) not in given_pairs:
            given_pairs.add((author.id, essay.id))
            db.session.add(PeerAssignment(assignment_id=essay.assignment_id, reviewer_id=author.id,
                                          post_id=essay.id, due_at=c["given_due"]))
    db.session.flush()
    return course, people, assignments


def _enrollment_id(course_id: int, user_id: int) -> int:
    return db.session.query(Enrollment.id).filter_by(course_id=course_id, user_id=user_id).scalar()


def _essay(course, author, assignment, state: str) -> Post:
    published = state != "draft"
    return f.make_post(
        course, author, assignment_id=assignment.id, status="published" if published else "draft",
        published_at=(NOW + timedelta(hours=1) if state == "scheduled" else at(-3)) if published else None,
        deleted_at=at(0) if state == "trashed" else None,
    )


def _comment(author, essay: Post, c: dict) -> None:
    created = c["created"]
    edits = sorted((created + timedelta(minutes=30 * step, microseconds=int(tick)), words)
                   for step, tick, words in c["edits"])
    words = edits[-1][1] if edits else c["words"]
    comment = Comment(post_id=essay.id, author_id=author.id, body="x", body_html="<p>x</p>", word_count=words,
                      created_at=created, status=c["status"], edited_at=edits[-1][0] if edits else None,
                      deleted_at=at(1) if c["deleted"] else None)
    db.session.add(comment)
    db.session.flush()
    for moment, count in [(created, c["words"]), *edits]:
        db.session.add(CommentRevision(comment_id=comment.id, body="x", word_count=count, created_at=moment))


def spec_deadlines(course, people, assignments) -> dict[tuple[int, int], datetime]:
    """Each pair's comment deadline by participation/deadline_rules.py, from the rows as the tests wrote them."""
    overrides = {}
    for a in assignments:
        for person in people:
            enrollment = db.session.get(Enrollment, _enrollment_id(course.id, person.id))
            section = db.session.query(SectionDeadline).filter_by(
                assignment_id=a.id, section_id=enrollment.section_id).one_or_none()
            extension = db.session.query(Extension).filter_by(assignment_id=a.id, user_id=person.id).one_or_none()
            due = effective_deadlines(
                DueDates(a.post_due_at, a.comments_due_at),
                DueDates(section.post_due_at, section.comments_due_at) if section else None,
                DueDates(extension.post_due_at, extension.comments_due_at) if extension else None,
                enrollment.extra_minutes,
            ).comments
            if due is not None and due != a.comments_due_at:
                overrides[(a.id, person.id)] = due
    return overrides


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=course_specs)
def test_the_sql_counts_equal_the_rules(app, spec):
    savepoint = db.session.begin_nested()
    try:
        course, people, assignments = build(spec)
        data = load_participation_by_ids(course.id, overrides=spec_deadlines(course, people, assignments), now=NOW)
        counted = participation_counts(course.id, now=NOW)
        # A dashboard page's students, every assignment: counted from their own comments.
        some = {person.id for person in people[::2]}
        assert participation_counts(course.id, student_ids=some, now=NOW) == {
            pair: n for pair, n in counted.items() if pair[1] in some}
        by_essay = essay_counts(course.id, [person.id for person in people], now=NOW)
        for a in assignments:
            for person in people:
                tally = data.tally(a.id, person.id)
                got = counted.get((a.id, person.id), NONE)
                assert (got.on_time, got.late) == (len(tally.on_time), len(tally.late)), (a.id, person.id)
                one = participation_counts(course.id, assignment_id=a.id, student_ids=[person.id], now=NOW)
                assert one.get((a.id, person.id), NONE) == got
                essays = by_essay.get((a.id, person.id), {})
                assert essays == per_essay(tally), (a.id, person.id)
                assert set(essays) == tally.counted_post_ids() and total(essays) == got
                one_assignment = essay_counts(course.id, [person.id], now=NOW, assignment_id=a.id)
                assert one_assignment.get((a.id, person.id), {}) == essays, (a.id, person.id)
    finally:
        savepoint.rollback()


def per_essay(tally: Tally) -> dict[int, Counts]:
    """The rules' counted comments of one student, essay by essay."""
    on_time = Counter(j.comment.post_id for j in tally.on_time)
    late = Counter(j.comment.post_id for j in tally.late)
    return {post_id: Counts(on_time[post_id], late[post_id]) for post_id in on_time | late}


def test_a_comment_exactly_at_the_extended_deadline_is_on_time(app):
    course = f.make_course(f.make_user(password=None))
    writer, reader = f.make_author(course), f.make_author(course)
    a = f.make_assignment(course, comments_due_at=at(0), min_comment_words=1, required_comments=1)
    f.make_extension(a, reader, comments_due_at=at(2))
    db.session.get(Enrollment, _enrollment_id(course.id, reader.id)).extra_minutes = 30
    essay = f.make_post(course, writer, assignment_id=a.id, published_at=at(-3))
    f.make_thread_comment(essay, reader, "Well argued.", at=at(3))
    f.make_thread_comment(f.make_post(course, writer, assignment_id=a.id, published_at=at(-3)), reader,
                          "Late by a tick.", at=at(3, tick=True))
    assert participation_counts(course.id, now=NOW)[(a.id, reader.id)] == participation_counts(
        course.id, student_ids=[reader.id], now=NOW)[(a.id, reader.id)]
    got = participation_counts(course.id, now=NOW)[(a.id, reader.id)]
    assert (got.on_time, got.late) == (1, 1)


def test_a_comment_cut_short_and_padded_again_after_the_deadline_is_late(app):
    course = f.make_course(f.make_user(password=None))
    writer, reader = f.make_author(course), f.make_author(course)
    a = f.make_assignment(course, comments_due_at=at(1), min_comment_words=3, required_comments=1)
    essay = f.make_post(course, writer, assignment_id=a.id, published_at=at(-3))
    comment = f.make_thread_comment(essay, reader, "Long enough here.", at=at(0))
    for moment, count in ((at(2), 1), (at(3), 4)):
        db.session.add(CommentRevision(comment_id=comment.id, body="x", word_count=count, created_at=moment))
    comment.word_count, comment.edited_at = 4, at(3)
    db.session.flush()
    got = participation_counts(course.id, now=NOW)[(a.id, reader.id)]
    assert (got.on_time, got.late) == (0, 1)


def test_an_essay_given_late_to_its_reader_has_its_own_later_deadline(app):
    course = f.make_course(f.make_user(password=None))
    writer, reader = f.make_author(course), f.make_author(course)
    a = f.make_assignment(course, comments_due_at=at(0), min_comment_words=1, required_comments=2,
                          peer_mode="assigned")
    given_late, given_early = (f.make_post(course, writer, assignment_id=a.id, published_at=at(-3)) for _ in "ab")
    db.session.add_all([PeerAssignment(assignment_id=a.id, reviewer_id=reader.id, post_id=given_late.id, due_at=at(2)),
                        PeerAssignment(assignment_id=a.id, reviewer_id=reader.id, post_id=given_early.id,
                                       due_at=at(-1))])
    f.make_thread_comment(given_late, reader, "Answered in time.", at=at(1))
    f.make_thread_comment(given_early, reader, "Answered late.", at=at(1))
    got = participation_counts(course.id, now=NOW)[(a.id, reader.id)]
    assert (got.on_time, got.late) == (1, 1)


standing_specs = st.fixed_dictionaries({
    "course": course_specs,
    "post_due": st.lists(maybe_moment, min_size=2, max_size=2),
    # Comment deadlines after now too, so students can be behind before theirs.
    "comments_due": st.lists(st.none() | st.builds(at, st.integers(-3, 9), st.booleans()), min_size=2, max_size=2),
    "grace": st.lists(st.sampled_from([0, 0, 30, 60]), min_size=2, max_size=2),
    "closed": st.lists(st.booleans(), min_size=2, max_size=2),
    "joined": st.lists(maybe_moment, min_size=4, max_size=4),
    "left": st.sets(st.integers(0, 3), max_size=1),
    "excused": st.sets(st.tuples(st.integers(0, 1), st.integers(0, 3)), max_size=3),
    "extension_post": maybe_moment,
    "published": st.lists(st.builds(at, st.integers(-6, 7), st.booleans()), min_size=8, max_size=8),
})


def vary_dates(spec: dict, course, people, assignments) -> None:
    """Essay dates, grace periods, closed assignments, join dates, leavers and excusals on top of build()."""
    for i, a in enumerate(assignments):
        a.post_due_at, a.grace_minutes = spec["post_due"][i], spec["grace"][i]
        a.comments_due_at = spec["comments_due"][i]
        a.late_policy = "closed" if spec["closed"][i] else "accept"
    for i, person in enumerate(people):
        enrollment = db.session.get(Enrollment, _enrollment_id(course.id, person.id))
        enrollment.joined_at = spec["joined"][i] or enrollment.joined_at
        enrollment.ended_at = at(-1) if i in spec["left"] else None
    for extension in db.session.query(Extension).all():
        extension.post_due_at = spec["extension_post"]
    for a_index, who in spec["excused"]:
        if a_index < len(assignments) and who < len(people):
            db.session.add(Excusal(assignment_id=assignments[a_index].id, user_id=people[who].id))
    essays = db.session.query(Post).filter(Post.course_id == course.id, Post.status == "published").order_by(Post.id)
    for essay, moment in zip(essays, spec["published"], strict=False):
        if essay.published_at <= NOW:
            essay.published_at = min(moment, NOW)
    db.session.flush()


def behind(cell, deadline, now) -> bool:
    """The dashboard's "behind on comments": short of them, writing open, before the student's own deadline."""
    writing_open = cell.assignment.post_due_at is None or cell.assignment.post_due_at <= now
    return (cell.required > 0 and not cell.comments_complete and deadline is not None and deadline > now
            and writing_open and cell.essay.kind != "excused")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=standing_specs)
def test_the_sql_standing_equals_the_dashboard_cells(app, spec):
    savepoint = db.session.begin_nested()
    try:
        course, people, assignments = build(spec["course"])
        vary_dates(spec, course, people, assignments)
        facts = load_course_facts(course, NOW)
        standing = class_standing(course.id, NOW)
        essays = facts.essays_by_pair()
        expected_behind = set()
        for student in facts.students:
            cells = build_cells(facts, student, essays, scored=False)
            on_time = sum(1 for c in cells if c.essay.counts_on_time)
            done = sum(c.done for c in cells if c.owes_comments)
            overdue = sum(1 for c in cells if c.essay.overdue)
            missing = sum(c.comments_missing for c in cells)
            assert standing.totals.get(student.user_id, NO_TOTALS) == Totals(on_time, done, overdue, missing), student
            expected_behind |= {(student.user_id, c.assignment.id, c.done, c.required,
                                 facts.comment_deadline(c.assignment.id, student.user_id))
                                for c in cells if behind(c, facts.comment_deadline(c.assignment.id, student.user_id),
                                                         NOW)}
        assert {(p.student_id, p.assignment_id, p.done, p.required, p.deadline)
                for p in standing.behind} == expected_behind
        # Without the comment totals (every sort but by total) only the open assignments' comments are counted:
        # the rest must be the same.
        lists_only = class_standing(course.id, NOW, comment_totals=False)
        assert lists_only.totals == {sid: Totals(t.essays_on_time, None, t.overdue, None)
                                     for sid, t in standing.totals.items()}
        assert sorted(lists_only.behind, key=repr) == sorted(standing.behind, key=repr)
        current = {s.user_id for s in facts.students}
        wanted = {a.id: a.required_comments for a in assignments}
        shown = facts.comment_counts
        expected_short = {(e.post_id, shown.get(e.post_id, 0)) for e in facts.live_essays()
                          if e.author_id in current and shown.get(e.post_id, 0) < wanted[e.assignment_id]}
        assert {(e.post_id, e.comments) for e in essays_short_of_comments(course.id, NOW)} == expected_short
    finally:
        savepoint.rollback()


def test_an_extension_past_now_keeps_the_assignment_counted_without_the_totals(app):
    """The assignment's own comment date has passed, but one student's extension has not: their comments are
    still counted when only the attention lists are wanted."""
    course = f.make_course(f.make_user(password=None))
    writer, reader = f.make_author(course), f.make_author(course)
    a = f.make_assignment(course, post_due_at=at(-4), comments_due_at=at(0), min_comment_words=1,
                          required_comments=2)
    f.make_extension(a, reader, comments_due_at=NOW + timedelta(days=1))
    f.make_thread_comment(f.make_post(course, writer, assignment_id=a.id, published_at=at(-3)), reader,
                          "One of the two.", at=at(1))
    for comment_totals in (True, False):
        behind = class_standing(course.id, NOW, comment_totals=comment_totals).behind
        assert [(p.student_id, p.done, p.required) for p in behind] == [(reader.id, 1, 2)], comment_totals
