"""gunicorn settings for Coursesite behind nginx (deploy/nginx/coursesite.conf).

    gunicorn -c deploy/gunicorn.conf.py wsgi:app

COURSESITE_BIND and COURSESITE_WORKERS override the address and the number of workers.
"""

import multiprocessing
import os

# Only nginx talks to gunicorn: listen on the loopback address nginx proxies to.
bind = os.environ.get("COURSESITE_BIND", "127.0.0.1:8000")
# Sync workers, two per core: a request waiting on the database blocks only its own worker.
workers = int(os.environ.get("COURSESITE_WORKERS", str(multiprocessing.cpu_count() * 2)))
worker_class = "sync"
backlog = 2048
# A request slower than this is stuck; the worker is replaced. Uploads and imports finish well within it.
timeout = 60
graceful_timeout = 30
# Workers are recycled now and then, at different times, so slow growth never adds up.
max_requests = 5000
max_requests_jitter = 500
# nginx on this host sets X-Forwarded-For / X-Forwarded-Proto; trust them from it only.
forwarded_allow_ips = "127.0.0.1"
accesslog = os.environ.get("COURSESITE_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("COURSESITE_LOG_LEVEL", "info")
