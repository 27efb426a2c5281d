"""Debian's nginx with the production site (deploy/nginx/coursesite.conf), run as this user in a folder of its
own, on 127.0.0.1, in front of a gunicorn on another port. Used by the benchmark and tests/deploy."""

from __future__ import annotations

import getpass
import os
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")
ROOT = Path(__file__).resolve().parent.parent


def nginx_config(directory: Path, nginx_port: int, app_port: int) -> Path:
    """The deploy site with its ports and folders moved into `directory`, inside a top-level nginx.conf."""
    site = (ROOT / "deploy" / "nginx" / "coursesite.conf").read_text()
    site = (site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
            .replace("listen 80;", f"listen 127.0.0.1:{nginx_port};")
            .replace("/var/cache/nginx/coursesite", str(directory / "cache"))
            .replace("/srv/coursesite/static/", f"{ROOT / 'static'}/"))
    if f"127.0.0.1:{app_port}" not in site or str(directory / "cache") not in site:
        raise RuntimeError("deploy/nginx/coursesite.conf no longer has the lines this replaces")
    (directory / "site.conf").write_text(site)
    # As root, nginx's workers would switch to `nobody`, who cannot write in this folder.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    config = directory / "nginx.conf"
    temp = "\n    ".join(f"{kind}_temp_path {directory}/{kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config.write_text(f"""{user}
daemon off;
worker_processes 2;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    {temp}
    include {directory}/site.conf;
}}
""")
    return config


@contextmanager
def nginx(directory: Path, nginx_port: int, app_port: int):
    """nginx running in front of 127.0.0.1:`app_port` until the block ends."""
    config = nginx_config(directory, nginx_port, app_port)
    with (directory / "nginx.log").open("w") as log:
        process = subprocess.Popen([str(NGINX), "-p", str(directory), "-c", str(config)],
                                   stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait_until_up(f"http://127.0.0.1:{nginx_port}/static/css/site.css")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own server on 127.0.0.1
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not answer at {url}")
