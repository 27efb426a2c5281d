"""What an instructor does with a linked LMS course: see and resend an assignment's scores, sync the roster."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from pylti1p3.exception import LtiException, LtiServiceException
from requests import RequestException
from sqlalchemy import select

from coursesite.coursework import assignments as assignment_service
from coursesite.extensions import db
from coursesite.lti import roster, scores
from coursesite.lti.blueprint import bp
from coursesite.lti.models import LtiContext
from coursesite.models import Assignment, Course
from coursesite.permissions import can_manage_roster, can_release_grades, course_view


def _assignment(course: Course, assignment_id: int) -> Assignment:
    assignment = assignment_service.course_assignment(course, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


@bp.route("/c/<slug>/assignments/<int:assignment_id>/scores")
@course_view(can_release_grades)
def assignment_scores(course: Course, assignment_id: int):
    assignment = _assignment(course, assignment_id)
    return render_template("lti/scores.html", assignment=assignment, report=scores.report(assignment))


@bp.route("/c/<slug>/assignments/<int:assignment_id>/scores/send", methods=["POST"])
@course_view(can_release_grades)
def send_scores(course: Course, assignment_id: int):
    assignment = _assignment(course, assignment_id)
    scores.queue_assignment(assignment)
    db.session.commit()
    flash(*scores.sent_message(scores.send_waiting(assignment.id, scores.REQUEST_SEND_SECONDS)))
    return redirect(url_for("lti.assignment_scores", slug=course.slug, assignment_id=assignment.id))


@bp.route("/c/<slug>/roster/sync", methods=["POST"])
@course_view(can_manage_roster)
def sync_roster(course: Course):
    contexts = db.session.scalars(select(LtiContext).where(
        LtiContext.course_id == course.id, LtiContext.memberships_url.is_not(None))).all()
    if not contexts:
        flash("This course has no LMS roster to sync: open Coursesite from the LMS course first.", "error")
        return redirect(url_for("courses.roster", slug=course.slug))
    reports = []
    for context in contexts:
        try:
            members = roster.fetch_members(context)
            groups = roster.fetch_groups(context)
        except roster.RosterTooLarge:
            db.session.rollback()
            flash(f"The LMS sent more than {roster.MAX_MEMBERS:,} members, or pages without end. Nothing was "
                  "changed; check the course in the LMS.", "error")
            return redirect(url_for("courses.roster", slug=course.slug))
        except (LtiServiceException, LtiException, RequestException, ValueError, KeyError, TypeError):
            db.session.rollback()
            flash("The LMS did not give its roster. Nothing was changed; try again later.", "error")
            return redirect(url_for("courses.roster", slug=course.slug))
        reports.append(roster.sync(course, context, members, groups))
    db.session.commit()
    return render_template("lti/roster_sync.html", reports=reports)
