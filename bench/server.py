"""Start and stop gunicorn on 127.0.0.1 with the benchmark's settings, and forge session cookies.

Settings: 4 sync workers (2 per core on the 2-core machine the targets assume). Sync workers keep each
request on one thread, so the measured figure is the app's own work, not thread scheduling; a request that
waits on the database blocks only its worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import _create_identifier
from itsdangerous import URLSafeTimedSerializer

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-not-for-production"  # noqa: S105 - signs cookies of throwaway benchmark accounts
WORKERS = 4
GUNICORN_ARGS = ["-w", str(WORKERS), "--worker-class", "sync", "--backlog", "2048", "--log-level", "warning"]


def environment(url: str) -> dict:
    return {**os.environ, "COURSESITE_SECRET_KEY": SECRET, "COURSESITE_DATABASE_URL": url,
            "COURSESITE_INSTANCE_PATH": "/tmp/bench-inst", "COURSESITE_MAIL_TO_LOG": "0",
            "COURSESITE_ENV": "benchmark", "COURSESITE_BASE_URL": "http://127.0.0.1", "PYTHONPATH": str(ROOT)}


@contextmanager
def gunicorn(app_path: str, port: int, url: str = "sqlite://"):
    command = [sys.executable, "-m", "gunicorn", *GUNICORN_ARGS, "-b", f"127.0.0.1:{port}", app_path]
    process = subprocess.Popen(command, cwd=ROOT, env=environment(url), stdout=subprocess.DEVNULL)
    try:
        _wait_until_up(port)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(port: int) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start on port {port}")


def worker_rss_mb(process: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def session_cookie(session_id: str, csrf_raw: str | None = None) -> str:
    """The cookie Flask-Login would set after a password login (no password hashing in the load loop).

    It carries the session identifier that login sets: for the load generators, a client at 127.0.0.1
    sending no User-Agent. Without it, session protection marks the session no longer fresh on every
    request, and every response signs and sends a new cookie, which no browser's session does."""
    app = Flask("bench")
    app.secret_key = SECRET
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _create_identifier()
    data = {"_user_id": session_id, "_fresh": True, "_id": identifier}
    if csrf_raw:
        data["csrf_token"] = csrf_raw
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)


def csrf_token(csrf_raw: str) -> str:
    """The form token Flask-WTF derives from the raw token kept in the session."""
    return URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token").dumps(csrf_raw)
