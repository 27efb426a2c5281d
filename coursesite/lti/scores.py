"""Assignment and Grade Services: released scores queued per student and line item, then sent to the LMS.

The score is the gradebook CSV's total (essay after the late penalty, plus comments), from the same rows
(grading/reports.py). Excused: no scoreGiven, which clears the LMS's score, and the comment "Excused".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC

import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.grading import reports as grade_reports
from coursesite.lti import claims as c
from coursesite.lti.launching import PlatformSession
from coursesite.lti.models import LtiAccount, LtiContext, LtiLineItem, LtiScoreSend
from coursesite.lti.tool_config import signing_registration
from coursesite.models import Assignment, utcnow

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
# A page that sends (release, send again) stops starting new sends after this long and leaves the rest queued
# for `lti send-scores`: with one LMS call per student, a slow LMS would otherwise hold the request past the
# server's timeout. One call can still take PLATFORM_TIMEOUT_SECONDS after it.
REQUEST_SEND_SECONDS = 15


@dataclass(frozen=True)
class Sent:
    accepted: int
    failed: int
    left: int  # still queued when the time was up


def remember_line_item(context: LtiContext, assignment: Assignment, body: dict) -> None:
    """The line item the LMS names in a launch of the assignment's link (made from the deep-linking answer)."""
    url = c.text(body, c.AGS_ENDPOINT, "lineitem")
    if not url:
        return
    item = db.session.scalar(select(LtiLineItem).where(
        LtiLineItem.context_id == context.id, LtiLineItem.assignment_id == assignment.id))
    if item is None:
        db.session.add(LtiLineItem(context_id=context.id, assignment_id=assignment.id, url=url))
    else:
        item.url = url
    db.session.flush()


def _score_of(result) -> dict | None:
    if result.excused:
        return {"activityProgress": "Completed", "gradingProgress": "FullyGraded", "comment": "Excused"}
    if not result.graded:
        return None
    return {"scoreGiven": result.total, "scoreMaximum": result.rules.possible,
            "activityProgress": "Completed", "gradingProgress": "FullyGraded"}


def queue_assignment(assignment: Assignment) -> int:
    """Queue each graded or excused student's score for each line item of a released assignment; a score that
    changed since it was sent goes again. Returns how many were queued."""
    if assignment.grades_released_at is None:
        return 0
    items = db.session.scalars(select(LtiLineItem).where(LtiLineItem.assignment_id == assignment.id)).all()
    queued = 0
    rows = grade_reports.grading_queue(assignment)
    for item in items:
        known = set(db.session.scalars(select(LtiAccount.user_id).where(
            LtiAccount.platform_id == item.context.platform_id)))
        sends = {s.user_id: s for s in db.session.scalars(
            select(LtiScoreSend).where(LtiScoreSend.line_item_id == item.id))}
        for row in rows:
            score = _score_of(row.result)
            user_id = row.student.user_id
            if score is None or user_id not in known:
                continue
            send = sends.get(user_id)
            if send is None:
                db.session.add(LtiScoreSend(line_item_id=item.id, user_id=user_id, score=score))
            elif send.score == score and send.status != "failed":
                continue
            else:
                send.score, send.status, send.queued_at = score, "pending", utcnow()
            queued += 1
    db.session.flush()
    return queued


def queue_released() -> int:
    assignments = db.session.scalars(select(Assignment).join(LtiLineItem, LtiLineItem.assignment_id == Assignment.id)
                                     .where(Assignment.grades_released_at.is_not(None)).distinct()).all()
    return sum(queue_assignment(a) for a in assignments)


