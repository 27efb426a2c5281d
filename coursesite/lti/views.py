"""LTI 1.3 routes: the OIDC login, the launch, the tool's key set, and the pages a launch may lead to."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from pylti1p3.exception import OIDCException
from sqlalchemy import select

from coursesite.coursework.courses import CourseError, create_course
from coursesite.extensions import db
from coursesite.lti import claims as c
from coursesite.lti import keys, people
from coursesite.lti.blueprint import bp
from coursesite.lti.forms import LinkCourseForm
from coursesite.lti.framing import ANY_FRAME_POLICY, FRAMED
from coursesite.lti.launching import LaunchRefused, checked_launch, launch_url, oidc_login
from coursesite.lti.models import LtiContext, LtiResourceLink
from coursesite.lti.pages import PENDING, pending_context, refused
from coursesite.lti.storage import forget_expired
from coursesite.lti.tool_config import find_platform
from coursesite.models import Assignment, Course, Enrollment, Post, utcnow
from coursesite.models.course import STAFF_ROLES
from coursesite.security import cross_site_post

LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id", "client_id")


ANONYMOUS_OR_OUTSIDE_A_COURSE = LaunchRefused(
    400, "Coursesite opens from inside an LMS course",
    "This launch names no user or no course. Open Coursesite from a course in the LMS, signed in.")


@bp.route("/login", methods=["GET", "POST"])
@cross_site_post
def login():
    """OIDC third-party login initiation. Inside the LMS frame the browser may refuse cookies: the first answer
    is a page that checks, then goes on (here, with lti1p3_new_window) or offers a new window."""
    params = {k: v for k in LOGIN_PARAMS if (v := (request.values.get(k) or "").strip())}
    if not request.values.get("lti1p3_new_window"):
        onward = url_for("lti.login", _external=True) + "?" + urlencode({**params, "lti1p3_new_window": "1"})
        page = render_template("lti/cookie_check.html", onward=onward)
        return page, 200, {"Content-Security-Policy": ANY_FRAME_POLICY}
    forget_expired()
    try:
        redirect_to = oidc_login().get_redirect_object(launch_url())
    except OIDCException:
        return refused(LaunchRefused(400, "This LMS is not registered",
                                     "The sign-in came from an LMS (issuer and client id) this Coursesite does not "
                                     "know, or without the user's login hint. A site administrator registers an LMS "
                                     "on the LTI platforms page."))
    db.session.commit()
    return redirect_to.do_redirect()


@bp.route("/launch", methods=["POST"])
@cross_site_post
def launch():
    try:
        message = checked_launch()
    except LaunchRefused as error:
        return refused(error)
    body = message.get_launch_data()
    if not c.text(body, "sub") or not c.text(body, c.CONTEXT, "id"):
        return refused(ANONYMOUS_OR_OUTSIDE_A_COURSE)
    platform = find_platform(body["iss"], message.get_client_id())
    context = people.context_for(platform, body)
    course = db.session.get(Course, context.course_id) if context.course_id else None
    role = c.course_role(body.get(c.ROLES))
    user = people.account_for(platform, body, course)
    if course is None:
        return _unlinked_course(message, context, user, role)
    return _enter(course, user, role, message, context)


def _sign_in(user, platform, body: dict) -> None:
    login_user(user)
    origins = {platform.issuer, platform.auth_login_url,
               c.text(body, c.LTI + "launch_presentation", "return_url"),
               c.text(body, "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
                      "deep_link_return_url")}
    session[FRAMED] = sorted({f"{p.scheme}://{p.netloc}" for p in map(urlsplit, origins) if p.scheme and p.netloc})


def _unlinked_course(message, context: LtiContext, user, role: str | None):
    if role != "instructor":
        db.session.commit()  # the LMS course is remembered for its instructor's first launch
        return refused(LaunchRefused(409, "This course is not set up in Coursesite yet",
                                     "Your instructor opens Coursesite from this LMS course first and links it to "
                                     "a Coursesite course. Try again after that."))
    _sign_in(user, context.platform, message.get_launch_data())
    session[PENDING] = {"launch_id": message.get_launch_id(), "context_id": context.id,
                        "deep_link": message.is_deep_link_launch()}
    db.session.commit()
    return redirect(url_for("lti.link_course"))


def _enter(course: Course, user, role: str | None, message, context: LtiContext):
    enrollment = people.enrollment_after_launch(user, course, role)
    if enrollment is None:
        return refused(LaunchRefused(403, f"You are not a member of {course.title}",
                                     "The LMS opened this course for you, but you are not (or no longer) on its "
                                     "roster here. Ask the course's instructor for access."), course)
    if message.is_deep_link_launch() and enrollment.role not in STAFF_ROLES:
        return refused(LaunchRefused(403, "Only the course's staff add Coursesite links",
                                     "Ask your instructor to add the assignment."), course)
    # Signed in only now: a refused launch leaves the browser as it was.
    _sign_in(user, context.platform, message.get_launch_data())
    if message.is_deep_link_launch():
        session[PENDING] = {"launch_id": message.get_launch_id(), "context_id": context.id}
        db.session.commit()
        return redirect(url_for("lti.deep_link"))
    assignment = _linked_assignment(context, course, message.get_launch_data())
    db.session.commit()
    return redirect(_landing(course, enrollment, assignment))


def _linked_assignment(context: LtiContext, course: Course, body: dict) -> Assignment | None:
    """The assignment the LMS link opens: remembered per link; a new link names it in its custom parameter
    (set by Coursesite's deep-linking answer, signed by the LMS since)."""
    from coursesite.lti.scores import remember_line_item

    link_id = c.text(body, c.RESOURCE_LINK, "id")
    if not link_id:
        return None
    link = db.session.scalar(select(LtiResourceLink).where(
        LtiResourceLink.context_id == context.id, LtiResourceLink.resource_link_id == link_id))
    if link is None:
        link = LtiResourceLink(context_id=context.id, resource_link_id=link_id)
        db.session.add(link)
    wanted = c.custom(body, "coursesite_assignment")
    if link.assignment_id is None and wanted.isdigit():
        found = db.session.scalar(select(Assignment.id).where(
            Assignment.id == int(wanted), Assignment.course_id == course.id))
        link.assignment_id = found
    db.session.flush()
    assignment = db.session.get(Assignment, link.assignment_id) if link.assignment_id else None
    if assignment is not None:
        remember_line_item(context, assignment, body)
    return assignment


def _landing(course: Course, enrollment: Enrollment, assignment: Assignment | None) -> str:
    if assignment is None:
        return url_for("posts.blog", slug=course.slug)
    not_open_yet = assignment.opens_at is not None and assignment.opens_at > utcnow()
    if enrollment.role in STAFF_ROLES or not_open_yet:  # before it opens, a student reads when it will
        return url_for("courses.assignment", slug=course.slug, assignment_id=assignment.id)
    essay = db.session.scalar(select(Post.id).where(
        Post.assignment_id == assignment.id, Post.author_id == enrollment.user_id, Post.deleted_at.is_(None))
        .order_by(Post.id).limit(1))
    if essay is not None:
        return url_for("posts.edit_post", slug=course.slug, post_id=essay)
    return url_for("posts.new_post", slug=course.slug, assignment=assignment.id)


@bp.route("/jwks")
def jwks():
    response = jsonify(keys.key_set())
    db.session.commit()  # the first key, made on first use
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _new_course_slug(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "course"
    slug, n = base, 1
    while db.session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


@bp.route("/link-course", methods=["GET", "POST"])
def link_course():
    """An instructor's first launch from an LMS course: link a course they teach here, or create one."""
    context = pending_context()
    if context.course_id is not None:
        abort(404)
    taught = people.courses_taught(current_user)
    form = LinkCourseForm()
    form.course.choices = [(str(course.id), f"{course.title} ({course.slug})") for course in taught] + [
        ("new", f"A new course: {context.title or 'untitled'}")]
    if form.validate_on_submit():
        course = _linked_or_new(form.course.data, taught, context)
        if course is not None:
            context.course_id = course.id
            people.enrollment_after_launch(current_user, course, "instructor")
            db.session.commit()
            flash(f"{course.title} now opens from this LMS course.", "success")
            if session[PENDING].get("deep_link"):  # the instructor was adding a link: go on with that
                return redirect(url_for("lti.deep_link"))
            session.pop(PENDING, None)
            return redirect(url_for("posts.blog", slug=course.slug))
    return render_template("lti/link_course.html", form=form, context=context)


def _linked_or_new(choice: str, taught: list[Course], context: LtiContext) -> Course | None:
    if choice != "new":
        return next((course for course in taught if str(course.id) == choice), None)
    title = context.title or "Course from the LMS"
    try:
        return create_course(current_user, slug=_new_course_slug(title), title=title, timezone="UTC")
    except CourseError:
        return None

