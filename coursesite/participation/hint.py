"""The line under the comment box: will a comment on this essay count toward its assignment?

The counts come from the participation engine (participation/counts.py) and the wording from
participation/rules.py `comment_hint`; three small statements (a fourth in assigned mode), whatever the size of
the class.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, select

from coursesite.extensions import db
from coursesite.models import Enrollment, PeerAssignment, Post, utcnow
from coursesite.participation.counts import NONE, essay_counts, total
from coursesite.participation.deadlines import comment_deadlines
from coursesite.participation.facts import requirement_of
from coursesite.participation.rules import Counted, EssayFacts, Hint, comment_hint, essay_published, long_enough


def hint_for(post: Post, student_id: int, now: datetime | None = None) -> Hint | None:
    """The hint for `student_id` on `post`, or None when the essay's assignment asks for no comments. The student's
    own comment deadline (extension, section, extra time) is read."""
    assignment = post.assignment
    if assignment is None or assignment.required_comments <= 0:
        return None
    now = now or utcnow()
    requirement = requirement_of(assignment)
    by_essay = essay_counts(assignment.course_id, [student_id], now, assignment.id).get((assignment.id, student_id), {})
    here = by_essay.get(post.id, NONE)
    params = {"course_id": post.course_id, "user_id": post.author_id}
    author_is_student = db.session.scalar(_role_statement(), params) == "student"
    own = comment_deadlines(assignment.course_id, [student_id], assignment.id)
    assigned = None
    if requirement.peer_mode == "assigned":
        assigned = dict(db.session.execute(_assigned_statement(),
                                           {"assignment_id": assignment.id, "reviewer_id": student_id}).all())
    return comment_hint(
        student_id,
        EssayFacts(post.id, post.author_id, assignment.id, essay_published(post.status, post.published_at, now),
                   author_is_student),
        requirement, assignment.title,
        Counted(total(by_essay).on_time, here.on_time + here.late),
        own.get((assignment.id, student_id), assignment.comments_due_at), now, assigned,
    )


def words_needed_to_count(post: Post, student_id: int, words: int) -> int | None:
    """The assignment's minimum, when a comment of `words` words by `student_id` on `post` is too short for it but
    would count otherwise (the hint says a comment here counts); else None. Only a short comment is looked up."""
    assignment = post.assignment
    min_words = assignment.min_comment_words if assignment is not None else 0
    if not min_words or long_enough(words, min_words):
        return None
    hint = hint_for(post, student_id)
    return min_words if hint is not None and hint.counts else None


@lru_cache(maxsize=1)
def _role_statement() -> Select:
    """Built once, with parameters, as every statement the essay page runs for each reader."""
    return select(Enrollment.role).where(Enrollment.course_id == bindparam("course_id"),
                                         Enrollment.user_id == bindparam("user_id"))


@lru_cache(maxsize=1)
def _assigned_statement() -> Select:
    return select(PeerAssignment.post_id, PeerAssignment.due_at).where(
        and_(PeerAssignment.assignment_id == bindparam("assignment_id"),
             PeerAssignment.reviewer_id == bindparam("reviewer_id")))
