"""The demo course's comments give every instructor and student page something to show."""

from __future__ import annotations

from sqlalchemy import select

from coursesite.demo import course as demo
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, CommentReport, Post


def _comments_on(assignment: Assignment) -> list[Comment]:
    query = select(Comment).join(Post, Comment.post_id == Post.id).where(Post.assignment_id == assignment.id)
    return list(db.session.scalars(query))


def _depth(comment: Comment) -> int:
    depth = 1
    while comment.parent_id is not None:
        comment, depth = db.session.get(Comment, comment.parent_id), depth + 1
    return depth


def test_both_past_assignments_have_peer_comments_a_thread_and_moderation(app):
    course = demo.build_demo()
    first, second = db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id).order_by(Assignment.post_due_at).limit(2)
    )
    on_first, on_second = _comments_on(first), _comments_on(second)
    assert len(on_first) >= 15 and len(on_second) >= 15
    # Peers comment on others' essays, never only on their own.
    assert all(c.author_id != c.post.author_id for c in on_first)
    assert max(_depth(c) for c in on_second) >= 3  # a thread at least three deep
    assert any(c.status == "hidden" and c.hidden_reason for c in on_second)
    assert db.session.scalar(select(CommentReport.id)) is not None
    assert any(c.created_at > first.comments_due_at for c in on_first)  # someone commented late
