"""Who may use each route of the posts blueprint (the table in docs/design.md#who-may-do-what).

Objects a user may not see answer 404 (another's draft); signed-in non-members of a members course
get 403; visitors are sent to log in (302). Members courses have no feeds: 404 for everyone.
"""

from __future__ import annotations

import io

from flask import current_app
from PIL import Image

from coursesite.extensions import db
from coursesite.files.storage import storage_for
from coursesite.files.uploads import save_upload
from coursesite.models import PostTerm, Term, utcnow
from tests.functional.authz_specs import Spec

EVERYONE_200 = {"anonymous": 200, "student": 200, "outsider": 200, "ta": 200, "instructor": 200, "admin": 200}
MEMBERS_200 = {"anonymous": 302, "student": 200, "outsider": 403, "ta": 200, "instructor": 200, "admin": 200}
EVERYONE_404 = {"anonymous": 404, "student": 404, "outsider": 404, "ta": 404, "instructor": 404, "admin": 404}
WRITERS = {"anonymous": 302, "student": 200, "outsider": 403, "ta": 200, "instructor": 200, "admin": 403}
STAFF = {"anonymous": 302, "student": 403, "outsider": 403, "ta": 200, "instructor": 200, "admin": 200}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def _tag_slug(w) -> str:
    """A tag on w.post, made on first use."""
    term = db.session.scalar(db.select(Term).where(Term.course_id == w.course.id, Term.slug == "authz-tag"))
    if term is None:
        term = Term(course_id=w.course.id, kind="tag", name="Authz tag", slug="authz-tag")
        db.session.add(term)
        db.session.flush()
        db.session.add(PostTerm(post_id=w.post.id, term_id=term.id))
        db.session.flush()
    return term.slug


def _upload_key(w, course) -> str:
    upload = save_upload(storage_for(current_app.config), course, w.student, _png())
    return upload.storage_key


def _essay_form(post):
    return lambda w: {"title": "Authorization check", "body": "Body text.", "action": "draft",
                      "version": getattr(w, post).version, "assignment_id": getattr(w, post).assignment_id or 0}


def _unopened(w):
    """An assignment of w.course that opens in three days, made on first use."""
    from datetime import timedelta

    from coursesite.models import utcnow
    from tests import factories as f

    if "unopened" not in w.extra:
        w.extra["unopened"] = f.make_assignment(w.course, opens_at=utcnow() + timedelta(days=3))
    return {"slug": w.course.slug, "assignment_id": w.extra["unopened"].id}


def _trashed_by_author(w):
    """w.draft, moved to the trash by its author (who may restore it for a while)."""
    if w.draft.deleted_at is None:
        w.draft.deleted_at, w.draft.deleted_by_id = utcnow(), w.student.id
        db.session.flush()
    return w.draft


def _slug(w):
    return {"slug": w.course.slug}


