"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""

import gc

from coursesite import create_app
from coursesite.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # One clear line instead of a traceback: the operator has a setting to fix.
    raise SystemExit(f"Coursesite cannot start: {error}") from None

# What the app is made of lives as long as the worker: kept out of the garbage collector's passes, which
# otherwise walk all of it again and again while requests come and go.
gc.freeze()
