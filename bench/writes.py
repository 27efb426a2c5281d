"""Write load: 32 connections posting comments for 30 s, each connection a different student at a time.

Each connection works through its own students (connection i has students i, i+32, ...), one comment per
student per turn with a pause between turns, so no one person's rate limit is what gets measured. Sessions
and CSRF tokens are forged with the benchmark's secret, as a login would set them, before the load starts.
"""

from __future__ import annotations

import http.client
import secrets
import threading
import time
import urllib.parse

from sqlalchemy import create_engine, func, select

from coursesite.models import Assignment, Comment, Post

from .generate import SIZES, course_slug
from .server import csrf_token, gunicorn, session_cookie, worker_rss_mb

PORT = 5123
CONNECTIONS = 32
MARK = "Benchmark comment"


def _targets(db_url: str) -> list[str]:
    """Slugs of essays on the open assignment, where comments are still accepted."""
    engine = create_engine(db_url)
    with engine.connect() as connection:
        last = connection.scalar(select(Assignment.id).order_by(Assignment.post_due_at.desc()).limit(1))
        slugs = list(connection.scalars(select(Post.slug).where(Post.assignment_id == last)))
    engine.dispose()
    return slugs


def _stored(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count(Comment.id)).where(Comment.body.like(MARK + "%")))
    engine.dispose()
    return count


def _logins(students: list[int]) -> list[tuple[str, str]]:
    """(session cookie, form token) per student, made before the clock starts: a student stays logged in,
    and signing cookies in the load generator would take CPU from the server it measures."""
    logins = []
    for number in students:
        raw = secrets.token_hex(20)
        logins.append((session_cookie(f"{number + 1}:{_fingerprint()}", raw), csrf_token(raw)))
    return logins


def _writer(index: int, slug: str, essays: list[str], logins: list[tuple[str, str]], stop: float, tally: dict,
            lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    turn = 0
    while time.monotonic() < stop:
        cookie, token = logins[turn % len(logins)]
        body = f"{MARK} {index}-{turn}: " + "the archive shows a different story in the letters " * 6
        form = urllib.parse.urlencode({"body": body, "csrf_token": token, "parent_id": ""})
        essay = essays[(index * 7 + turn) % len(essays)]
        outcome = "errors"
        try:
            connection.request("POST", f"/c/{slug}/essays/{essay}/comments", body=form,
                               headers={"Cookie": f"session={cookie}",
                                        "Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            if response.status in (302, 303):
                outcome = "accepted"
            elif response.status == 429:
                outcome = "limited"
            elif response.status < 500:
                outcome = f"refused_{response.status}"
        except OSError:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        with lock:
            tally[outcome] = tally.get(outcome, 0) + 1
        turn += 1
        time.sleep(0.02)  # a person's think time is long; this is the gap between the students of a connection
    connection.close()


_FINGERPRINT: list[str] = []


def _fingerprint() -> str:
    """Every benchmark account shares one password hash, hence one session fingerprint."""
    if not _FINGERPRINT:
        import hashlib

        from werkzeug.security import generate_password_hash  # noqa: F401 - same hash as the generator wrote

        engine = create_engine(_DB_URL[0])
        with engine.connect() as connection:
            from coursesite.models import User

            hashed = connection.scalar(select(User.password_hash).where(User.id == 2))
        engine.dispose()
        _FINGERPRINT.append(hashlib.sha256(hashed.encode()).hexdigest()[:16])
    return _FINGERPRINT[0]


_DB_URL: list[str] = []


def run(db_url: str, db_name: str, size: str = "L", seconds: int = 30) -> dict:
    _DB_URL[:] = [db_url]
    _FINGERPRINT.clear()
    _fingerprint()
    essays = _targets(db_url)
    before = _stored(db_url)
    tally: dict = {}
    lock = threading.Lock()
    n_students = SIZES[size]
    logins = [_logins(list(range(i + 1, n_students + 1, CONNECTIONS)) or [i % n_students + 1])
              for i in range(CONNECTIONS)]
    with gunicorn("wsgi:app", PORT, db_url) as server:
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=_writer, args=(i, course_slug(size), essays, logins[i], stop, tally, lock))
                   for i in range(CONNECTIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rss = worker_rss_mb(server)
    stored = _stored(db_url) - before
    accepted = tally.get("accepted", 0)
    return {"db": db_name, "accepted": accepted, "stored": stored, "errors": tally.get("errors", 0),
            "per_s": round(accepted / seconds, 1), "rate_limited": tally.get("limited", 0),
            "refused": {k: v for k, v in tally.items() if k.startswith("refused_")}, "worker_rss_mb": rss}
