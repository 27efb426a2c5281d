"""In-process page timings: median server time and SQL statements per page, through the Flask test client.

Each page is requested as the person who would see it (a student for the blog, essays, editor and their own
lists; the instructor for the dashboard pages).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import delete, event, select

from coursesite import create_app
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, Course, Enrollment, Grade, GradeChange, Post, User, utcnow
from coursesite.services.comments import create_comment
from coursesite.services.grades import GradeEntry, save_grade
from coursesite.services.writing import EssayText, new_post, save

from .generate import ESSAY_4, ESSAY_200
from .writes import MARK

PAGES = ("blog", "essay-4", "essay-200", "editor", "my-work", "my-comments", "dashboard", "student", "assignment",
         "canvas-csv")
STAFF_PAGES = {"dashboard", "student", "assignment", "canvas-csv"}
ENDPOINTS = {
    "blog": "posts.blog",
    "essay-4": "posts.essay",
    "essay-200": "posts.essay",
    "editor": "posts.new_post",
    "my-work": "courses.my_work",
    "my-comments": "comments.my_comments",
    "dashboard": "dashboard.home",
    "student": "dashboard.student",
    "assignment": "dashboard.assignment",
    "canvas-csv": "dashboard.export_canvas",
}
TIME_BUDGET_S = 4.0  # per page: as many runs as fit, at least 3, at most 25
MAX_RUNS = 25
REBUILT_RUNS = 3  # the dashboard with nothing stored, after a new comment, after a grade


@dataclass
class World:
    slug: str
    student_id: int
    student_session: str
    instructor_session: str
    assignment_id: int
    open_assignment_id: int
    post_slugs: dict[str, str]


def _world() -> World:
    course = db.session.scalar(select(Course))
    student = db.session.scalar(select(User).where(User.email == "student7@bench.test"))
    instructor = db.session.scalar(select(User).where(User.email == "instructor@bench.test"))
    assignment_ids = db.session.scalars(select(Assignment.id).order_by(Assignment.post_due_at)).all()
    return World(course.slug, student.id, student.get_id(), instructor.get_id(), assignment_ids[0], assignment_ids[-1],
                 {"essay-4": ESSAY_4, "essay-200": ESSAY_200})


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
    if page == "dashboard":
        result.update(_rebuilt(app, client, url, counter))
        result.update(_after_changes(app, client, url, counter, world))
    return result


def _rebuilt(app: Flask, client, url: str, counter: QueryCounter) -> dict:
    """The dashboard with no summary stored, as on the first view after any change: an empty store each time."""
    kept, times, queries = app.config["PAGE_CACHE_DIR"], [], []
    with tempfile.TemporaryDirectory() as directory:
        for run in range(REBUILT_RUNS):
            app.config["PAGE_CACHE_DIR"] = f"{directory}/{run}"
            counter.count = 0
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            queries.append(counter.count)
    app.config["PAGE_CACHE_DIR"] = kept
    return {"rebuilt_ms": round(statistics.median(times), 2), "rebuilt_queries": max(queries)}


def _first_views_after(app: Flask, client, url: str, counter: QueryCounter, change) -> tuple[float, int]:
    """Median time and most statements of the dashboard's first view after each of three `change(run)`s."""
    times, queries = [], []
    client.get(url)  # the summary stored
    for run in range(REBUILT_RUNS):
        with app.test_request_context():
            change(run)
        counter.count = 0
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        queries.append(counter.count)
    return round(statistics.median(times), 2), max(queries)


def _forget_comments() -> None:
    db.session.execute(delete(Comment).where(Comment.body.like(MARK + "%")))


def _forget_grades() -> None:
    graded = select(Grade.id).where(Grade.feedback.like(MARK + "%"))
    db.session.execute(delete(GradeChange).where(GradeChange.grade_id.in_(graded)))
    db.session.execute(delete(Grade).where(Grade.feedback.like(MARK + "%")))


def _forget_posts() -> None:
    db.session.execute(delete(Post).where(Post.title.like(MARK + "%")))


def _after_changes(app: Flask, client, url: str, counter: QueryCounter, world: World) -> dict:
    """The first view after a student comments (`updated_`), the instructor grades (`graded_`) and a student
    publishes a post (`published_`): each time the stored summary re-judges that student's row only."""
    result = {}
    for kind, change, forget in (("updated", _comment, _forget_comments), ("graded", _grade, _forget_grades),
                                 ("published", _publish, _forget_posts)):
        ms, queries = _first_views_after(app, client, url, counter, lambda run, change=change: change(world, run))
        with app.app_context():
            forget()
            db.session.commit()
        result.update({f"{kind}_ms": ms, f"{kind}_queries": queries})
    return result


def _student(run: int) -> User:
    """One of the first students of the course, by `run`."""
    return db.session.scalars(select(User).join(Enrollment, Enrollment.user_id == User.id)
                              .where(Enrollment.role == "student").order_by(User.id).offset(run).limit(1)).one()


def _publish(world: World, run: int) -> None:
    """A post written and published by one of the first students, as the editor saves it."""
    author = _student(run)
    course, now = db.session.scalar(select(Course)), utcnow()
    essay = new_post(course, author, None, now)
    save(essay, author, EssayText(f"{MARK} {run}: the airlift seen from below", "The archive tells another story."),
         publish=True, expected_version=0, now=now)
    db.session.commit()


def _grade(world: World, run: int) -> None:
    """The instructor's grade for one of the ungraded students of the open assignment, as the site saves it."""
    instructor = db.session.scalar(select(User).where(User.email == "instructor@bench.test"))
    assignment = db.session.get(Assignment, world.open_assignment_id)
    student_id = db.session.scalars(
        select(Post.author_id).where(Post.assignment_id == assignment.id, ~Post.author_id.in_(
            select(Grade.student_id).where(Grade.assignment_id == assignment.id)))
        .order_by(Post.author_id).limit(1)).one()
    entry = GradeEntry(single=assignment.post_points * 0.8, feedback=f"{MARK} {run}: a clear thesis, well argued.")
    save_grade(assignment, student_id, instructor, entry, 0, utcnow())
    db.session.commit()


def _comment(world: World, run: int) -> None:
    """A comment by one of the first students on another's essay of the open assignment, as the site writes it."""
    author = _student(run)
    essay = db.session.scalars(select(Post).where(Post.assignment_id == world.open_assignment_id,
                                                  Post.author_id != author.id).order_by(Post.id).limit(1)).one()
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == author.id))
    create_comment(essay, author, enrollment, f"{MARK} {run}: the letters in the archive tell another story.")
    db.session.commit()


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
