"""A dashboard page's comment counts (some students, every assignment) read indexes only: the comment and essay
rows, which hold their bodies, are never read, so the count costs the page's students whatever the class size."""

import pytest
from sqlalchemy import event, text

from coursesite.extensions import db
from coursesite.models import utcnow
from coursesite.participation.counts import participation_counts
from tests import factories as f


def _plan_of_counts(course, student_ids) -> list[str]:
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "comments_counted_per_essay" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        participation_counts(course.id, student_ids=student_ids, now=utcnow())
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    (statement, parameters), = seen
    cursor = db.session.connection().connection.driver_connection.cursor()
    return [row[3] for row in cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)]


def _class_with_comments(class_size: int, assignments: int):
    """Each student writes an essay per assignment and comments on the next three classmates' essays."""
    course = f.make_course(f.make_user(password=None))
    students = [f.make_author(course) for _ in range(class_size)]
    for assignment in (f.make_assignment(course, required_comments=2) for _ in range(assignments)):
        for i, writer in enumerate(students):
            essay = f.make_post(course, writer, assignment_id=assignment.id)
            for step in (1, 2, 3):
                f.make_thread_comment(essay, students[(i + step) % len(students)], "Long enough to count here.")
    db.session.flush()
    db.session.execute(text("ANALYZE"))  # statistics, as a live site has them (coursesite/database.py)
    return course, students


def test_some_students_counts_never_read_a_comment_or_essay_row(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan: PostgreSQL keeps long bodies out of its rows")
    course, students = _class_with_comments(40, 3)
    plan = _plan_of_counts(course, [s.id for s in students[:2]])
    comments = [step for step in plan if step.startswith(("SEARCH comments ", "SCAN comments"))]
    posts = [step for step in plan if step.startswith(("SEARCH posts ", "SCAN posts"))]
    assert comments and all("COVERING INDEX" in step for step in comments), plan
    assert posts and all("COVERING INDEX" in step for step in posts), plan
    assert any("ix_comments_author_participation" in step for step in comments), plan


def test_a_pages_worth_of_students_counts_from_their_own_comments(app):
    """Given many ids, SQLite's planner would start from the assignments and look up every essay of the class
    once per student; the count starts from the students' comments instead (participation/sqlplan.py)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan: PostgreSQL's planner chooses its own order")
    course, students = _class_with_comments(60, 4)
    plan = _plan_of_counts(course, [s.id for s in students[:50]])
    tables = [step.split()[1] for step in plan if step.startswith(("SEARCH ", "SCAN "))]
    # The main count's own loops, after the subqueries' (revisions, own deadlines) it materializes first.
    main = tables[tables.index("comments", tables.index("enrollments") + 1):]
    assert main[:2] == ["comments", "posts"], plan
    assert "ix_comments_author_participation" in next(s for s in plan if s.startswith("SEARCH comments USING")
                                                      and "author_id=?)" in s), plan
