"""Write load: 32 connections posting comments for 30 s, each request from a different student in turn.

wrk drives it (bench/writes.lua), as it drives the page loads: a load generator in Python would take a
good part of the two cores from the server it measures. Each wrk thread works through its own students,
one comment per student per turn, with a pause after each response on a connection, so no one person's
rate limit is what gets measured. Sessions and form tokens are forged with the benchmark's secret, as a
login would set them, before the load starts.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, func, select

from bench.generate import SIZES, course_slug
from bench.server import csrf_token, gunicorn, session_cookie, worker_rss_mb
from coursesite.models import Assignment, Comment, Post

PORT = 5123
CONNECTIONS = 32
THREADS = 2
MARK = "Benchmark comment"
SCRIPT = Path(__file__).resolve().parent / "writes.lua"


def _targets(db_url: str) -> list[str]:
    """Slugs of essays on the open assignment, where comments are still accepted."""
    engine = create_engine(db_url)
    with engine.connect() as connection:
        last = connection.scalar(select(Assignment.id).order_by(Assignment.post_due_at.desc()).limit(1))
        slugs = list(connection.scalars(select(Post.slug).where(Post.assignment_id == last)))
    engine.dispose()
    return slugs


def _stored(db_url: str, accepted: list[str]) -> int:
    """How many of the accepted comments (their ids, from the redirects) are in the database."""
    ids = [int(i) for i in accepted if i.isdigit()]
    engine = create_engine(db_url)
    with engine.connect() as connection:
        count = sum(connection.scalar(select(func.count(Comment.id)).where(Comment.id.in_(ids[i:i + 1000])))
                    for i in range(0, len(ids), 1000))
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


def _load(slug: str, essays: list[str], logins: list[tuple[str, str]], seconds: int) -> tuple[dict, list[str]]:
    """Run wrk with the students' logins and the essays in a data file: its tally of responses by kind, and
    the ids of the comments accepted. A post still in flight when wrk stops is in neither."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", prefix="bench-writes-", delete=False) as data:
        data.write(f"{MARK}\n" + "\t".join(f"/c/{slug}/essays/{essay}/comments" for essay in essays) + "\n")
        data.writelines(f"{cookie}\t{token}\n" for cookie, token in logins)
    output = subprocess.run(
        ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(SCRIPT), f"http://127.0.0.1:{PORT}", "--", data.name, str(THREADS)],
        capture_output=True, text=True, check=True).stdout
    Path(data.name).unlink()
    tally = json.loads(re.search(r"^TALLY (.*)$", output, re.MULTILINE).group(1))
    return tally, re.search(r"^ACCEPTED ?(.*)$", output, re.MULTILINE).group(1).split()


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
    logins = _logins(list(range(1, SIZES[size] + 1)))
    with gunicorn("wsgi:app", PORT, db_url) as server:
        tally, accepted_ids = _load(course_slug(size), essays, logins, seconds)
        rss = worker_rss_mb(server)
    stored = _stored(db_url, accepted_ids)
    accepted = tally.get("accepted", 0)
    return {"db": db_name, "accepted": accepted, "stored": stored, "errors": tally.get("errors", 0),
            "per_s": round(accepted / seconds, 1), "rate_limited": tally.get("limited", 0),
            "refused": {k: v for k, v in tally.items() if k.startswith("refused_")}, "worker_rss_mb": rss}
