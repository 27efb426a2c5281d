"""Writing: the editor, autosave, preview, drafts, revisions and the trash."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from coursesite.essays import listing as post_service
from coursesite.essays import writing
from coursesite.essays.revisions import as_it_stood, diff_lines, revisions_of, trim_context, word_diff
from coursesite.essays.writing import EditConflict, PostError
from coursesite.extensions import db, limiter, person_or_address
from coursesite.forms import id_from
from coursesite.models import Course, Post, utcnow
from coursesite.permissions import (
    can_edit_post,
    can_moderate,
    can_restore_post,
    can_see_private_work,
    can_write_in,
    course_view,
)
from coursesite.posts.blueprint import bp
from coursesite.posts.editor import (
    UNDESCRIBED_PICTURE,
    assignment_choices,
    editor_page,
    essay_text_from,
    fill_form,
    json_saved,
    pick_assignment,
    typed_terms,
    undescribed_pictures,
)
from coursesite.posts.forms import PostForm
from coursesite.posts.pages import login_or_401
from coursesite.security import CSRF_REFUSED_KEPT, form_checks_csrf

bp.add_app_template_global(word_diff, "word_diff")
bp.add_app_template_global(writing.restorable_until, "restorable_until")
bp.add_app_template_global(writing.AUTHOR_RESTORE_DAYS, "restore_days")

NOT_A_DRAFT_YET = (f"Not in your drafts yet: a new essay is saved there once it has a title or "
                   f"{writing.UNTITLED_DRAFT_MIN_WORDS} words. Your text is kept in this browser.")


def own_post(course: Course, post_id: int) -> Post:
    """The signed-in author's essay: 404 when they may not see it, 403 when they may see but not edit it."""
    post = _visible_for_action(course, post_id)
    if post.is_trashed:
        abort(404)
    if not can_edit_post(current_user, post):
        abort(403)
    return post


def _conflict_json(conflict: EditConflict):
    return jsonify(
        error="conflict",
        message="This essay was changed in another tab or window since you opened it. Your text here was not "
                "saved over it; compare the two versions before you save again.",
        current={"title": conflict.current_title, "body": conflict.current_body, "version": conflict.version},
    ), 409


def _save(course: Course, post: Post | None, form, now):
    """Run one save from the editor form; returns a response (redirect, JSON, or the editor again)."""
    is_new = post is None
    action = request.form.get("action", "draft")
    try:
        assignment = pick_assignment(course, form, post, now)
        text = essay_text_from(form, course)
        if is_new and action == "autosave" and not writing.worth_a_draft(text.title, text.body):
            raise PostError(NOT_A_DRAFT_YET)
        if is_new:
            post = writing.new_post(course, current_user, assignment, now)
        elif assignment is not False:
            post.assignment = assignment
        if action == "autosave":
            result = writing.autosave(post, current_user, text.title, text.body,
                                      expected_version=form.version.data or 0, now=now, editor_page=form.editor.data,
                                      terms={"category": text.categories, "tag": text.tags})
        else:
            post = writing.save(post, current_user, text, publish=action == "publish",
                                expected_version=form.version.data or 0, now=now, editor_page=form.editor.data)
    except EditConflict as conflict:
        db.session.rollback()
        if action == "autosave":
            return _conflict_json(conflict)
        return editor_page(course, form, conflict.post, conflict=conflict, status=409)
    except PostError as error:
        db.session.rollback()
        if action == "autosave":
            return jsonify(error="invalid", message=str(error), field=error.field), 422
        target = getattr(form, error.field, None) if error.field else None
        (target.errors if target is not None else form.form_errors).append(str(error))
        return editor_page(course, form, None if is_new else post, status=422)
    db.session.commit()
    if action == "autosave":
        return json_saved(course, result)
    return _after_save(course, post, now)


def _after_save(course: Course, post: Post, now):
    if post.is_live(now):
        flash("Your essay is published." if post.updated_at is None else "Your changes are published.", "success")
        _warn_of_undescribed_pictures(post)
        return redirect(url_for("posts.essay", slug=course.slug, post_slug=post.slug))
    if post.is_scheduled(now):
        flash("Your essay is scheduled. It appears on the blog at the time you chose.", "success")
        _warn_of_undescribed_pictures(post)
    else:
        flash("Draft saved.", "success")
    return redirect(url_for("posts.edit_post", slug=course.slug, post_id=post.id))


