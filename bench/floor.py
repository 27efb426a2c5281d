"""The app's floor: what any Coursesite page costs before it reads anything of its own.

The real app (`wsgi:app`: its extensions' hooks, the session, Flask-Login loading a signed-in reader, the
security headers) answering the ceiling's kept essay HTML at an address of its own, with no statement of the
page. Between the ceiling and the floor is the framework and being signed in; between the floor and the essay
page is the page itself.
    gunicorn 'bench.floor:app'   (COURSESITE_DATABASE_URL names the benchmark database)
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from bench.ceiling import PAGES
from wsgi import app

PAGE = app.jinja_env.from_string("{{ page|safe }}")


def essay(slug: str, post_slug: str):
    if post_slug not in PAGES:
        abort(404)
    # Every page's permission check asks who is reading: for a signed-in reader, Flask-Login's user loader runs.
    current_user.is_authenticated  # noqa: B018 - read for its effect
    return PAGE.render(page=PAGES[post_slug])


app.add_url_rule("/bench-floor/<slug>/essays/<post_slug>/", "bench_floor", essay)
