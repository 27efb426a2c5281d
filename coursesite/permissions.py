"""Who may do what: role lookups and object predicates, shared by views and templates.

The table in docs/design.md#who-may-do-what is the specification; tests/functional/test_authorization.py
walks every route against it.
"""

from __future__ import annotations

from functools import lru_cache, wraps

from flask import abort, g, session
from flask_login import current_user
from sqlalchemy import Select, and_, bindparam, select

from .database import as_loaded, columns_of, first_on_driver
from .extensions import db
from .models import MAX_ID, Assignment, Course, Enrollment, Post, User, utcnow
from .models.course import STAFF_ROLES
from .services.posts import find_post
from .services.writing import author_may_restore


def membership(user, course: Course) -> Enrollment | None:
    """The user's active enrollment in the course, looked up once per request."""
    if not user.is_authenticated:
        return None
    cache = g.setdefault("_memberships", {})
    key = (user.id, course.id)
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Enrollment).where(
                Enrollment.user_id == user.id,
                Enrollment.course_id == course.id,
                Enrollment.ended_at.is_(None),
            )
        )
    return cache[key]


def role_in(user, course: Course) -> str | None:
    enrollment = membership(user, course)
    return enrollment.role if enrollment else None


def is_member(user, course: Course) -> bool:
    return membership(user, course) is not None


def is_staff(user, course: Course) -> bool:
    return role_in(user, course) in STAFF_ROLES


def is_student(user, course: Course) -> bool:
    return role_in(user, course) == "student"


def is_instructor(user, course: Course) -> bool:
    return role_in(user, course) == "instructor"


def is_signed_in(user, course: Course) -> bool:
    """Anyone with an account: a page that checks for itself whom it is for (an invitation)."""
    return user.is_authenticated


def can_read_course(user, course: Course) -> bool:
    return course.is_public or user.is_admin or is_member(user, course)


def can_write_in(user, course: Course) -> bool:
    """Write essays and comments: any member; site admins only read and moderate."""
    return is_member(user, course)


def can_comment_in(user, course: Course) -> bool:
    enrollment = membership(user, course)
    return enrollment is not None and not enrollment.comment_suspended


def can_see_private_work(user, course: Course) -> bool:
    """Drafts, revisions and hidden comments of others."""
    return user.is_admin or is_staff(user, course)


def can_moderate(user, course: Course) -> bool:
    return user.is_admin or is_staff(user, course)


def can_manage_assignments(user, course: Course) -> bool:
    return is_staff(user, course)


def can_view_assignments(user, course: Course) -> bool:
    """The list of assignments and their prompts: members, and site admins who read everything."""
    return user.is_admin or is_member(user, course)


def can_see_assignment(user, assignment: Assignment) -> bool:
    """Its archive, feed and prompt: everyone who reads the course once it opens; before that, staff and admins
    (the assignments page says the prompt "appears when the assignment opens")."""
    opened = assignment.opens_at is None or assignment.opens_at <= utcnow()
    return opened or can_see_private_work(user, assignment.course)


def can_copy_course(user, course: Course) -> bool:
    return user.is_admin or is_instructor(user, course)


def can_manage_roster(user, course: Course) -> bool:
    return user.is_admin or is_instructor(user, course)


def can_grade(user, course: Course) -> bool:
    return is_staff(user, course)


def can_release_grades(user, course: Course) -> bool:
    return user.is_admin or is_instructor(user, course)


def can_import_export_wxr(user, course: Course) -> bool:
    """Bring a WordPress blog into the course, or take the course blog out as WXR."""
    return user.is_admin or is_instructor(user, course)


def can_create_course(user) -> bool:
    return user.is_authenticated and (user.is_admin or user.can_create_courses)


def is_site_admin(user) -> bool:
    """The site's administration (accounts, anonymising, exports on request): site admins only."""
    return user.is_authenticated and user.is_admin


def can_export_own_data(user, course: Course) -> bool:
    """Download one's own work in a course: its members (site admins export any account from the admin page)."""
    return is_member(user, course)


def can_register_lti_platforms(user) -> bool:
    """Register an LMS (LTI 1.3 platform) and see what to paste into it: site admins."""
    return user.is_authenticated and user.is_admin


def can_edit_post(user, post) -> bool:
    return user.is_authenticated and post.author_id == user.id and is_member(user, post.course)


def can_restore_post(user, post) -> bool:
    """Staff restore anything in the trash; an author what they moved there themselves, for a while."""
    if can_moderate(user, post.course):
        return True
    return can_edit_post(user, post) and author_may_restore(post, utcnow())


