"""Benchmark data: one course of S, M or L students with 15 weeks of essays and peer comments.

Rows go in as bulk inserts of plain dicts with explicit ids (the ORM unit of work would take minutes at L),
passwords share one precomputed hash, and texts come from a pool rendered once with the site's own renderer.
Known slugs: `bench-essay-4` (exactly 4 comments) and `bench-essay-200` (200 comments, some threads).

    python -m bench.generate --size M --url sqlite:////tmp/bench-data/M.sqlite3
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text
from werkzeug.security import generate_password_hash

from coursesite import create_app
from coursesite.extensions import db
from coursesite.models import Assignment, Comment, CommentRevision, Course, Enrollment, Post, User, utcnow
from coursesite.text.markdown import render_comment, render_essay

SIZES = {"S": 30, "M": 300, "L": 3000}
ASSIGNMENTS = 15
COMMENTS_PER_ESSAY = 3  # K
PASSWORD = "bench-password"  # noqa: S105 - throwaway benchmark accounts
ESSAY_4 = "bench-essay-4"
ESSAY_200 = "bench-essay-200"
CHUNK = 2000

WORDS = (
    "archive", "treaty", "empire", "colony", "reform", "revolution", "harvest", "railway", "parliament",
    "strike", "census", "famine", "border", "migration", "memory", "witness", "letter", "newspaper", "pamphlet",
    "ministry", "province", "harbour", "frontier", "council", "monarchy", "republic", "armistice", "ration",
    "factory", "union", "suffrage", "soldier", "refugee", "mission", "charter", "tariff", "embassy", "the", "a",
    "of", "and", "in", "to", "that", "was", "were", "which", "their", "its", "by", "with", "from", "as", "on",
    "for", "but", "not", "this", "these", "those", "historians", "argue", "evidence", "suggests",
    "contemporaries", "believed", "sources", "show", "records", "reveal", "however",
)


def course_slug(size: str) -> str:
    return f"bench-{size.lower()}"


def student_email(number: int) -> str:
    return f"student{number}@bench.test"


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    return " ".join(words).capitalize() + "."


def _text(rng: random.Random, low: int, high: int, per_paragraph: int) -> str:
    target = rng.randint(low, high)
    paragraphs, words = [], 0
    while words < target:
        sentences = [_sentence(rng) for _ in range(per_paragraph)]
        words += sum(len(s.split()) for s in sentences)
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _pool(rng: random.Random, count: int, low: int, high: int, per_paragraph: int, render) -> list[tuple]:
    pool = []
    for _ in range(count):
        body = _text(rng, low, high, per_paragraph)
        pool.append((body, render(body), len(body.split())))
    return pool


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])


def _people(n_students: int, now) -> tuple[list[dict], list[dict]]:
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    users = [dict(id=1, email="instructor@bench.test", display_name="Bench Instructor", password_hash=hashed,
                  can_create_courses=True, is_admin=False, is_guest=False, notify_email="off", created_at=now)]
    users += [dict(id=n + 1, email=student_email(n), display_name=f"Student {n:04d}", password_hash=hashed,
                   can_create_courses=False, is_admin=False, is_guest=False, notify_email="off", created_at=now)
              for n in range(1, n_students + 1)]
    enrollments = [dict(id=u["id"], course_id=1, user_id=u["id"], role="instructor" if u["id"] == 1 else "student",
                        extra_minutes=0, comment_suspended=False, joined_at=now) for u in users]
    return users, enrollments


def _assignments(now) -> list[dict]:
    rows = []
    for number in range(1, ASSIGNMENTS + 1):
        due = now - timedelta(weeks=ASSIGNMENTS - number, days=2)  # the last one is due in five days
        rows.append(dict(id=number, course_id=1, title=f"Essay {number}: a source and its silences",
                         prompt="Write about one source.", prompt_html="<p>Write about one source.</p>",
                         opens_at=due - timedelta(days=7), post_due_at=due, comments_due_at=due + timedelta(days=4),
                         required_comments=COMMENTS_PER_ESSAY, min_comment_words=40, min_post_words=300,
                         post_points=10, comment_points=5, late_policy="penalty", grace_minutes=15,
                         penalty_percent_per_day=10, penalty_cap_percent=50, peer_mode="open",
                         peer_scope="course", comments_counted_per_essay=1, created_at=now - timedelta(weeks=16)))
    return rows


def generate(size: str, seed: int = 8) -> dict:
    """Fill an empty database (the app context's) with the course of this size; returns row counts."""
    rng = random.Random(seed)
    now = utcnow()
    n_students = SIZES[size]
    essays = _pool(rng, 120, 300, 900, 6, render_essay)
    remarks = _pool(rng, 400, 40, 150, 3, render_comment)
    users, enrollments = _people(n_students, now)
    db.session.execute(insert(Course), [dict(
        id=1, slug=course_slug(size), title=f"Benchmark course {size}", term="Fall 2026", description="",
        timezone="America/New_York", visibility="public", allow_indexing=False, join_code=f"BENCH{size}00",
        comment_moderation="off", comment_edit_minutes=15, created_at=now - timedelta(weeks=16), created_by_id=None)])
    _insert(User, users)
    _insert(Enrollment, enrollments)
    assignments = _assignments(now)
    _insert(Assignment, assignments)
    posts, comments, revisions = [], [], []
    student_ids = [u["id"] for u in users[1:]]
    for assignment in assignments:
        due = assignment["post_due_at"]
        for author in student_ids:
            if due > now and rng.random() < 0.5:
                continue  # half the class has not posted the open assignment yet
            if rng.random() < 0.05:
                continue  # missing work
            late = rng.random() < 0.08
            published = due + timedelta(hours=rng.randint(1, 60)) if late else due - timedelta(hours=rng.randint(1, 90))
            published = min(published, now - timedelta(minutes=5))
            body, html, words = rng.choice(essays)
            post_id = len(posts) + 1
            posts.append(dict(id=post_id, course_id=1, author_id=author, assignment_id=assignment["id"],
                              title=f"Essay {post_id} on the archive", slug=f"essay-{post_id}", body=body,
                              body_html=html, status="published", word_count=words, version=1,
                              created_at=published, published_at=published, modified_at=published))
    _comments_for(rng, posts, student_ids, remarks, comments, revisions, now)
    _insert(Post, posts)
    _insert(Comment, comments)
    _insert(CommentRevision, revisions)
    if db.engine.dialect.name == "postgresql":
        for table in ("users", "enrollments", "courses", "assignments", "posts", "comments", "comment_revisions"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                                    f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    db.session.commit()
    # The tables as a live site has them: statistics (on SQLite the app would gather them when a worker next
    # connects, coursesite/database.py), and on PostgreSQL, as autovacuum leaves them, the visibility map too,
    # without which every index-only scan also reads the table. VACUUM runs outside a transaction; on SQLite,
    # coursesite/database.py begins one whatever the isolation level.
    postgres = db.engine.dialect.name == "postgresql"
    options = {"isolation_level": "AUTOCOMMIT"} if postgres else {}
    with db.engine.connect().execution_options(**options) as connection:
        connection.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
        connection.commit()
    return {"students": n_students, "posts": len(posts), "comments": len(comments)}


def _comments_for(rng, posts, student_ids, remarks, comments, revisions, now) -> None:
    """K comments per essay from other students, some late, some replies; two essays with known counts."""
    posts[0]["slug"], posts[1]["slug"] = ESSAY_4, ESSAY_200
    wanted = {0: 4, 1: 200}
    for index, post in enumerate(posts):
        count = wanted.get(index, COMMENTS_PER_ESSAY)
        on_post: list[dict] = []
        for _ in range(count):
            if on_post and rng.random() < 0.15:
                parent = rng.choice(on_post)
                author, parent_id = post["author_id"], parent["id"]
            else:
                author = rng.choice(student_ids)
                author, parent_id = (author if author != post["author_id"] else student_ids[0]), None
            late = rng.random() < 0.1
            at = post["published_at"] + timedelta(days=rng.randint(5, 9) if late else rng.randint(0, 3),
                                                   minutes=rng.randint(1, 600))
            at = min(at, now - timedelta(minutes=1))
            body, html, words = rng.choice(remarks)
            comment = dict(id=len(comments) + 1, post_id=post["id"], author_id=author, parent_id=parent_id, body=body,
                           body_html=html, word_count=words, status="visible", created_at=at)
            comments.append(comment)
            on_post.append(comment)
            revisions.append(dict(id=comment["id"], comment_id=comment["id"], body=body, word_count=words,
                                  created_at=at))


def build(url: str, size: str) -> dict:
    if url.startswith("sqlite:///"):
        # A new file rather than DROP TABLE: dropping is a row-by-row delete under foreign keys.
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        counts = generate(size)
        db.session.remove()
        db.engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the database to fill (emptied first)")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = build(args.url, args.size)
    print(f"{args.size}: {counts} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
