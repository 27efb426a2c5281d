"""Atom feeds of a public course: whole blog, one author, one assignment.

A members course has no feeds (404 for everyone): feed readers cannot log in, and a feed URL passed
around would otherwise carry members-only essays out of the course.
"""

from __future__ import annotations

from flask import Response, abort, request, url_for

from coursesite.coursework.assignments import is_open
from coursesite.essays import listing as post_service
from coursesite.extensions import db
from coursesite.models import Course, utcnow
from coursesite.permissions import load_course
from coursesite.posts import essay_feeds as feeds
from coursesite.posts.blueprint import bp


def _public_course(slug: str) -> Course:
    course = load_course(slug)
    if not course.is_public:
        abort(404)
    return course


def _feed_response(course: Course, spec: feeds.FeedSpec, query) -> Response:
    posts = list(db.session.scalars(post_service.newest_first(query).limit(feeds.FEED_SIZE)))
    names = post_service.author_names(course, (post.author for post in posts))
    root = request.host_url
    body = feeds.build_feed(
        course,
        spec,
        posts,
        authority=request.host.split(":")[0],
        root=root,
        link_for=lambda post: url_for("posts.essay", slug=course.slug, post_slug=post.slug, _external=True),
        name_for=lambda post: names.get(post.author_id, "A former member"),
    )
    return Response(body, content_type=feeds.CONTENT_TYPE)


def _spec(course: Course, title: str, scope: str, link: str, feed_endpoint: str, **args) -> feeds.FeedSpec:
    return feeds.FeedSpec(
        title=title, link=link, scope=scope,
        feed_url=url_for(feed_endpoint, slug=course.slug, _external=True, **args),
    )


@bp.route("/feed.atom")
def course_feed(slug: str):
    course = _public_course(slug)
    spec = _spec(course, course.title, "posts", url_for("posts.blog", slug=slug, _external=True), "posts.course_feed")
    return _feed_response(course, spec, post_service.visible_posts(course, utcnow()))


@bp.route("/author/<int:user_id>/feed.atom")
def author_feed(slug: str, user_id: int):
    course = _public_course(slug)
    person = post_service.course_author(course, user_id) or abort(404)
    name = post_service.author_names(course, [person])[person.id]
    link = url_for("posts.author", slug=slug, user_id=person.id, _external=True)
    spec = _spec(course, f"{course.title}: essays by {name}", f"author/{person.id}", link, "posts.author_feed",
                 user_id=person.id)
    return _feed_response(course, spec, post_service.by_author(post_service.visible_posts(course), person.id))


@bp.route("/assignment/<int:assignment_id>/feed.atom")
def assignment_feed(slug: str, assignment_id: int):
    course = _public_course(slug)
    assignment = post_service.course_assignment(course, assignment_id)
    if assignment is None or not is_open(assignment, utcnow()):
        abort(404)  # a feed is public, whoever fetches it: nothing of the assignment before it opens
    link = url_for("posts.by_assignment", slug=slug, assignment_id=assignment.id, _external=True)
    spec = _spec(course, f"{course.title}: {assignment.title}", f"assignment/{assignment.id}", link,
                 "posts.assignment_feed", assignment_id=assignment.id)
    return _feed_response(course, spec, post_service.by_assignment(post_service.visible_posts(course), assignment.id))
