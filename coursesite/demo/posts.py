"""Demo essays: answers to the two past assignments published over several weeks (a few late), one
edited after publishing, one draft, one scheduled, one in the trash. Written through the writing service,
so slugs, revisions and word counts are real."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from coursesite.demo.essays import CURRENT_PIECES, DEPRESSION_PIECES, EDITED_ADDITION, EDITED_REPLACE, ESSAYS
from coursesite.essays import writing
from coursesite.essays.terms import parse_term_names
from coursesite.extensions import db
from coursesite.models import Assignment, Course, Post, User


def _people(people, key: str):
    return people[key] if isinstance(people, Mapping) else getattr(people, key)


def _assignments(course: Course) -> list[Assignment]:
    query = select(Assignment).where(Assignment.course_id == course.id).order_by(Assignment.post_due_at, Assignment.id)
    return list(db.session.scalars(query))


def _published_at(essay: dict, assignment: Assignment | None, now: datetime) -> datetime:
    """Just before the assignment's due date (after it for a late essay) when that date has passed,
    else some days ago; never in the future."""
    due = assignment.post_due_at if assignment is not None else None
    if due is not None and due < now:
        moment = due - timedelta(hours=essay["hours_early"])
    else:
        moment = now - timedelta(days=essay.get("days_ago", 1), hours=essay["author"])
    return min(moment, now - timedelta(hours=1))


def _text(essay: dict, body: str | None = None, publish_at: datetime | None = None) -> writing.EssayText:
    return writing.EssayText(
        title=essay["title"],
        body=body or essay["body"],
        categories=parse_term_names(essay.get("categories")),
        tags=parse_term_names(essay.get("tags")),
        publish_at=publish_at,
    )


def _write(course: Course, author: User, essay: dict, assignment: Assignment | None, now: datetime) -> Post:
    state = essay.get("state", "published")
    if state in ("draft", "scheduled"):
        post = writing.new_post(course, author, assignment, now - timedelta(days=2))
        schedule = now + timedelta(days=3) if state == "scheduled" else None
        return writing.save(post, author, _text(essay, publish_at=schedule), publish=state == "scheduled",
                            expected_version=0, now=now - timedelta(hours=5))
    when = _published_at(essay, assignment, now)
    post = writing.new_post(course, author, assignment, when - timedelta(days=1))
    writing.save(post, author, _text(essay), publish=False, expected_version=0, now=when - timedelta(hours=20))
    try:
        writing.save(post, author, _text(essay), publish=True, expected_version=post.version, now=when)
    except writing.PostError:
        post.assignment = None  # the assignment closed before this demo date: publish it on its own
        writing.save(post, author, _text(essay), publish=True, expected_version=post.version, now=when)
    if essay.get("edited_body"):
        edited = essay["body"].replace(*EDITED_REPLACE) + EDITED_ADDITION
        writing.save(post, author, _text(essay, body=edited), publish=True, expected_version=post.version,
                     now=min(when + timedelta(days=2), now - timedelta(minutes=30)))
    if state == "trashed":
        writing.trash(post, author, when + timedelta(days=1))
    return post


def build(course: Course, people, now: datetime) -> list[Post]:
    """Write the demo essays into `course`. `people` has `students` (a list, in order) as a key or attribute."""
    students = list(_people(people, "students"))
    assignments = _assignments(course)
    posts = []
    for essay in ESSAYS:
        if essay["author"] > len(students):
            continue
        index = essay.get("assignment")
        assignment = assignments[index] if index is not None and index < len(assignments) else None
        posts.append(_write(course, students[essay["author"] - 1], essay, assignment, now))
    if len(assignments) > 1:  # the short pieces answer the second assignment and nothing else
        for piece in DEPRESSION_PIECES:
            if piece["author"] <= len(students):
                posts.append(_write(course, students[piece["author"] - 1], piece, assignments[1], now))
    if len(assignments) > 2:  # early answers to the assignment due this week
        for piece in CURRENT_PIECES:
            if piece["author"] <= len(students):
                posts.append(_write(course, students[piece["author"] - 1], piece, assignments[2], now))
    db.session.flush()
    return posts