def _warn_of_undescribed_pictures(post: Post) -> None:
    """Readers who cannot see a picture hear its description: the editor's stand-in tells them nothing."""
    count = undescribed_pictures(post.body or "")
    if count:
        which = "A picture still says" if count == 1 else f"{count} pictures still say"
        flash(f"{which} “{UNDESCRIBED_PICTURE}”. Edit the essay and replace those words with what the picture "
              "shows, for readers who cannot see it.", "warning")


def _invalid_form(course: Course, post: Post | None, form):
    status = 400 if form.csrf_failed else 422
    if request.form.get("action") == "autosave":
        message = CSRF_REFUSED_KEPT if form.csrf_failed else "Some fields could not be read."
        return jsonify(error="invalid", message=message), status
    return editor_page(course, form, post, status=status)


@bp.route("/posts/new", methods=["GET", "POST"])
@login_or_401
@course_view(can_write_in)
@form_checks_csrf
def new_post(course: Course):
    now = utcnow()
    form = PostForm()
    form.assignment_id.choices = assignment_choices(course, None, now)
    if request.method == "POST":
        if form.validate_on_submit():
            return _save(course, None, form, now)
        return _invalid_form(course, None, form)
    wanted = id_from(request.args.get("assignment"))
    form.assignment_id.data = wanted if any(wanted == value for value, *_ in form.assignment_id.iter_choices()) else 0
    return editor_page(course, form, None)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_or_401
@course_view()
@form_checks_csrf
def edit_post(course: Course, post_id: int):
    post = own_post(course, post_id)
    now = utcnow()
    form = PostForm()
    form.assignment_id.choices = assignment_choices(course, post, now)
    if request.method == "POST":
        if form.validate_on_submit():
            return _save(course, post, form, now)
        return _invalid_form(course, post, form)
    restored = fill_form(form, post)
    return editor_page(course, form, post, restored=restored)


def _json_or_form():
    """The editor's script sends a JSON object; without the script, the form's fields. A JSON list or
    string is no object: read it as an empty form."""
    payload = request.get_json(silent=True)
    return payload if isinstance(payload, dict) else request.form


@bp.route("/posts/<int:post_id>/autosave", methods=["POST"])
@login_or_401
@course_view()
def autosave(course: Course, post_id: int):
    post = own_post(course, post_id)
    payload = _json_or_form()
    title = str(payload.get("title") or "").strip()
    body = str(payload.get("body") or "").replace("\r\n", "\n")
    version = id_from(str(payload.get("version", "")))  # JSON also allows 1e999, Infinity and true
    if version is None:
        return jsonify(error="invalid", message="The editor sent no version; reload the page."), 400
    now = utcnow()
    try:
        result = writing.autosave(post, current_user, title, body, expected_version=version, now=now,
                                  editor_page=str(payload.get("editor") or "") or None, terms=typed_terms(payload))
    except EditConflict as conflict:
        db.session.rollback()
        return _conflict_json(conflict)
    except PostError as error:
        db.session.rollback()
        return jsonify(error="invalid", message=str(error), field=error.field), 422
    db.session.commit()
    return json_saved(course, result)


@bp.route("/preview", methods=["POST"])
@limiter.limit(lambda: current_app.config["PREVIEW_RATE_LIMIT"], key_func=person_or_address)
@limiter.limit(lambda: current_app.config["PREVIEW_ADDRESS_RATE_LIMIT"])
@login_or_401
@course_view(can_write_in)
def preview(course: Course):
    payload = _json_or_form()
    body = str(payload.get("body") or "").replace("\r\n", "\n")
    if len(body) > writing.MAX_BODY_CHARS:
        message = f"The essay is longer than {writing.MAX_BODY_CHARS:,} characters."
        return jsonify(error="too_long", message=message), 422
    html, words = writing.rendered(body)
    return jsonify(html=html, word_count=words)


@bp.route("/drafts")
@course_view(can_write_in)
def drafts(course: Course):
    now = utcnow()
    mine = writing.drafts_of(course, current_user, now)
    others = writing.others_drafts(course, current_user, now) if can_see_private_work(current_user, course) else []
    facts = post_service.list_facts(course, mine + others)
    return render_template("posts/drafts.html", mine=mine, others=others, facts=facts, now=now,
                           own_trash=writing.own_trash(course, current_user, now))