# Composed once, run on the driver's cursor: every course page runs one of them.
_COURSE_BY_SLUG = select(*columns_of(Course)).where(Course.slug == bindparam("slug"))
_COURSE_AND_MEMBERSHIP = (
    select(*columns_of(Course), *columns_of(Enrollment))
    .outerjoin(Enrollment, and_(Enrollment.course_id == Course.id, Enrollment.user_id == bindparam("user_id"),
                                Enrollment.ended_at.is_(None)))
    .where(Course.slug == bindparam("slug"))
)


@lru_cache(maxsize=4)
def _course_for_reader(with_user: bool, with_essay: bool) -> Select:
    """The course and the reader's membership; with the reader's own row, and with the essay the route names."""
    statement = _COURSE_AND_MEMBERSHIP
    if with_user:
        statement = statement.add_columns(*columns_of(User)).outerjoin(User, User.id == bindparam("user_id"))
    if with_essay:
        statement = statement.add_columns(*columns_of(Post)).outerjoin(
            Post, and_(Post.course_id == Course.id, Post.slug == bindparam("post_slug")))
    return statement


_COURSE_COLUMNS = len(columns_of(Course))
_USER_FROM = _COURSE_COLUMNS + len(columns_of(Enrollment))
_USER_COLUMNS = len(columns_of(User))


def load_course(slug: str, post_slug: str | None = None) -> Course:
    """The course named by `slug`, or 404. A signed-in user's membership comes in the same statement, so the
    role checks that follow (membership) read none of their own; so does the user, when the session names one
    not read yet (Flask-Login's loader then finds it read, and checks it as always), and the essay named by
    `post_slug` (named_essay then finds it read; whether this reader may see it is the view's to decide)."""
    named = _user_named_by_session()
    reader_id = named if named is not None else (current_user.id if current_user.is_authenticated else None)
    if reader_id is None:
        found = first_on_driver(db.session, _COURSE_BY_SLUG, {"slug": slug})
    else:
        statement = _course_for_reader(named is not None, post_slug is not None)
        essay = {"post_slug": post_slug} if post_slug is not None else {}
        found = first_on_driver(db.session, statement, {"slug": slug, "user_id": reader_id, **essay})
    if found is None:
        abort(404)
    course = as_loaded(db.session, Course, found[:_COURSE_COLUMNS])
    essay_from = _USER_FROM + (_USER_COLUMNS if named is not None else 0)
    # Referenced until Flask-Login's loader has found it: the session holds rows with no changes only weakly.
    _reader = as_loaded(db.session, User, found[_USER_FROM:essay_from]) if named is not None else None
    # Only for the reader the loader accepts: a session from before a password change names a visitor.
    if reader_id is not None and current_user.is_authenticated and current_user.id == reader_id:
        membership = as_loaded(db.session, Enrollment, found[_COURSE_COLUMNS:_USER_FROM])
        g.setdefault("_memberships", {})[(current_user.id, course.id)] = membership
    if reader_id is not None and post_slug is not None:
        g.setdefault("_essays", {})[(course.id, post_slug)] = as_loaded(db.session, Post, found[essay_from:])
    return course


def named_essay(course: Course, post_slug: str) -> Post | None:
    """The essay a course route names: as load_course read it with the course, or else on its own."""
    read = g.get("_essays", {})
    key = (course.id, post_slug)
    return read[key] if key in read else find_post(course, post_slug)


def _user_named_by_session() -> int | None:
    """The user id a signed-in session names ("<id>:<fingerprint>", see load_user), or None."""
    user_id = str(session.get("_user_id", "")).partition(":")[0]
    return int(user_id) if user_id.isdigit() and int(user_id) <= MAX_ID else None


def require(predicate, course: Course) -> None:
    """403 for a signed-in user who may not; the login page for a visitor."""
    if predicate(current_user, course):
        return
    if not current_user.is_authenticated:
        from .extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)


def course_view(predicate=can_read_course):
    """Load the course named by `slug` into g.course, check `predicate`, then run the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(slug: str, **kwargs):
            g.course = load_course(slug, kwargs.get("post_slug"))
            require(predicate, g.course)
            return view(g.course, **kwargs)

        return wrapped

    return decorator


TEMPLATE_PREDICATES = {
    fn.__name__: fn
    for fn in (
        is_member,
        is_staff,
        is_student,
        is_instructor,
        can_read_course,
        can_write_in,
        can_comment_in,
        can_see_private_work,
        can_moderate,
        can_manage_assignments,
        can_view_assignments,
        can_see_assignment,
        can_copy_course,
        can_manage_roster,
        can_grade,
        can_release_grades,
        can_import_export_wxr,
        can_create_course,
        is_site_admin,
        can_export_own_data,
        can_edit_post,
        can_restore_post,
    )
}
