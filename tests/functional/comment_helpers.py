"""A small course with an assignment, essays and people, for the comment tests."""

from __future__ import annotations

from dataclasses import dataclass

from coursesite.extensions import db
from coursesite.models import Assignment, Course, Post, User
from tests import factories as f


@dataclass
class Seminar:
    course: Course
    instructor: User
    ta: User
    alice: User
    bob: User
    carol: User
    outsider: User
    assignment: Assignment
    essay: Post  # by alice
    bob_essay: Post

    def essay_url(self, post: Post | None = None) -> str:
        post = post or self.essay
        return f"/c/{self.course.slug}/essays/{post.slug}/"

    def create_url(self, post: Post | None = None) -> str:
        post = post or self.essay
        return f"/c/{self.course.slug}/essays/{post.slug}/comments"


def seminar(**course_fields) -> Seminar:
    course = f.make_course(**course_fields)
    instructor = f.instructor_of(course)
    ta = f.make_member(course, "ta", name="Tess Aide")
    alice = f.make_member(course, name="Alice Archer")
    bob = f.make_member(course, name="Bob Brandt")
    carol = f.make_member(course, name="Carol Chen")
    outsider = f.make_user("Olga Outside")
    assignment = f.make_assignment(course, title="Essay 2", required_comments=2, min_comment_words=5,
                                   comment_points=10)
    essay = f.make_post(course, alice, title="The Illusion of Khrushchev", assignment_id=assignment.id)
    bob_essay = f.make_post(course, bob, title="Berlin, 1961", assignment_id=assignment.id)
    # Committed (to a savepoint of the test's transaction) so a view's rollback keeps the set-up.
    db.session.commit()
    return Seminar(course, instructor, ta, alice, bob, carol, outsider, assignment, essay, bob_essay)