SPECS = [
    Spec("posts.blog", "GET", _slug, **{**EVERYONE_200, "student": 302}),  # a student's home: This week
    Spec("posts.blog", "GET", lambda w: {"slug": w.members_course.slug}, **{**MEMBERS_200, "student": 302}),
    Spec("posts.blog_listing", "GET", _slug, **EVERYONE_200),
    Spec("posts.blog_listing", "GET", lambda w: {"slug": w.members_course.slug}, **MEMBERS_200),
    Spec("posts.search", "GET", lambda w: {"slug": w.course.slug, "q": "essay"}, **EVERYONE_200),
    Spec("posts.search", "GET", lambda w: {"slug": w.members_course.slug, "q": "essay"}, **MEMBERS_200),
    Spec("posts.author", "GET", lambda w: {"slug": w.course.slug, "user_id": w.student.id}, **EVERYONE_200),
    Spec("posts.by_assignment", "GET", lambda w: {"slug": w.course.slug, "assignment_id": w.assignment.id},
         **EVERYONE_200),
    Spec("posts.by_term", "GET", lambda w: {"slug": w.course.slug, "kind": "tag", "term_slug": _tag_slug(w)},
         **EVERYONE_200),
    Spec("posts.essay", "GET", lambda w: {"slug": w.course.slug, "post_slug": w.post.slug}, **EVERYONE_200),
    Spec("posts.essay", "GET", lambda w: {"slug": w.course.slug, "post_slug": w.draft.slug},
         anonymous=404, student=200, outsider=404, ta=200, instructor=200, admin=200),
    Spec("posts.new_post", "GET", _slug, **WRITERS),
    Spec("posts.new_post", "POST", _slug,
         data={"title": "A new essay", "body": "Text.", "action": "draft", "version": 0, "assignment_id": 0},
         anonymous=302, student=302, outsider=403, ta=302, instructor=302, admin=403),
    Spec("posts.edit_post", "GET", lambda w: {"slug": w.course.slug, "post_id": w.post.id},
         anonymous=302, student=200, outsider=403, ta=403, instructor=403, admin=403),
    Spec("posts.edit_post", "GET", lambda w: {"slug": w.course.slug, "post_id": w.draft.id},
         anonymous=302, student=200, outsider=404, ta=403, instructor=403, admin=403),
    Spec("posts.edit_post", "POST", lambda w: {"slug": w.course.slug, "post_id": w.draft.id}, data=_essay_form("draft"),
         anonymous=302, student=302, outsider=404, ta=403, instructor=403, admin=403),
    Spec("posts.autosave", "POST", lambda w: {"slug": w.course.slug, "post_id": w.draft.id},
         data=lambda w: {"title": "Autosaved", "body": "Typed.", "version": w.draft.version},
         anonymous=302, student=200, outsider=404, ta=403, instructor=403, admin=403),
    Spec("posts.preview", "POST", _slug, data={"body": "Some *words*."}, **WRITERS),
    Spec("posts.revisions", "GET", lambda w: {"slug": w.course.slug, "post_id": w.post.id},
         anonymous=302, student=200, outsider=404, ta=200, instructor=200, admin=200),
    Spec("posts.delete_post", "POST", lambda w: {"slug": w.course.slug, "post_id": w.post.id},
         anonymous=302, student=302, outsider=403, ta=302, instructor=302, admin=302),
    Spec("posts.delete_post", "POST", lambda w: {"slug": w.course.slug, "post_id": w.peer_post.id},
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=302),
    Spec("posts.delete_post", "GET", lambda w: {"slug": w.course.slug, "post_id": w.post.id},
         anonymous=302, student=200, outsider=403, ta=200, instructor=200, admin=200),
    Spec("posts.delete_post", "GET", lambda w: {"slug": w.course.slug, "post_id": w.peer_post.id},
         anonymous=302, student=403, outsider=403, ta=200, instructor=200, admin=200),
    Spec("posts.restore_post", "POST", lambda w: {"slug": w.course.slug, "post_id": w.post.id},
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=302),
    Spec("posts.restore_post", "POST", lambda w: {"slug": w.course.slug, "post_id": _trashed_by_author(w).id},
         anonymous=302, student=302, outsider=404, ta=302, instructor=302, admin=302),
    Spec("posts.drafts", "GET", _slug, **WRITERS),
    Spec("posts.trash", "GET", _slug, **STAFF),
    Spec("posts.upload", "POST", _slug, data=lambda w: {"image": (io.BytesIO(_png()), "a.png"), "alt": "x"},
         anonymous=302, student=201, outsider=403, ta=201, instructor=201, admin=403),
    Spec("posts.upload_file", "GET", lambda w: {"slug": w.course.slug, "key": _upload_key(w, w.course)},
         **EVERYONE_200),
    Spec("posts.upload_file", "GET", lambda w: {"slug": w.members_course.slug,
                                                 "key": _upload_key(w, w.members_course)}, **MEMBERS_200),
    Spec("posts.course_feed", "GET", _slug, **EVERYONE_200),
    Spec("posts.course_feed", "GET", lambda w: {"slug": w.members_course.slug}, **EVERYONE_404),
    Spec("posts.author_feed", "GET", lambda w: {"slug": w.course.slug, "user_id": w.student.id}, **EVERYONE_200),
    Spec("posts.author_feed", "GET", lambda w: {"slug": w.members_course.slug, "user_id": w.student.id},
         **EVERYONE_404),
    Spec("posts.assignment_feed", "GET", lambda w: {"slug": w.course.slug, "assignment_id": w.assignment.id},
         **EVERYONE_200),
    # Before an assignment opens, its archive is for staff (and admins) only, and it has no feed.
    Spec("posts.by_assignment", "GET", _unopened,
         anonymous=404, student=404, outsider=404, ta=200, instructor=200, admin=200),
    Spec("posts.assignment_feed", "GET", _unopened, **EVERYONE_404),
    # A page no list can have (SQLite and PostgreSQL refuse the number itself).
    Spec("posts.blog", "GET", _slug, query={"page": "99999999999999999999999"}, **EVERYONE_404),
    Spec("posts.search", "GET", _slug, query={"q": "essay", "page": "99999999999999999999999"}, **EVERYONE_404),
]
