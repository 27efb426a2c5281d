"""`make scan`'s resource attacks on a running server: hostile images (tests/payloads_images.py) uploaded by a
student, the memory each gunicorn worker then held, and the editor's preview sent until it is rate limited."""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.live_server import LiveServer
from tests.payloads_images import HOSTILE_IMAGES

WORKER_LIMIT_MB = 200
COURSE = "demo-101"


def _send(opener, url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - our own server
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _csrf_token(opener, base: str) -> str:
    page = opener.open(f"{base}/c/{COURSE}/posts/new", timeout=30).read().decode()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _workers_peak_mb(server: LiveServer) -> dict[int, float]:
    """Each gunicorn worker's peak resident memory (VmHWM), by process id."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = {}
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks[int(pid)] = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    return peaks


def hostile_images(server: LiveServer, opener) -> list[str]:
    token, problems = _csrf_token(opener, server.url), []
    for name, (make, expected) in HOSTILE_IMAGES.items():
        boundary, body = encode_multipart({"image": FileStorage(io.BytesIO(make()), name)})
        status, _ = _send(opener, f"{server.url}/c/{COURSE}/uploads", body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json",
            "X-CSRFToken": token})
        if status != expected:
            problems.append(f"resources: image {name!r} answered {status}, expected {expected}")
    peaks = _workers_peak_mb(server)
    print(f"resources: workers peaked at {sorted(round(peak) for peak in peaks.values())} MB", flush=True)
    for pid, peak in peaks.items():
        if peak >= WORKER_LIMIT_MB:
            problems.append(f"resources: worker {pid} reached {peak:.0f} MB handling hostile images")
    return problems


def preview_flood(server: LiveServer, opener, requests: int = 1000) -> list[str]:
    """Every worker keeps its own count in memory://, so send enough to pass the limit in each."""
    token = _csrf_token(opener, server.url)
    body = json.dumps({"body": "A *preview*"}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token}
    for _ in range(requests):
        status, reply = _send(opener, f"{server.url}/c/{COURSE}/preview", body, headers)
        if status == 429:
            return [] if json.loads(reply).get("message") else ["resources: the preview's 429 has no message"]
    return [f"resources: {requests} previews in a row were never rate limited"]
