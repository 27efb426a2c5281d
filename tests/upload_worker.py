"""A worker process that handles one upload, then reports the most memory it ever held.

Run as `python -m tests.upload_worker IMAGE_FILE` (a fresh process, so nothing else the tests did counts);
prints the upload's HTTP status and the process's peak resident memory in MB, as JSON.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import tempfile
from pathlib import Path

from coursesite import create_app
from coursesite.extensions import db
from coursesite.models import Course
from coursesite.people import accounts

PASSWORD = "correct horse battery"


def _course() -> Course:
    user = accounts.create_user("worker@example.org", "Worker", PASSWORD)
    course = Course(created_by_id=user.id, slug="memory", title="Memory", timezone="UTC", visibility="public")
    db.session.add(course)
    db.session.flush()
    accounts.enroll(user, course, role="student")
    db.session.commit()
    return course


def main(image_file: str) -> None:
    data = Path(image_file).read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "memory-test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/db.sqlite3", "UPLOAD_FOLDER": f"{folder}/uploads",
            "MAIL_SERVER": None, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        })
        with app.app_context():
            db.create_all()
            slug = _course().slug
            client = app.test_client()
            client.post("/auth/login", data={"email": "worker@example.org", "password": PASSWORD})
            response = client.post(f"/c/{slug}/uploads", data={"image": (io.BytesIO(data), "picture")},
                                   headers={"Accept": "application/json"}, content_type="multipart/form-data")
            status = response.status_code
    print(json.dumps({"status": status, "peak_mb": round(peak_kb() / 1024, 1)}))


def peak_kb() -> int:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries it over from the
    process that started this one (the test, which drew the picture), whereas VmHWM starts afresh."""
    status = Path("/proc/self/status")
    if not status.exists():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    line = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1])


if __name__ == "__main__":
    main(sys.argv[1])
