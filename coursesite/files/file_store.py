"""Files every worker shares under PAGE_CACHE_DIR: dashboard summaries.

Each file is named by a key that changes with what it holds, so a file is never stale, only unused; it is
written aside and renamed, so no worker reads half of one; files not written for a day are pruned now and
then. An empty PAGE_CACHE_DIR turns the store off.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import time
from contextlib import suppress
from functools import lru_cache
from pathlib import Path

from flask import current_app

LIFETIME_S = 24 * 3600
PRUNE_ONE_IN = 256  # writes; pruning walks the directory, so only now and then


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code, templates and static files: nothing stored by an earlier deploy is used."""
    from coursesite import PROJECT_ROOT

    digest = hashlib.sha256()
    for folder, pattern in (("coursesite", "*.py"), ("templates", "*"), ("static", "*")):
        for path in sorted((PROJECT_ROOT / folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _hashed(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def path_for(*key: str, suffix: str, folder: tuple[str, ...] = ()) -> Path | None:
    """The file for this key, or None when the store is off.

    Files with the same `folder` (one course's dashboard summaries) share a directory, so that writing one
    can remove the others (write(..., only_one=True)): a large course's summary is megabytes.
    """
    directory = current_app.config.get("PAGE_CACHE_DIR")
    if not directory:
        return None
    # The database is part of the name: one instance directory may serve several databases.
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    path = Path(directory)
    if folder:
        path = path / _hashed(database, *folder)[:32]
    return path / f"{_hashed(database, *folder, *key)}{suffix}"


def read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path | None, data: bytes, only_one: bool = False) -> bool:
    """Keep `data` at `path`; with `only_one`, remove the other files of its folder. False (and a warning in
    the log) when the directory cannot take it."""
    if path is None:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        current_app.logger.warning("could not write to the shared store in %s", path.parent)
        return False
    if only_one:
        for entry in os.scandir(path.parent):
            if entry.name != path.name and not entry.name.startswith(".tmp-"):
                with suppress(OSError):  # another worker removed it first
                    os.unlink(entry.path)
    if secrets.randbelow(PRUNE_ONE_IN) == 0:
        prune(Path(current_app.config["PAGE_CACHE_DIR"]))
    return True


def prune(directory: Path, older_than_s: float = LIFETIME_S) -> int:
    """Delete files not written for a day (their keys have long changed), and folders left empty; returns
    how many files."""
    cutoff, removed = time.time() - older_than_s, 0
    for entry in os.scandir(directory):
        try:
            if entry.is_dir(follow_symlinks=False):
                removed += prune(Path(entry.path), older_than_s)
                with suppress(OSError):  # not empty: a summary written within the day
                    os.rmdir(entry.path)
            elif entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue  # another worker pruned it first
    return removed
