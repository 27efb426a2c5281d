"""What an instructor does with a linked LMS course: see and resend an assignment's scores, sync the roster."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from pylti1p3.exception import LtiException, LtiServiceException
from requests import RequestException
from sqlalchemy import select

from coursesite.coursework import assignments as assignment_service
from coursesite.extensions import db
from coursesite.forms import page_number, search_text
from coursesite.lti import roster, scores
from coursesite.lti.blueprint import bp
from coursesite.lti.models import LtiContext
from coursesite.models import Assignment, Course
from coursesite.paging import place
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


SYNC_NAMES_SHOWN = 50  # of those added, updated or ended: a first sync of a large class adds all of it


@bp.route("/c/<slug>/roster/sync", methods=["POST"])
@course_view(can_manage_roster)
def sync_roster(course: Course):
    # The form posts from the roster's page and search (?q=, ?page=): every way back leads there.
    back = url_for("courses.roster", slug=course.slug, **place(search_text(), page_number()))
    contexts = db.session.scalars(select(LtiContext).where(
        LtiContext.course_id == course.id, LtiContext.memberships_url.is_not(None))).all()
    if not contexts:
        flash("This course has no LMS roster to sync: open Coursesite from the LMS course first.", "error")
        return redirect(back)
    reports = []
    for context in contexts:
        try:
            members = roster.fetch_members(context)
            groups = roster.fetch_groups(context)
        except roster.RosterTooLarge:
            db.session.rollback()
            flash(f"The LMS sent more than {roster.MAX_MEMBERS:,} members, or pages without end. Nothing was "
                  "changed; check the course in the LMS.", "error")
            return redirect(back)
        except (LtiServiceException, LtiException, RequestException, ValueError, KeyError, TypeError):
            db.session.rollback()
            flash("The LMS did not give its roster. Nothing was changed; try again later.", "error")
            return redirect(back)
        reports.append(roster.sync(course, context, members, groups))
    db.session.commit()
    return render_template("lti/roster_sync.html", reports=reports, back=back, names_shown=SYNC_NAMES_SHOWN)
