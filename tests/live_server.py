"""A real Coursesite server on 127.0.0.1 with a throwaway instance and the demo loaded.

Used by the browser journeys (tests/e2e) and by `make scan`. As a command it serves until killed:

    python -m tests.live_server --port 5000 --instance /tmp/x --log server.log
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class LiveServer:
    """gunicorn serving this checkout's code (not an installed copy) from a fresh instance folder."""

    def __init__(self, port: int | None = None, instance: Path | None = None, log: Path | None = None,
                 workers: int = 2, env: dict[str, str] | None = None):
        self.port = port or free_port()
        self.instance = instance or Path(tempfile.mkdtemp(prefix="coursesite-live-"))
        self.log = log or self.instance / "server.log"
        self.workers = workers
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COURSESITE_")}
        env.update(
            COURSESITE_INSTANCE_PATH=str(self.instance),
            COURSESITE_ENV="development",
            COURSESITE_MAIL_TO_LOG="1",
            COURSESITE_BASE_URL=self.url,
            PYTHONPATH=str(PROJECT_ROOT),
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60) -> LiveServer:
        self.instance.mkdir(parents=True, exist_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        log = self._log_file = self.log.open("ab")
        subprocess.run([sys.executable, "-m", "coursesite.setup_db"], cwd=PROJECT_ROOT, env=self._env(),
                       stdout=log, stderr=subprocess.STDOUT, check=True, timeout=120)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", "4",
             "--bind", f"{HOST}:{self.port}", "--access-logfile", "-", "--timeout", "60", "wsgi:app"],
            cwd=PROJECT_ROOT, env=self._env(), stdout=log, stderr=subprocess.STDOUT,
        )
        self._wait_until_up(timeout)
        return self

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:  # noqa: S310 - our own server
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def remove_instance(self) -> None:
        shutil.rmtree(self.instance, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--instance", type=Path, default=None)
    parser.add_argument("--log", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the app, e.g. COURSESITE_RATELIMIT_ENABLED=0")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    server = LiveServer(args.port, args.instance, args.log, args.workers, env=env).start()
    print(server.url, flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping and server.process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
