"""Static files: a content hash in every URL, a year's cache lifetime, and gzip for clients that take it.

url_for('static', filename=...) adds `v=<hash of the file>`, so a changed file gets a new URL and a browser
may keep each version for a year without asking. A request with an old or missing `v` is still answered,
but must be revalidated. Text files are gzipped once per worker: they change only with a deploy.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

A_YEAR_S = 365 * 24 * 3600
COMPRESSED = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@lru_cache(maxsize=256)
def _read(path: str, _mtime_ns: int) -> tuple[bytes, str]:
    data = Path(path).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:12]


@lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(_read(path, mtime_ns)[0], compresslevel=9, mtime=0)


def _file(filename: str) -> tuple[str, int] | None:
    """The file's path and modification time (part of the cache key, so an edited file is read again)."""
    path = safe_join(current_app.static_folder, filename)
    if path is None:
        return None
    try:
        found = os.stat(path)  # once: each page links several files
    except OSError:
        return None
    return (path, found.st_mtime_ns) if stat.S_ISREG(found.st_mode) else None


def add_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values:
        found = _file(values.get("filename", ""))
        if found is not None:
            values["v"] = _read(*found)[1]


def serve(filename: str) -> Response:
    found = _file(filename)
    suffix = Path(filename).suffix
    if found is None or suffix not in COMPRESSED:
        return current_app.send_static_file(filename)
    data, version = _read(*found)
    gzipped = request.accept_encodings.quality("gzip") > 0
    response = Response(_gzipped(*found) if gzipped else data, mimetype=COMPRESSED[suffix])
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(version, weak=True)
    if request.args.get("v") == version:
        response.cache_control.public = True
        response.cache_control.max_age = A_YEAR_S
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def register_static_assets(app: Flask) -> None:
    app.url_defaults(add_version)
    app.view_functions["static"] = serve