@bp.route("/posts/<int:post_id>/revisions")
@login_or_401
@course_view()
def revisions(course: Course, post_id: int):
    post = post_service.course_post(course, post_id)
    if post is None or not (post.author_id == current_user.id or can_see_private_work(current_user, course)):
        abort(404)
    history = revisions_of(post)
    newer, older, label = _compared(post, history)
    rows = trim_context(diff_lines(older.body if older else "", newer.body if newer else ""))
    # Staff grade the essay as it stood at the due date: show that version whole, not only its changes.
    stood_html = writing.rendered(older.body)[0] if label == "due" and older else None
    return render_template(
        "posts/revisions.html", post=post, history=history, newer=newer, older=older, label=label, rows=rows,
        stood_html=stood_html,
        author_name=post_service.author_names(course, [post.author])[post.author_id],
    )


def _compared(post: Post, history):
    """(newer, older, label): the revision asked for (?rev=) and the one before it, or the essay as it
    stood at the due date against its latest version (?compare=due, staff)."""
    if not history:
        return None, None, None
    if request.args.get("compare") == "due" and post.assignment and post.assignment.post_due_at:
        return history[-1], as_it_stood(history, post.assignment.post_due_at), "due"
    wanted = id_from(request.args.get("rev"))
    index = next((i for i, r in enumerate(history) if r.id == wanted), len(history) - 1)
    return history[index], history[index - 1] if index > 0 else None, None


def _visible_for_action(course: Course, post_id: int) -> Post:
    post = post_service.course_post(course, post_id)
    if post is None:
        abort(404)
    if not (post.is_live(utcnow()) or post.author_id == current_user.id or can_see_private_work(current_user, course)):
        abort(404)
    return post


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
@login_or_401
@course_view()
def delete_post(course: Course, post_id: int):
    """GET asks first (what leaves the blog, what stays, how to undo); the page's button POSTs."""
    post = _visible_for_action(course, post_id)
    if not (can_edit_post(current_user, post) or can_moderate(current_user, course)):
        abort(403)
    if request.method == "GET" or post.is_trashed:
        return _confirm_trash_page(course, post)
    now = utcnow()
    writing.trash(post, current_user, now)
    db.session.commit()
    flash(_trashed_message(post), "success")
    if can_moderate(current_user, course):
        return redirect(url_for("posts.trash", slug=course.slug))
    return redirect(url_for("posts.drafts", slug=course.slug, _anchor="trash"))


def _confirm_trash_page(course: Course, post: Post):
    if post.is_trashed:
        flash(f"“{post.title or 'Untitled draft'}” is already in the trash.", "info")
        return redirect(url_for("posts.essay", slug=course.slug, post_slug=post.slug))
    now = utcnow()
    return render_template(
        "posts/confirm_trash.html", post=post, live=post.is_live(now), scheduled=post.is_scheduled(now),
        comments=post_service.visible_comment_counts([post.id])[post.id],
        own=post.author_id == current_user.id,
    )


def _trashed_message(post: Post) -> str:
    title = post.title or "Untitled draft"
    if post.author_id != current_user.id:
        return f"“{title}” is in the trash. Course staff can restore it from the Trash page."
    return (f"“{title}” is in the trash. You can restore it from the list below for "
            f"{writing.AUTHOR_RESTORE_DAYS} days.")


@bp.route("/posts/<int:post_id>/restore", methods=["POST"])
@login_or_401
@course_view()
def restore_post(course: Course, post_id: int):
    post = _visible_for_action(course, post_id)
    if not can_restore_post(current_user, post):
        abort(403)
    if not post.is_trashed:
        return redirect(url_for("posts.essay", slug=course.slug, post_slug=post.slug))
    writing.restore(post)
    db.session.commit()
    title = post.title or "Untitled draft"
    if post.is_live(utcnow()):
        flash(f"“{title}” is restored: it is back on the blog as it was, with its comments.", "success")
    else:
        flash(f"“{title}” is restored, as it was.", "success")
    return redirect(url_for("posts.essay", slug=course.slug, post_slug=post.slug))


@bp.route("/trash")
@course_view(can_moderate)
def trash(course: Course):
    posts = writing.trashed(course)
    return render_template("posts/trash.html", posts=posts, facts=post_service.list_facts(course, posts))
