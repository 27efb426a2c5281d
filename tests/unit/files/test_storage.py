from __future__ import annotations

import pytest

from coursesite.files.storage import LocalStorage, is_key


def test_save_open_delete(tmp_path):
    storage = LocalStorage(tmp_path)
    key = storage.save(b"bytes", "png")
    assert is_key(key) and key.endswith(".png")
    assert storage.open(key) == b"bytes"
    storage.delete(key)
    with pytest.raises(KeyError):
        storage.open(key)
    storage.delete(key)  # deleting twice is fine


def test_keys_are_random_and_never_paths(tmp_path):
    storage = LocalStorage(tmp_path)
    assert storage.save(b"a", "png") != storage.save(b"a", "png")
    for bad in ("../../etc/passwd", "a/b.png", "short.png", "x" * 20 + ".svg", "", "x" * 20 + ".png/"):
        assert not is_key(bad)
        with pytest.raises(KeyError):
            storage.open(bad)
