"""An upload's cost is bounded by memory, not by its file size: each case runs in a fresh worker process
(tests/upload_worker.py) that handles one upload and reports the most memory it ever held."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from coursesite import PROJECT_ROOT
from tests.payloads_images import HOSTILE_IMAGES

WORKER_LIMIT_MB = 200


def handled_in_a_worker(tmp_path, data: bytes) -> dict:
    picture = tmp_path / "picture"
    picture.write_bytes(data)
    env = {**os.environ, "COURSESITE_INSTANCE_PATH": str(tmp_path / "instance")}
    done = subprocess.run([sys.executable, "-m", "tests.upload_worker", str(picture)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", HOSTILE_IMAGES)
def test_a_worker_handling_the_worst_uploads_stays_under_200_mb(tmp_path, name):
    make, status = HOSTILE_IMAGES[name]
    report = handled_in_a_worker(tmp_path, make())
    assert report["status"] == status
    assert report["peak_mb"] < WORKER_LIMIT_MB, report
