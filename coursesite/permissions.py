"""Who may do what: role lookups and object predicates, shared by views and templates.

The table in docs/design.md#who-may-do-what is the specification; tests/functional/security/test_authorization.py
walks every route against it.
"""

from __future__ import annotations

from functools import lru_cache, wraps

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, bindparam, select

from coursesite.essays.writing import author_may_restore
from coursesite.extensions import db
from coursesite.models import Assignment, Course, Enrollment, utcnow
from coursesite.models.course import STAFF_ROLES


def membership(user, course: Course) -> Enrollment | None:
    """The user's active enrollment in the course, looked up once per request."""
    if not user.is_authenticated:
        return None
    cache = g.setdefault("_memberships", {})
    key = (user.id, course.id)
    if key not in cache:
        cache[key] = db.session.scalar(_active_enrollment(), {"user_id": user.id, "course_id": course.id})
    return cache[key]


@lru_cache(maxsize=1)
def _active_enrollment() -> Select:
    """Built once, with parameters: every page a signed-in reader sees runs it."""
    return select(Enrollment).where(
        Enrollment.user_id == bindparam("user_id"),
        Enrollment.course_id == bindparam("course_id"),
        Enrollment.ended_at.is_(None),
    )


def role_in(user, course: Course) -> str | None:
    enrollment = membership(user, course)
    return enrollment.role if enrollment else None


def staffs_any_course(user) -> bool:
    """An instructor or TA of some course now: the account page offers them the weekly staff digest."""
    return user.is_authenticated and db.session.scalar(
        select(Enrollment.id).where(Enrollment.user_id == user.id, Enrollment.role.in_(STAFF_ROLES),
                                    Enrollment.ended_at.is_(None)).limit(1)) is not None


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
    """The site's administration (accounts, anonymising, exports on request, LMS registration): site admins."""
    return user.is_authenticated and user.is_admin


def can_export_own_data(user, course: Course) -> bool:
    """Download one's own work in a course: its members (site admins export any account from the admin page)."""
    return is_member(user, course)


def can_edit_post(user, post) -> bool:
    return user.is_authenticated and post.author_id == user.id and is_member(user, post.course)


def can_restore_post(user, post) -> bool:
    """Staff restore anything in the trash; an author what they moved there themselves, for a while."""
    if can_moderate(user, post.course):
        return True
    return can_edit_post(user, post) and author_may_restore(post, utcnow())


def load_course(slug: str) -> Course:
    """The course named by `slug`, or 404."""
    course = db.session.scalar(_course_by_slug(), {"slug": slug})
    if course is None:
        abort(404)
    return course


@lru_cache(maxsize=1)
def _course_by_slug() -> Select:
    """Built once, with a parameter: every course page runs it, and building it cost more than running it."""
    return select(Course).where(Course.slug == bindparam("slug"))


def require(predicate, course: Course) -> None:
    """403 for a signed-in user who may not; the login page for a visitor."""
    if predicate(current_user, course):
        return
    if not current_user.is_authenticated:
        from coursesite.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)


def course_view(predicate=can_read_course):
    """Load the course named by `slug` into g.course, check `predicate`, then run the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(slug: str, **kwargs):
            g.course = load_course(slug)
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
