"""Throughput of the essay pages under gunicorn, driven by wrk at 1, 8 and 32 connections (front "app"), and of the
4-comment essay for visitors through the production nginx front (deploy/, front "nginx") at 8 connections; and the
app's floor (bench/floor.py) for the 4-comment essay at 8 connections, for visitors and signed in."""

from __future__ import annotations

import re
import secrets
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.front import nginx
from bench.generate import ESSAY_4, ESSAY_200, course_slug
from bench.server import gunicorn, session_cookie

CONNECTIONS = (1, 8, 32)
PAGES = {"essay-4": ESSAY_4, "essay-200": ESSAY_200}
LUA = """
local cookie = "%s"
if cookie ~= "" then wrk.headers["Cookie"] = "session=" .. cookie end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%f\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), summary.duration))
end
"""
PORT = 5121
CEILING_PORT = 5122
FLOOR_PORT = 5123
NGINX_PORT = 8121
CACHE_DIR = Path("/tmp/bench-inst/cache")  # server.environment's instance folder


def warm(url: str, cookie: str | None) -> None:
    """Every worker compiles its templates on its first requests; measure warm workers."""
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": f"session={cookie}"} if cookie else {})  # noqa: S310
    for _ in range(12):
        urllib.request.urlopen(request, timeout=60).read()  # noqa: S310 - our own server on 127.0.0.1


def wrk(url: str, connections: int, seconds: int, cookie: str | None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-", delete=False) as script:
        script.write(LUA % (cookie or ""))
    threads = min(connections, 2)
    output = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                             "--timeout", "10s", "-s", script.name, url],
                            capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+)", output)
    requests, failures, bad_status, p50, p99, duration_us = found.groups()
    return {"rps": round(int(requests) / (float(duration_us) / 1e6), 1), "p50_ms": round(int(p50) / 1000, 2),
            "p99_ms": round(int(p99) / 1000, 2), "errors": int(failures) + int(bad_status)}


def run(db_url: str, size: str, student_session_id: str, seconds: int = 5) -> tuple[list[dict], list[dict]]:
    """Our essay pages, and the ceiling measured around them: machines of this kind change speed from minute
    to minute, so the ceiling of a page is the median of the runs before and right after each of our
    8-connection runs (and the floor's), with every server up (an idle one costs nothing)."""
    slug = course_slug(size)
    results, ceiling = [], []
    shutil.rmtree(CACHE_DIR, ignore_errors=True)  # kept from a run on other data
    with (gunicorn("wsgi:app", PORT, db_url), gunicorn("bench.ceiling:app", CEILING_PORT, db_url),
          gunicorn("bench.floor:app", FLOOR_PORT, db_url),
          tempfile.TemporaryDirectory(prefix="bench-nginx-") as front_dir,
          nginx(Path(front_dir), NGINX_PORT, PORT)):
        for page, post_slug in PAGES.items():
            url = f"http://127.0.0.1:{PORT}/c/{slug}/essays/{post_slug}/"
            ceiling_url = f"http://127.0.0.1:{CEILING_PORT}/c/{slug}/essays/{post_slug}/"
            warm(ceiling_url, None)
            ceiling_runs = [wrk(ceiling_url, 8, seconds, None)["rps"]]
            # A signed-in browser's session holds its form token from the first page with a form.
            student = session_cookie(student_session_id, secrets.token_hex(20))
            for user, cookie in (("anonymous", None), ("student", student)):
                warm(url, cookie)
                for connections in CONNECTIONS:
                    figures = wrk(url, connections, seconds, cookie)
                    results.append({"page": page, "user": user, "front": "app", "connections": connections,
                                    **figures})
                    if connections == 8:
                        ceiling_runs.append(wrk(ceiling_url, 8, seconds, None)["rps"])
            if post_slug == ESSAY_4:
                front_url = f"http://127.0.0.1:{NGINX_PORT}/c/{slug}/essays/{post_slug}/"
                warm(front_url, None)
                figures = wrk(front_url, 8, seconds, None)
                results.append({"page": page, "user": "anonymous", "front": "nginx", "connections": 8, **figures})
                ceiling_runs.append(wrk(ceiling_url, 8, seconds, None)["rps"])
                floor_url = f"http://127.0.0.1:{FLOOR_PORT}/bench-floor/{slug}/essays/{post_slug}/"
                for user, cookie in (("anonymous", None), ("student", student)):
                    warm(floor_url, cookie)
                    figures = wrk(floor_url, 8, seconds, cookie)
                    results.append({"page": page, "user": user, "front": "floor", "connections": 8, **figures})
                ceiling_runs.append(wrk(ceiling_url, 8, seconds, None)["rps"])
            ceiling.append({"page": page, "rps": round(statistics.median(ceiling_runs), 1), "runs": ceiling_runs})
    return results, ceiling
