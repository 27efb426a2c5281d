"""The weekly staff digest of a course: what needs the instructors and TAs who chose to get it.

Students silent for some days (no essay, no comment), essays short of the comments their assignment asks
for, comments waiting in moderation, and assignments past due whose grades are not released; each with a
link to its row on the dashboard. One digest per person, course and week (sent_staff_digests), so
`send-staff-digest` is safe to run twice in a week. The row is the digest's claim, made and committed before the
mail server is asked, deleted if it refuses, and marked taken (email_accepted_at) once it took it; a row never
marked taken (its run was killed while sending) is claimed again once its lease is over (notifications.lease),
and the digest goes with the same Message-ID.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import and_, delete, func, select, update

from coursesite.discussion.moderation import waiting_count
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Enrollment, Post, SentStaffDigest, User
from coursesite.models.course import STAFF_ROLES
from coursesite.notifications.lease import lapsed
from coursesite.notifications.mail import Mail, stable_message_id
from coursesite.text.timefmt import deadline_text, to_local

SILENT_DAYS = 7
SHORT_ESSAYS_LISTED = 20


@dataclass(frozen=True)
class Silent:
    user_id: int
    name: str
    last_active: datetime | None


@dataclass(frozen=True)
class ShortEssay:
    post_slug: str
    title: str
    author: str
    assignment_id: int
    comments: int
    wanted: int


@dataclass
class StaffDigest:
    course: Course
    silent_days: int
    silent: list[Silent] = field(default_factory=list)
    short_essays: list[ShortEssay] = field(default_factory=list)
    moderation_waiting: int = 0
    unreleased: list[Assignment] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.silent or self.short_essays or self.moderation_waiting or self.unreleased)


def week_of(course: Course, now: datetime) -> date:
    """The Monday (in the course's zone) of the week `now` falls in: a digest is sent once per week."""
    today = to_local(now, course.timezone).date()
    return today - timedelta(days=today.weekday())


def _name():
    return func.coalesce(Enrollment.course_name, User.display_name)


def silent_students(course: Course, now: datetime, days: int) -> list[Silent]:
    """Active students with no essay published and no comment written in the last `days` days (those who
    joined since are left out: they have not had the time)."""
    since = now - timedelta(days=days)
    last_essay = (select(Post.author_id.label("who"), func.max(Post.published_at).label("at"))
                  .where(Post.course_id == course.id, Post.status == "published", Post.published_at <= now)
                  .group_by(Post.author_id).subquery())
    last_comment = (select(Comment.author_id.label("who"), func.max(Comment.created_at).label("at"))
                    .join(Post, Post.id == Comment.post_id).where(Post.course_id == course.id)
                    .group_by(Comment.author_id).subquery())
    rows = db.session.execute(
        select(User.id, _name(), last_essay.c.at, last_comment.c.at)
        .join(Enrollment, and_(Enrollment.user_id == User.id, Enrollment.course_id == course.id))
        .outerjoin(last_essay, last_essay.c.who == User.id)
        .outerjoin(last_comment, last_comment.c.who == User.id)
        .where(Enrollment.role == "student", Enrollment.ended_at.is_(None), Enrollment.joined_at <= since)
        .order_by(_name(), User.id)
    )
    silent = []
    for user_id, name, essay_at, comment_at in rows:
        last = max((at for at in (essay_at, comment_at) if at is not None), default=None)
        if last is None or last < since:
            silent.append(Silent(user_id, name, last))
    return silent


def short_essays(course: Course, now: datetime) -> list[ShortEssay]:
    """Students' live essays with fewer shown comments than their assignment asks for, of assignments whose
    comment deadline has not passed more than a week ago; fewest comments first."""
    shown = (select(Comment.post_id.label("post_id"), func.count(Comment.id).label("n"))
             .where(Comment.status == "visible", Comment.deleted_at.is_(None))
             .group_by(Comment.post_id).subquery())
    count = func.coalesce(shown.c.n, 0)
    rows = db.session.execute(
        select(Post.slug, Post.title, _name(), Assignment.id, count, Assignment.required_comments)
        .join(Assignment, Assignment.id == Post.assignment_id)
        .join(User, User.id == Post.author_id)
        .join(Enrollment, and_(Enrollment.user_id == Post.author_id, Enrollment.course_id == course.id,
                               Enrollment.role == "student"))
        .outerjoin(shown, shown.c.post_id == Post.id)
        .where(Post.course_id == course.id, Post.status == "published", Post.published_at <= now,
               Post.deleted_at.is_(None), Assignment.required_comments > 0,
               count < Assignment.required_comments,
               Assignment.comments_due_at.is_(None) | (Assignment.comments_due_at >= now - timedelta(days=7)))
        .order_by(count, Post.published_at, Post.id)
        .limit(SHORT_ESSAYS_LISTED)
    )
    return [ShortEssay(*row) for row in rows]


def unreleased_grades(course: Course, now: datetime) -> list[Assignment]:
    """Assignments whose last deadline has passed and whose grades are not released."""
    listed = db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id, Assignment.grades_released_at.is_(None))
        .order_by(Assignment.post_due_at, Assignment.id))
    return [a for a in listed if _last_due(a) is not None and _last_due(a) < now]


