"""Reading: the course blog, its archives and search, and the essay page."""

from __future__ import annotations

from functools import lru_cache

from flask import abort, current_app, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from coursesite.discussion.thread import FORM_STATE_KEY, FormState, build_thread_context
from coursesite.essays import listing as post_service
from coursesite.essays.revisions import edited_after, revisions_of
from coursesite.extensions import db, limiter, person_or_address
from coursesite.forms import id_from, page_number
from coursesite.models import Assignment, Course, Post, utcnow
from coursesite.permissions import can_see_assignment, can_see_private_work, course_view, is_member, is_student
from coursesite.posts.blueprint import bp
from coursesite.posts.essay_cache import (
    essay_etag,
    is_visitor,
    keep_page,
    kept_page,
    not_modified,
    plain_read,
    shared_copy_allowed,
    visitor_page_key,
    with_validators,
)
from coursesite.posts.essay_fragments import comment_parts
from coursesite.text.words import excerpt

PER_PAGE = 10


@bp.app_template_filter("excerpt")
def excerpt_filter(html: str) -> str:
    return excerpt(html or "")


@bp.app_template_filter("comments_label")
def comments_label(count: int) -> str:
    """WordPress's words: "No Comments", "1 Comment", "5 Comments"."""
    if not count:
        return "No Comments"
    return "1 Comment" if count == 1 else f"{count} Comments"


@bp.app_template_global()
def assignment_url(assignment: Assignment) -> str:
    """Members go to the assignment itself (once the courses blueprint has that page); readers to its essays."""
    course = assignment.course
    if "courses.assignment" in current_app.view_functions and is_member(current_user, course):
        return url_for("courses.assignment", slug=course.slug, assignment_id=assignment.id)
    return url_for("posts.by_assignment", slug=course.slug, assignment_id=assignment.id)


def _listing(course: Course, query: Select, **context):
    """One page of essays, newest first, with names and comment counts in a fixed number of queries."""
    page = db.paginate(post_service.newest_first(query), page=page_number(), per_page=PER_PAGE, error_out=False)
    if page.page > 1 and not page.items:
        abort(404)
    facts = post_service.list_facts(course, page.items)
    if context.get("search_text"):
        context["hits"] = post_service.search_hits(course, page.items, context["search_text"])
    context.setdefault("feed_url", None)
    sidebar = post_service.sidebar(course)
    sidebar["assignments"] = [a for a in sidebar["assignments"] if can_see_assignment(current_user, a)]
    return render_template("posts/blog.html", page=page, facts=facts, sidebar=sidebar, **context)


def _feed_if_public(course: Course, endpoint: str, **args) -> str | None:
    return url_for(endpoint, slug=course.slug, **args) if course.is_public else None


@bp.route("/")
@course_view()
def blog(course: Course):
    """The course's home: the blog, except for a signed-in student, whose home is This week."""
    if not request.args and is_student(current_user, course):
        return redirect(url_for("week.course", slug=course.slug))
    return _whole_blog(course)


@bp.route("/blog/")
@course_view()
def blog_listing(course: Course):
    """The blog for everyone, students included."""
    return _whole_blog(course)


def _whole_blog(course: Course):
    return _listing(course, post_service.visible_posts(course), feed_url=_feed_if_public(course, "posts.course_feed"))


@bp.route("/search")
@limiter.limit(lambda: current_app.config["SEARCH_RATE_LIMIT"], key_func=person_or_address)
@limiter.limit(lambda: current_app.config["SEARCH_ADDRESS_RATE_LIMIT"])
@course_view()
def search(course: Course):
    text = (request.args.get("q") or "").strip()[: post_service.SEARCH_MAX_CHARS]
    found = post_service.found_essays(course, text)
    query = post_service.visible_posts(course).where(Post.id.in_(found.ids))
    return _listing(course, query, heading="Search", search_text=text, more_found=found.more,
                    too_short=found.too_short, most_listed=post_service.SEARCH_MOST_LISTED,
                    newest_searched=post_service.SEARCH_NEWEST_FIRST)


@bp.route("/author/<int:user_id>/")
@course_view()
def author(course: Course, user_id: int):
    person = post_service.course_author(course, user_id) or abort(404)
    name = post_service.author_names(course, [person])[person.id]
    return _listing(
        course,
        post_service.by_author(post_service.visible_posts(course), person.id),
        heading=f"Essays by {name}",
        feed_url=_feed_if_public(course, "posts.author_feed", user_id=person.id),
    )


