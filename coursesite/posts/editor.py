"""The editor page: filling the form, reading it back, and the JSON the autosave script receives."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify, render_template, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from coursesite.essays import listing as post_service
from coursesite.essays.revisions import diff_lines, trim_context
from coursesite.essays.terms import TermError, names_of, parse_term_names
from coursesite.essays.writing import (
    UNTITLED_DRAFT_MIN_WORDS,
    AutosaveResult,
    EditConflict,
    EssayText,
    PostError,
    editing,
    pending_differs,
    rendered,
)
from coursesite.extensions import db
from coursesite.forms import choices
from coursesite.models import Assignment, Course, Post, utcnow
from coursesite.participation.deadlines import work_item
from coursesite.text import timefmt

# The description the Image button puts in for the writer to replace (static/js/editor.js reads it here).
UNDESCRIBED_PICTURE = "Describe the picture"


def undescribed_pictures(body: str) -> int:
    """How many pictures in the essay still carry the Image button's stand-in description."""
    return body.count(f"![{UNDESCRIBED_PICTURE}](")


def assignment_choices(course: Course, post: Post | None, now: datetime) -> list:
    """Assignments that have opened (and the essay's own), soonest due first, each with its minimum words for the
    editor's counter (static/js/editor.js)."""
    current_id = post.assignment_id if post is not None else None
    assignments = db.session.scalars(
        select(Assignment)
        .where(
            Assignment.course_id == course.id,
            or_(Assignment.opens_at.is_(None), Assignment.opens_at <= now, Assignment.id == (current_id or 0)),
        )
        .order_by(Assignment.post_due_at.asc().nulls_last(), Assignment.title)
    ).all()
    return choices([(0, "No assignment", {"data-min-words": 0})]
                   + [(a.id, a.title, {"data-min-words": a.min_post_words or 0}) for a in assignments])


def pick_assignment(course: Course, form, post: Post | None, now: datetime) -> Assignment | None | bool:
    """The assignment chosen in the form; False when it may not change (the essay is out, and its
    publication time counts for that assignment only)."""
    if post is not None and (post.is_live(now) or post.is_scheduled(now)):
        return False
    chosen = form.assignment_id.data or 0
    return post_service.course_assignment(course, chosen) if chosen else None


def _publish_at(form, course: Course) -> datetime | None:
    typed = form.publish_at.data
    if typed is None:
        return None
    try:
        return timefmt.local_to_utc(typed, course.timezone)
    except timefmt.AmbiguousLocalTime:
        # A student's schedule needs no choice: the earlier of the two (the clocks fall back).
        return timefmt.local_to_utc(typed, course.timezone, fold=0)
    except timefmt.LocalTimeError as error:
        raise PostError(str(error)[:1].upper() + str(error)[1:] + ".", "publish_at") from error


# Each kind of term: the form field that holds it, and the word a message starts with.
TERM_FIELDS = {"category": ("categories", "Categories"), "tag": ("tags", "Tags")}


def _term_names(text, kind: str) -> list[str]:
    field, label = TERM_FIELDS[kind]
    try:
        return parse_term_names(None if text is None else str(text))
    except TermError as error:
        raise PostError(f"{label}: {error}", field) from error


def typed_terms(payload) -> dict[str, list[str]]:
    """The categories and tags an autosave sent; a kind it did not send stays as it is."""
    return {kind: _term_names(payload[field], kind) for kind, (field, _) in TERM_FIELDS.items() if field in payload}


def essay_text_from(form, course: Course) -> EssayText:
    return EssayText(
        title=(form.title.data or "").strip(),
        body=(form.body.data or "").replace("\r\n", "\n"),
        categories=_term_names(form.categories.data, "category"),
        tags=_term_names(form.tags.data, "tag"),
        publish_at=_publish_at(form, course),
    )


def fill_form(form, post: Post) -> dict | None:
    """Load the essay into the form; a newer autosave of a published essay is loaded instead and described."""
    form.title.data, form.body.data = post.title, post.body
    form.categories.data, form.tags.data = names_of(post, "category"), names_of(post, "tag")
    form.assignment_id.data = post.assignment_id or 0
    if post.is_scheduled(utcnow()):
        form.publish_at.data = timefmt.to_local(post.published_at, post.course.timezone).replace(tzinfo=None)
    current = editing(post)
    pending = current.pending
    if pending is None or not pending_differs(post, pending):
        return None  # an autosave back to the published text is nothing to tell
    if pending.base_version == post.version:
        form.title.data, form.body.data = pending.title, pending.body
        form.categories.data = pending.categories if pending.categories is not None else form.categories.data
        form.tags.data = pending.tags if pending.tags is not None else form.tags.data
        return {"kind": "restored", "saved_at": pending.saved_at}
    return {"kind": "stale", "saved_at": pending.saved_at, "title": pending.title, "body": pending.body}


def storage_key(course: Course, post_id: int | str) -> str:
    """The key of the editor's copy in the browser: it belongs to the signed-in account, whose id comes first
    so the pages of whoever signs in next on a shared computer drop it (static/js/site.js), never restore it."""
    return f"coursesite:{current_user.id}:essay:{course.slug}:{post_id}"


def _epoch_ms(moment: datetime | None) -> int:
    return int(moment.timestamp() * 1000) if moment else 0


def editor_page(course: Course, form, post: Post | None, *, conflict: EditConflict | None = None,
                restored: dict | None = None, status: int = 200):
    now = utcnow()
    if conflict is not None:
        version = conflict.version  # shown both texts, the writer may now save over the other one
    elif form.is_submitted():
        version = form.version.data or 0
    else:
        version = editing(post).version if post is not None else 0
    assignment = post_service.course_assignment(course, form.assignment_id.data) if form.assignment_id.data else None
    conflict_rows = None
    if conflict is not None:
        conflict_rows = trim_context(diff_lines(conflict.current_body, (form.body.data or "").replace("\r\n", "\n")))
    live = post is not None and post.is_live(now)
    writer_id = post.author_id if post is not None else current_user.id
    own_deadlines = work_item(assignment, writer_id, now).deadlines if assignment is not None else None
    server_saved = restored["saved_at"] if restored and restored["kind"] == "restored" else (
        post.modified_at if post is not None else None)
    return render_template(
        "posts/editor.html",
        form=form,
        post=post,
        live=live,
        scheduled=post is not None and post.is_scheduled(now),
        assignment_locked=post is not None and (live or post.is_scheduled(now)),
        assignment=assignment,
        own_deadlines=own_deadlines,
        version=version,
        conflict=conflict,
        conflict_rows=conflict_rows,
        restored=restored,
        server_saved_ms=_epoch_ms(server_saved),
        initial_words=rendered((form.body.data or "").replace("\r\n", "\n"))[1],
        storage_key=storage_key(course, post.id if post is not None else "new"),
        draft_min_words=UNTITLED_DRAFT_MIN_WORDS,
        undescribed_picture=UNDESCRIBED_PICTURE,
        now=now,
    ), status


def json_saved(course: Course, result: AutosaveResult):
    post, saved_at = result.post, result.saved_at
    return jsonify(
        ok=True,
        post_id=post.id,
        version=result.version,
        saved_at=saved_at.isoformat(),
        saved_at_ms=_epoch_ms(saved_at),
        saved_text=f"Saved at {timefmt.wp_datetime(saved_at, course.timezone).split(' at ')[-1]}",
        autosave_url=url_for("posts.autosave", slug=course.slug, post_id=post.id),
        edit_url=url_for("posts.edit_post", slug=course.slug, post_id=post.id),
        storage_key=storage_key(course, post.id),
    )
