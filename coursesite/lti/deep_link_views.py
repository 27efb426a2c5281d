"""Deep linking: an instructor adding Coursesite to an LMS module picks an assignment (or creates one); the
signed answer goes back to the LMS, which makes the link and a gradebook column worth the assignment's points."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, render_template, session
from flask_login import current_user
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from coursesite.extensions import db
from coursesite.grading.rules import AssignmentRules
from coursesite.lti.blueprint import bp
from coursesite.lti.forms import DeepLinkForm
from coursesite.lti.launching import LaunchRefused, launch_url, saved_launch
from coursesite.lti.pages import PENDING, pending_context, refused
from coursesite.lti.tool_config import KEY_UNREADABLE, find_platform, signing_registration
from coursesite.models import Assignment, Course
from coursesite.permissions import can_manage_assignments
from coursesite.security import CONTENT_SECURITY_POLICY

LINK_REQUEST_EXPIRED = LaunchRefused(
    400, "This link request has expired",
    "The LMS's request to add Coursesite is kept for a limited time, and this one can no longer be answered. "
    "Nothing was added. In the LMS, choose Add content (or the Coursesite link) again.")


def _course_of_pending() -> Course:
    context = pending_context()
    course = db.session.get(Course, context.course_id) if context.course_id else None
    if course is None or not can_manage_assignments(current_user, course):
        abort(403)
    return course


def line_item_for(assignment: Assignment) -> LineItem:
    return (LineItem().set_label(assignment.title[:200]).set_score_maximum(AssignmentRules.of(assignment).possible)
            .set_resource_id(f"coursesite-assignment-{assignment.id}").set_tag("coursesite"))


def _resource(assignment: Assignment) -> DeepLinkResource:
    return (DeepLinkResource().set_url(launch_url()).set_title(assignment.title[:200])
            .set_custom_params({"coursesite_assignment": str(assignment.id)}).set_lineitem(line_item_for(assignment)))


@bp.route("/deep-link", methods=["GET", "POST"])
def deep_link():
    course = _course_of_pending()
    assignments = list(db.session.scalars(select(Assignment).where(Assignment.course_id == course.id)
                                          .order_by(Assignment.title)))
    form = DeepLinkForm()
    form.assignment.choices = [(str(a.id), a.title) for a in assignments]
    chosen = None
    if form.validate_on_submit():
        chosen = next((a for a in assignments if str(a.id) == form.assignment.data), None)
        if chosen is None and form.new_title.data:
            chosen = Assignment(course_id=course.id, title=form.new_title.data,
                                post_points=form.new_points.data if form.new_points.data is not None else 10)
            db.session.add(chosen)
            db.session.flush()
        if chosen is None:
            form.form_errors.append("Choose an assignment, or give the new one a title.")
    if chosen is None:
        return render_template("lti/deep_link.html", form=form, course=course, assignments=assignments)
    return _answer(chosen)


def _answer(assignment: Assignment):
    try:
        message = saved_launch(session[PENDING]["launch_id"])
        body = message.get_launch_data()
        signing_registration(find_platform(body["iss"], message.get_client_id()))
        deep_link = message.get_deep_link()
        token = deep_link.get_response_jwt([_resource(assignment)])
        return_url = message.get_launch_data()[
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]["deep_link_return_url"]
    except LtiException as error:
        db.session.rollback()  # an assignment made from the form is not kept without its link
        if str(error) == KEY_UNREADABLE:
            return refused(LaunchRefused(503, "Coursesite cannot sign its answer", KEY_UNREADABLE))
        return refused(LINK_REQUEST_EXPIRED)  # the launch it answers is no longer stored
    except (KeyError, TypeError) as error:
        raise NotFound() from error
    session.pop(PENDING, None)
    db.session.commit()
    response = render_template("lti/deep_link_return.html", token=token, return_url=return_url,
                               assignment=assignment)
    target = urlsplit(return_url)
    policy = CONTENT_SECURITY_POLICY.replace("form-action 'self'",
                                             f"form-action 'self' {target.scheme}://{target.netloc}")
    return response, 200, {"Content-Security-Policy": policy}