def _last_due(assignment: Assignment) -> datetime | None:
    dates = [d for d in (assignment.post_due_at, assignment.comments_due_at) if d is not None]
    return max(dates, default=None)


def course_digest(course: Course, now: datetime, silent_days: int = SILENT_DAYS) -> StaffDigest:
    return StaffDigest(course, silent_days, silent_students(course, now, silent_days), short_essays(course, now),
                       waiting_count(course), unreleased_grades(course, now))


def _lapsed(now: datetime):
    return lapsed(SentStaffDigest.sent_at, SentStaffDigest.email_accepted_at, now)


def recipients(course: Course, week: date, now: datetime) -> list[tuple[User, int | None]]:
    """The course's instructors and TAs who want the digest and have not had this week's, nor is a run sending it:
    each with the row of a claim over its lease (that run died), if any."""
    return [(user, row_id) for user, row_id in db.session.execute(
        select(User, SentStaffDigest.id).join(Enrollment, Enrollment.user_id == User.id)
        .outerjoin(SentStaffDigest, and_(SentStaffDigest.user_id == User.id, SentStaffDigest.course_id == course.id,
                                         SentStaffDigest.week_of == week))
        .where(Enrollment.course_id == course.id, Enrollment.role.in_(STAFF_ROLES), Enrollment.ended_at.is_(None),
               User.wants_staff_digest.is_(True), User.is_guest.is_(False), User.email.is_not(None),
               SentStaffDigest.id.is_(None) | _lapsed(now))
        .order_by(User.id)
    )]


def take(user: User, course: Course, week: date, row_id: int | None, now: datetime) -> int | None:
    """This week's digest claimed for this run to send (its row): recorded, or a lapsed claim (`row_id`) taken
    again by a conditional UPDATE. None when another run took that claim first; recording raises IntegrityError
    when another run recorded it first."""
    if row_id is None:
        row = SentStaffDigest(user_id=user.id, course_id=course.id, week_of=week, sent_at=now)
        db.session.add(row)
        db.session.flush()
        return row.id
    claimed = db.session.execute(update(SentStaffDigest).where(SentStaffDigest.id == row_id, _lapsed(now))
                                 .values(sent_at=now).execution_options(synchronize_session=False))
    return row_id if claimed.rowcount == 1 else None


def forget(row_id: int) -> None:
    """Undo `take` when the mail server refused the digest: the next run tries it again."""
    db.session.execute(delete(SentStaffDigest).where(SentStaffDigest.id == row_id))


def mail(user: User, course: Course, week: date, subject: str, text: str) -> Mail:
    """The digest's email to one person; sent again (its run died, or the answer was lost), the same message."""
    return Mail(user.email, subject, f"Hello {user.display_name},\n\n{text}", "staff digest",
                message_id=stable_message_id(user.email, "staff digest", course.id, week.isoformat()))


def digest_text(digest: StaffDigest, now: datetime) -> str:
    course = digest.course
    slug = course.slug
    parts = []
    if digest.silent:
        lines = [f"- {s.name}: " + (f"last active {deadline_text(s.last_active, course.timezone, now)}"
                                     if s.last_active else "nothing yet")
                 + f"\n  {url_for('dashboard.student', slug=slug, user_id=s.user_id, _external=True)}"
                 for s in digest.silent]
        parts.append(f"Students silent for {digest.silent_days} days (no essay, no comment):\n" + "\n".join(lines))
    if digest.short_essays:
        lines = [f"- “{e.title}” by {e.author}: {e.comments} of {e.wanted} comments\n"
                 f"  {url_for('posts.essay', slug=slug, post_slug=e.post_slug, _external=True)}\n"
                 f"  {url_for('dashboard.assignment', slug=slug, assignment_id=e.assignment_id, _external=True)}"
                 for e in digest.short_essays]
        parts.append("Essays short of readers:\n" + "\n".join(lines))
    if digest.moderation_waiting:
        n = digest.moderation_waiting
        parts.append(f"{n} comment{'s' if n != 1 else ''} waiting in moderation:\n"
                     f"  {url_for('comments.queue', slug=slug, _external=True)}")
    if digest.unreleased:
        lines = [f"- {a.title} (due {deadline_text(_last_due(a), course.timezone, now)})\n"
                 f"  {url_for('dashboard.release', slug=slug, assignment_id=a.id, _external=True)}"
                 for a in digest.unreleased]
        parts.append("Grades not released after the due date:\n" + "\n".join(lines))
    dashboard = url_for("dashboard.home", slug=slug, _external=True)
    return (f"This week in {course.title}:\n\n" + "\n\n".join(parts) + f"\n\nThe dashboard: {dashboard}\n\n"
            "You can turn this weekly email off on your account page.\n")
