"""Courses: creating and joining, the welcome page, settings, roster and roster import."""

from coursesite.extensions import db
from coursesite.models import CourseInvitation
from tests.functional.authz_specs import Spec

COURSE = lambda w: {"slug": w.course.slug}  # noqa: E731
MEMBERS_COURSE = lambda w: {"slug": w.members_course.slug}  # noqa: E731
ENROLLMENT = lambda w: {"slug": w.course.slug, "enrollment_id": w.enrollment.id}  # noqa: E731

# Roster, sections, roles, join code, course settings: instructors and site admins.
ROSTER_PAGE = dict(anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200)
ROSTER_CHANGE = dict(anonymous=302, student=403, outsider=403, ta=403, instructor=302, admin=302)


def settings_data(w) -> dict:
    return {"title": "Renamed", "slug": w.course.slug, "timezone": "America/New_York", "visibility": "public",
            "comment_moderation": "off", "comment_edit_minutes": "15"}




def invite_outsider(w) -> CourseInvitation:
    """The outsider's invitation to w.course, made on first use."""
    if "invitation" not in w.extra:
        w.extra["invitation"] = CourseInvitation(course_id=w.course.id, user_id=w.outsider.id,
                                                 invited_by_id=w.instructor.id, role="ta", name="Outsider")
        db.session.add(w.extra["invitation"])
        db.session.commit()
    return w.extra["invitation"]


def course_with_invitation(w) -> dict:
    invite_outsider(w)
    return {"slug": w.course.slug}


def outsiders_invitation(w) -> dict:
    return {"slug": w.course.slug, "invitation_id": invite_outsider(w).id}


SPECS = [
    Spec("courses.index", "GET", anonymous=200, student=200, outsider=200, ta=200, instructor=200, admin=200),
    # Creating a course: course creators (the instructor here) and site admins.
    Spec("courses.new_course", "GET", anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200),
    Spec("courses.new_course", "POST", anonymous=302, student=403, outsider=403, ta=403, instructor=302, admin=302,
         data={"title": "New", "slug": "brand-new", "timezone": "UTC", "visibility": "members"}),
    Spec("courses.join", "GET", anonymous=302, student=200, outsider=200, ta=200, instructor=200, admin=200),
    Spec("courses.join", "POST", anonymous=302, student=302, outsider=302, ta=302, instructor=302, admin=302,
         data=lambda w: {"code": w.course.join_code}),
    # The welcome page is for members only.
    Spec("courses.welcome", "GET", COURSE,
         anonymous=302, student=200, outsider=403, ta=200, instructor=200, admin=403),
    Spec("courses.welcome", "POST", MEMBERS_COURSE,
         anonymous=302, student=302, outsider=403, ta=302, instructor=302, admin=403, data={"course_name": ""}),
    Spec("courses.settings", "GET", COURSE, **ROSTER_PAGE),
    Spec("courses.settings", "POST", COURSE, **ROSTER_CHANGE, data=settings_data),
    Spec("courses.new_join_code", "POST", COURSE, **ROSTER_CHANGE, data={"confirm": "yes"}),
    # Without its confirmation box ticked, the settings page asks again and the code stays.
    Spec("courses.new_join_code", "POST", COURSE, **ROSTER_PAGE),
    Spec("courses.roster", "GET", COURSE, **ROSTER_PAGE),
    Spec("courses.roster", "GET", MEMBERS_COURSE, **ROSTER_PAGE),
    Spec("courses.roster_import", "GET", COURSE, **ROSTER_PAGE),
    Spec("courses.roster_import", "POST", COURSE, **ROSTER_PAGE, data={}),
    Spec("courses.edit_enrollment", "GET", ENROLLMENT, **ROSTER_PAGE),
    Spec("courses.edit_enrollment", "POST", ENROLLMENT, **ROSTER_CHANGE, data={"role": "student", "section": ""}),
    Spec("courses.remove_enrollment", "POST", ENROLLMENT, **ROSTER_CHANGE, data={"confirm": "yes"}),
    # Without its confirmation box ticked, the page asks again and nobody is removed.
    Spec("courses.remove_enrollment", "POST", ENROLLMENT, **ROSTER_PAGE),
    # An invitation to join (from a roster import) is the invited account's alone: members are sent to the
    # blog, anyone else is told they have none; only the outsider it names sees the offer, and joins by posting.
    Spec("courses.course_invitation", "GET", course_with_invitation,
         anonymous=302, student=302, outsider=200, ta=302, instructor=302, admin=302),
    Spec("courses.course_invitation", "POST", course_with_invitation,
         anonymous=302, student=302, outsider=302, ta=302, instructor=302, admin=302, data={"accept": "y"}),
    Spec("courses.course_invitation", "GET", COURSE,
         anonymous=302, student=302, outsider=302, ta=302, instructor=302, admin=302),
    Spec("courses.invitations", "GET", course_with_invitation, **ROSTER_PAGE),
    Spec("courses.withdraw_invitation", "POST", outsiders_invitation, **ROSTER_CHANGE),
    Spec("courses.resend_invitation", "POST", outsiders_invitation, **ROSTER_CHANGE),
    # The blog's front page (posts/ declares the rest of the blog): public course open to all, members course
    # to members and site admins; a signed-in outsider is told how to join.
    # A student's course home is This week (a redirect); everyone else's is the blog.
    Spec("posts.blog", "GET", COURSE, anonymous=200, student=302, outsider=200, ta=200, instructor=200, admin=200),
    Spec("posts.blog", "GET", MEMBERS_COURSE,
         anonymous=302, student=302, outsider=403, ta=200, instructor=200, admin=200),
]
