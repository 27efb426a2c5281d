"""`flask prune-cache`: the file cache's housekeeping, from cron."""

from __future__ import annotations

import re
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_caching.backends.filesystemcache import FileSystemCache

from coursesite.extensions import cache

# The files the cache writes: an entry is named by its key's hex digest, a write not finished ends in a suffix.
_CACHE_FILE = re.compile(r"[0-9a-f]{32,128}|.+" + re.escape(FileSystemCache._fs_transaction_suffix))


def prune_file_cache(folder: Path, timeout: int, now: float) -> int:
    """Remove the cache's files not written for `timeout` seconds, and say how many; any other file in the folder
    (one CACHE_DIR pointed somewhere shared) is left alone. Nothing is kept longer than the cache's default
    timeout (each key holds the versions of what it shows, so a changed page or count is written under a new
    key and the old file is never read again); removing an entry only costs counting it again."""
    removed = 0
    for path in folder.iterdir():
        if not _CACHE_FILE.fullmatch(path.name):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < now - timeout:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # a worker replaced or removed it meanwhile
            continue
    return removed


@click.command("prune-cache")
@with_appcontext
def prune_cache_command() -> None:
    """Remove the file cache's expired entries (cron, hourly); Redis and memory caches expire their own."""
    if not isinstance(cache.cache, FileSystemCache):
        click.echo(f"nothing to prune: {current_app.config['CACHE_TYPE']} removes expired entries itself")
        return
    folder = Path(current_app.config["CACHE_DIR"])
    removed = prune_file_cache(folder, current_app.config["CACHE_DEFAULT_TIMEOUT"], time.time())
    click.echo(f"removed {removed} expired {'entry' if removed == 1 else 'entries'} from {folder}")