@bp.route("/assignment/<int:assignment_id>/")
@course_view()
def by_assignment(course: Course, assignment_id: int):
    assignment = post_service.course_assignment(course, assignment_id)
    if assignment is None or not can_see_assignment(current_user, assignment):
        abort(404)
    return _listing(
        course,
        post_service.by_assignment(post_service.visible_posts(course), assignment.id),
        heading=f"Essays for {assignment.title}",
        archive_assignment=assignment,
        feed_url=_feed_if_public(course, "posts.assignment_feed", assignment_id=assignment.id),
    )


@bp.route("/<any(category, tag):kind>/<term_slug>/")
@course_view()
def by_term(course: Course, kind: str, term_slug: str):
    term = post_service.find_term(course, kind, term_slug) or abort(404)
    return _listing(
        course,
        post_service.by_term(post_service.visible_posts(course), term),
        heading=f"{kind.title()}: {term.name}",
    )


def _may_see(post: Post, now) -> bool:
    if post.is_live(now):
        return True
    return post.author_id == current_user.id or can_see_private_work(current_user, post.course)


@bp.route("/essays/<post_slug>/")
@course_view()
def essay(course: Course, post_slug: str):
    now = utcnow()
    # The author and the assignment in the same statement for a page to be rendered, which shows both; a visitor
    # of a public course is most often answered with the page kept for visitors, which needs neither.
    shown_with = () if course.is_public and is_visitor() else _shown_with()
    post = post_service.find_post(course, post_slug, *shown_with)
    if post is None or not _may_see(post, now):
        abort(404)
    # Decided before rendering, which takes the messages waiting: a page showing one is neither tagged nor kept.
    # Nor is a signed-in reader's, which no browser keeps (security.SIGNED_IN_PAGE) and so never asks about.
    tagged = plain_read() and current_user.is_anonymous
    shared = tagged and shared_copy_allowed(course, post, now)
    comment_page = page_number("cpage")
    key = visitor_page_key(course, post, now, comment_page) if shared else None
    etag, html = (kept_page(key) if shared else None) or (None, None)
    if html is None:
        context = _essay_context(course, post, now, can_see_private_work(current_user, course), comment_page)
        etag = essay_etag(course, post, context) if tagged else None
        # A number past the last page shows the last page: neither kept under that number nor shared by proxies,
        # or every number up to the largest id would be a copy of it in their caches.
        shared = shared and context["comment_pages"].number == comment_page
    answer = not_modified(etag) if tagged else None
    if answer is None:
        if html is None:
            html = render_template("posts/essay.html", **context)
            if shared and not session.modified:
                keep_page(key, etag, html)
        answer = make_response(html)
    return with_validators(answer, etag, shared) if tagged else answer


@lru_cache(maxsize=1)
def _shown_with() -> tuple:
    """The loader options of an essay page that is rendered, made once: every such page asks for them."""
    return joinedload(Post.author), joinedload(Post.assignment)


def _essay_context(course: Course, post: Post, now, staff_view: bool, comment_page: int) -> dict:
    """Everything the essay page shows beyond the course, the essay's own row and the reader; of the comments,
    page `comment_page`, or the one holding the comment a link names (`?comment=<id>`)."""
    previous, following = post_service.neighbours(post, now)
    edited_after_due = False
    if staff_view and post.assignment is not None and post.assignment.post_due_at is not None:
        edited_after_due = edited_after(revisions_of(post), post.assignment.post_due_at)
    thread = build_thread_context(post, current_user, _comment_form(), page=comment_page,
                                  comment_id=id_from(request.args.get("comment")))
    return dict(
        post=post,
        author_name=post_service.author_names(course, [post.author])[post.author_id],
        previous=previous,
        following=following,
        now=now,
        staff_view=staff_view,
        edited_after_due=edited_after_due,
        feed_url=_feed_if_public(course, "posts.course_feed"),
        comment_parts=comment_parts(course, thread["comment_thread"]),
        **thread,
    )


def _comment_form() -> FormState:
    """After a refused comment, what was typed and why (comments.create leaves it on the request); otherwise the
    reply form that `?replytocom=<id>` opens without JavaScript."""
    state = request.environ.get(FORM_STATE_KEY)
    return state if state is not None else FormState(parent_id=id_from(request.args.get("replytocom")))
