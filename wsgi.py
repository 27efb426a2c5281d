"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""

from coursesite import create_app
from coursesite.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # One clear line instead of a traceback: the operator has a setting to fix.
    raise SystemExit(f"Coursesite cannot start: {error}") from None
