"""What every template may use: time filters, permission predicates, the current course."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, g, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from coursesite import permissions
from coursesite.discussion import moderation
from coursesite.grading.rules import points_text, score_text
from coursesite.links import comment_page_url, comment_url
from coursesite.notifications import notices as notifications
from coursesite.paging import place
from coursesite.security import CSRF_REFUSED_KEPT
from coursesite.text import timefmt


def _course_zone(tz_name: str | None) -> str:
    if tz_name:
        return tz_name
    course = g.get("course")
    return course.timezone if course is not None else "UTC"


def time_tag(value: datetime | None, tz_name: str | None = None, style: str = "datetime") -> Markup:
    """<time datetime="2017-04-03T12:23:00-04:00">April 3, 2017 at 12:23 pm</time> in the course's zone."""
    if value is None:
        return Markup("")
    tz = _course_zone(tz_name)
    # A page often shows one time many times (a deadline beside each student behind on it): made once per
    # request, since "deadline" words read the clock.
    made = g.setdefault("time_tags", {})
    tag = made.get((value, tz, style))
    if tag is None:
        shown = {
            "datetime": timefmt.wp_datetime,
            "date": timefmt.wp_date,
            "deadline": timefmt.deadline_text,
        }[style](value, tz)
        tag = made[(value, tz, style)] = Markup('<time datetime="{}">{}</time>').format(
            timefmt.iso_local(value, tz), shown)
    return tag


def modify_query(**changes) -> str:
    """The current URL with some query arguments changed (pagination, sorting)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


HEADER_COUNTS_KEY = "coursesite.header_counts"


def reader_header_counts(unread: int, environ: dict) -> dict:
    """The counts for a reader who moderates nothing, whose unread count was read with other facts."""
    counts = environ[HEADER_COUNTS_KEY] = {"unread_notifications": unread, "moderation_waiting": 0}
    return counts


def header_counts() -> dict:
    """Unread notifications and, for staff in a course, comments waiting for moderation: once per request."""
    if not has_request_context():
        return {}
    # Kept on the request itself: a test client may share one app context (and `g`) across requests.
    counts = request.environ.get(HEADER_COUNTS_KEY)
    if counts is None:
        counts = {"unread_notifications": 0, "moderation_waiting": 0}
        if current_user.is_authenticated:
            counts["unread_notifications"] = notifications.unread_count(current_user.id)
            course = g.get("course")
            if course is not None and permissions.can_moderate(current_user, course):
                counts["moderation_waiting"] = moderation.waiting_count(course)
        request.environ[HEADER_COUNTS_KEY] = counts
    return counts


def init_templating(app: Flask) -> None:
    app.context_processor(header_counts)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(permissions.TEMPLATE_PREDICATES)
    app.jinja_env.globals.update(time_tag=time_tag, modify_query=modify_query, csrf_refused_kept=CSRF_REFUSED_KEPT,
                                 comment_url=comment_url, comment_page_url=comment_page_url, list_place=place)
    app.jinja_env.filters["elapsed"] = timefmt.elapsed_text
    app.jinja_env.filters["points"] = points_text
    app.jinja_env.filters["score"] = score_text
    app.jinja_env.filters["nl2br"] = lambda text: Markup("<br>").join(escape(text).split("\n"))

    @app.context_processor
    def _course():
        return {"course": g.get("course")}
