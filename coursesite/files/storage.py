"""Where uploaded files live, behind three calls so another backend (S3, a shared volume) can replace it."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Protocol

KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}\.(?:png|jpg|gif|webp)$")


class Storage(Protocol):
    def save(self, data: bytes, extension: str) -> str: ...

    def open(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def is_key(key: str) -> bool:
    return bool(KEY.match(key))


class LocalStorage:
    """Files in one folder under instance/, named by random keys (never by what the user called them)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not is_key(key):
            raise KeyError(key)
        # Two levels of folders keep any one directory small.
        return self.root / key[:2] / key

    def save(self, data: bytes, extension: str) -> str:
        key = f"{secrets.token_urlsafe(18)}.{extension}"
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, path)  # readers never see half a file
        return key

    def open(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as error:
            raise KeyError(key) from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage_for(config: dict) -> Storage:
    return LocalStorage(config["UPLOAD_FOLDER"])
