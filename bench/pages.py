"""In-process page timings: median server time (warm and cold) and SQL statements per page, through the Flask
test client.

Each database and size is measured in a process of its own (`python -m bench.pages URL SIZE DB OUT`), as a
worker serves one site: measured after the other sizes in the same process, the dashboard at M on PostgreSQL
took 100 ms cold instead of 86-89.

Each page is requested as the person who would see it (a student for the blog, This week, essays, editor and
their own lists; the instructor for the dashboard pages).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import event, select

from bench.generate import ESSAY_4, ESSAY_200
from coursesite import create_app, extensions
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Post, User

STAFF_PAGES = {"dashboard", "activity", "student", "assignment", "canvas-csv"}
ENDPOINTS = {
    "blog": "posts.blog_listing",  # a student's course home is This week; the blog has its own address
    "this-week": "week.course",
    "essay-4": "posts.essay",
    "essay-200": "posts.essay",
    "editor": "posts.new_post",
    "my-work": "courses.my_work",
    "my-comments": "comments.my_comments",
    "dashboard": "dashboard.home",
    "activity": "dashboard.activity",
    "student": "dashboard.student",
    "assignment": "dashboard.assignment",
    "canvas-csv": "dashboard.export_canvas",
    "search": "posts.search",
    "search-rare": "posts.search",
    "search-rare-3": "posts.search",
    "search-short": "posts.search",
    "essays-in-turn": "posts.essay",
}
# Words in most of the generated essays; a word in none, of eight letters and of three (which PostgreSQL's planner
# took for common); and a word too short for an index beside a common one: the ways a search goes
# (essays/listing.py).
SEARCHES = {"search": "empire famine", "search-rare": "telegram", "search-rare-3": "zqx", "search-short": "zq empire"}
PAGES = tuple(ENDPOINTS)
# A class reading: a different essay each view, as the student's first view of it, with the cache already holding
# more entries than cachelib's default threshold (500), as it does once a class has read for a while; then each
# essay again. Its `cold_ms` is the median of the first views, `median_ms` of the second.
READING = "essays-in-turn"
READING_ESSAYS = 200
CACHE_ALREADY_HOLDING = 600
TIME_BUDGET_S = 4.0  # per page: as many runs as fit, at least 3, at most 25
MAX_RUNS = 25
COLD_RUNS = 3  # views with every cache cleared first


@dataclass
class World:
    slug: str
    student_id: int
    student_session: str
    instructor_session: str
    assignment_id: int
    open_assignment_id: int
    post_slugs: dict[str, str]
    reading: list[str]  # essays with comments, for READING


def _world() -> World:
    course = db.session.scalar(select(Course))
    student = db.session.scalar(select(User).where(User.email == "student7@bench.test"))
    instructor = db.session.scalar(select(User).where(User.email == "instructor@bench.test"))
    assignment_ids = db.session.scalars(select(Assignment.id).order_by(Assignment.post_due_at)).all()
    commented = select(Comment.post_id)
    reading = db.session.scalars(select(Post.slug).where(Post.status == "published", Post.id.in_(commented))
                                 .order_by(Post.id).limit(READING_ESSAYS)).all()
    return World(course.slug, student.id, student.get_id(), instructor.get_id(), assignment_ids[0], assignment_ids[-1],
                 {"essay-4": ESSAY_4, "essay-200": ESSAY_200, READING: reading[0]}, list(reading))


def _url(app: Flask, page: str, endpoint: str, world: World) -> str:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values: dict = {"slug": world.slug}
    for arg in rule.arguments:
        if arg == "post_slug":
            values[arg] = world.post_slugs[page]
        elif arg == "assignment_id":
            values[arg] = world.assignment_id
        elif arg in {"user_id", "student_id"}:
            values[arg] = world.student_id
        elif arg == "enrollment_id":
            values[arg] = world.student_id  # the generator gives each enrollment its user's id
    if page == "editor":
        values["assignment"] = world.open_assignment_id
    if page in SEARCHES:
        values["q"] = SEARCHES[page]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


class QueryCounter:
    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def measure_page(app: Flask, page: str, world: World, counter: QueryCounter) -> dict:
    url = _url(app, page, ENDPOINTS[page], world)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = world.instructor_session if page in STAFF_PAGES else world.student_session
        session["_fresh"] = True
    if page == READING:
        return _measure_reading(app, client, world, counter, url)
    response = client.get(url)  # warm-up: templates compiled, caches filled
    if response.status_code != 200:
        return {"page": page, "median_ms": None, "queries": None, "note": f"HTTP {response.status_code} for {url}"}
    times, queries = [], []
    started = time.perf_counter()
    while len(times) < MAX_RUNS and (len(times) < 3 or time.perf_counter() - started < TIME_BUDGET_S):
        counter.count = 0
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        queries.append(counter.count)
    result = {"page": page, "median_ms": round(statistics.median(times), 2), "queries": max(queries), "url": url}
    result["cold_ms"] = _cold(app, client, url)
    return result


def _measure_reading(app: Flask, client, world: World, counter: QueryCounter, url: str) -> dict:
    client.get(url)  # warm-up: templates compiled
    _clear_caches(app)
    with app.app_context():
        for number in range(CACHE_ALREADY_HOLDING):
            extensions.cache.set(f"bench-read-before-{number}", "x" * 2000)
    first, again, queries = [], [], []
    for slug in world.reading:
        essay = url.replace(f"/{world.reading[0]}/", f"/{slug}/")
        for times in (first, again):
            counter.count = 0
            t0 = time.perf_counter()
            client.get(essay)
            times.append((time.perf_counter() - t0) * 1000)
            queries.append(counter.count)
    return {"page": READING, "median_ms": round(statistics.median(again), 2), "queries": max(queries), "url": url,
            "cold_ms": round(statistics.median(first), 2)}


def _clear_caches(app: Flask) -> None:
    """What a first view finds: no Flask-Caching entries (where the app has that cache) and no stored files
    (older versions kept dashboard summaries under PAGE_CACHE_DIR; kept here to time them before and after)."""
    cache = getattr(extensions, "cache", None)
    if cache is not None:
        with app.app_context():
            cache.clear()
    stored = app.config.get("PAGE_CACHE_DIR")
    if stored and Path(stored).is_dir():
        shutil.rmtree(stored, ignore_errors=True)


def _cold(app: Flask, client, url: str) -> float:
    """Median time of COLD_RUNS views, each after every cache is cleared (the session is per request anyway)."""
    times = []
    for _run in range(COLD_RUNS):
        _clear_caches(app)
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def measure(url: str, size: str, db_name: str, pages=PAGES) -> list[dict]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "MAIL_TO_LOG": False})
    with app.app_context():
        world = _world()
        engine = db.engine
        db.session.remove()
    counter = QueryCounter(engine)
    # Each request runs in its own app context, as under a server (no session or g shared between requests).
    results = [{"size": size, "db": db_name, **measure_page(app, page, world, counter)} for page in pages]
    engine.dispose()
    return results


def main() -> None:
    url, size, db_name, out = sys.argv[1:5]
    Path(out).write_text(json.dumps(measure(url, size, db_name)))


if __name__ == "__main__":
    main()