def _grade(send: LtiScoreSend, sub: str) -> Grade:
    grade = (Grade().set_user_id(sub).set_activity_progress(send.score["activityProgress"])
             .set_grading_progress(send.score["gradingProgress"])
             .set_timestamp(utcnow().astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")))
    if "scoreGiven" in send.score:
        grade.set_score_given(send.score["scoreGiven"]).set_score_maximum(send.score["scoreMaximum"])
    if send.score.get("comment"):
        grade.set_comment(send.score["comment"])
    return grade


def _service(item: LtiLineItem) -> AssignmentsGradesService:
    context = item.context
    connector = ServiceConnector(signing_registration(context.platform), PlatformSession())
    scopes = context.ags_scopes or [SCORE_SCOPE]
    return AssignmentsGradesService(connector, {"scope": scopes, "lineitem": item.url,
                                                "lineitems": context.lineitems_url or ""})


def send_waiting(assignment_id: int | None = None, seconds: float | None = None) -> Sent:
    """Send every pending or failed score (of one assignment, or all), within `seconds` if given; each result
    is committed as it comes, so nothing is lost."""
    query = select(LtiScoreSend).join(LtiLineItem).where(LtiScoreSend.status.in_(("pending", "failed")))
    if assignment_id is not None:
        query = query.where(LtiLineItem.assignment_id == assignment_id)
    stop_at = None if seconds is None else time.monotonic() + seconds
    accepted = failed = 0
    services: dict[int, AssignmentsGradesService] = {}
    waiting = db.session.scalars(query.order_by(LtiScoreSend.id)).all()
    for done, send in enumerate(waiting):
        if stop_at is not None and time.monotonic() >= stop_at:
            return Sent(accepted, failed, len(waiting) - done)
        item = send.line_item
        sub = db.session.scalar(select(LtiAccount.sub).where(
            LtiAccount.platform_id == item.context.platform_id, LtiAccount.user_id == send.user_id))
        send.attempts += 1
        try:
            service = services.get(item.id) or services.setdefault(item.id, _service(item))
            service.put_grade(_grade(send, sub))
        except (LtiServiceException, LtiException, requests.RequestException, ValueError) as error:
            send.status, send.last_error = "failed", _describe(error)
            failed += 1
        else:
            send.status, send.last_error, send.sent_at = "sent", "", utcnow()
            item.last_sent_at = send.sent_at
            accepted += 1
        db.session.commit()
    return Sent(accepted, failed, 0)


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None and getattr(response, "status_code", None):
        return f"The LMS answered {response.status_code}."[:500]
    return (str(error) or error.__class__.__name__)[:500]


@dataclass(frozen=True)
class SendReport:
    line_items: int
    last_sent_at: object
    accepted: int
    waiting: int
    failed: int
    errors: tuple[str, ...]


def report(assignment: Assignment) -> SendReport:
    items = db.session.scalars(select(LtiLineItem).where(LtiLineItem.assignment_id == assignment.id)).all()
    counts = dict(db.session.execute(
        select(LtiScoreSend.status, func.count()).join(LtiLineItem)
        .where(LtiLineItem.assignment_id == assignment.id).group_by(LtiScoreSend.status)).all())
    errors = db.session.scalars(
        select(LtiScoreSend.last_error).join(LtiLineItem).distinct()
        .where(LtiLineItem.assignment_id == assignment.id, LtiScoreSend.status == "failed")).all()
    last = max((i.last_sent_at for i in items if i.last_sent_at), default=None)
    return SendReport(len(items), last, counts.get("sent", 0), counts.get("pending", 0), counts.get("failed", 0),
                      tuple(errors))


def send_after_release(assignment: Assignment) -> Sent:
    """Right after grades are released: queue them, keep the queue, then send for as long as a page may wait."""
    if not queue_assignment(assignment):
        return Sent(0, 0, 0)
    db.session.commit()
    return send_waiting(assignment.id, REQUEST_SEND_SECONDS)


def sent_message(sent: Sent) -> tuple[str, str]:
    """What a page that sent scores tells the instructor, and the flash category."""
    parts = [f"{sent.accepted} score(s) accepted by the LMS"]
    if sent.failed:
        parts.append(f"{sent.failed} failed and are kept to send again")
    if sent.left:
        parts.append(f"{sent.left} still queued for the next scheduled send")
    return "; ".join(parts) + ".", "error" if sent.failed else ("info" if sent.left else "success")
