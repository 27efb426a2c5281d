"""An upload's cost is bounded by memory, not by its file size: each case runs in a fresh worker process
(tests/upload_worker.py) that handles one upload and reports the most memory it ever held."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from PIL import Image

from coursesite import PROJECT_ROOT

WORKER_LIMIT_MB = 200


def animation(fmt: str, frames: int, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    pictures = [Image.new("RGB", size, (i * 5 % 256, 90, 160)) for i in range(frames)]
    pictures[0].save(out, fmt, save_all=True, append_images=pictures[1:], duration=60, loop=0)
    return out.getvalue()


def still(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 90).save(out, fmt)
    return out.getvalue()


def handled_in_a_worker(tmp_path, data: bytes) -> dict:
    picture = tmp_path / "picture"
    picture.write_bytes(data)
    env = {**os.environ, "COURSESITE_INSTANCE_PATH": str(tmp_path / "instance")}
    done = subprocess.run([sys.executable, "-m", "tests.upload_worker", str(picture)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("make, status", [
    (lambda: animation("GIF", 40, (2000, 2000)), 201),  # 188 KB, 160 million pixels over 40 frames
    (lambda: animation("PNG", 12, (2000, 2000)), 201),  # the same, as an APNG
    (lambda: animation("WEBP", 12, (2000, 2000)), 201),
    (lambda: still("PNG", (3840, 2160)), 201),  # the largest picture accepted, decoded whole and resized
    (lambda: still("PNG", (2000, 2000), "RGBA"), 201),
    (lambda: still("PNG", (20000, 20000), "1"), 400),  # a decompression bomb, refused from its header
], ids=["gif-40-frames", "apng", "animated-webp", "4k-screenshot", "transparent", "png-bomb"])
def test_a_worker_handling_the_worst_uploads_stays_under_200_mb(tmp_path, make, status):
    report = handled_in_a_worker(tmp_path, make())
    assert report["status"] == status
    assert report["peak_mb"] < WORKER_LIMIT_MB, report
