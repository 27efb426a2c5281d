"""The ceiling: a bare Flask app serving the essay page from memory, with the same gunicorn settings.

At start it renders the real essay pages once (through the app, on the benchmark database) and keeps the
HTML; each request then only renders a template around it: what any Flask page costs with no database.
    gunicorn 'bench.ceiling:app'   (COURSESITE_DATABASE_URL names the benchmark database)
"""

from __future__ import annotations

from flask import Flask, abort

from bench.generate import ESSAY_4, ESSAY_200


def _snapshots() -> dict[str, str]:
    from sqlalchemy import select

    from coursesite import create_app
    from coursesite.extensions import db
    from coursesite.models import Course

    real = create_app({"RATELIMIT_ENABLED": False})
    with real.app_context():
        slug = db.session.scalar(select(Course.slug))
        client = real.test_client()
        pages = {name: client.get(f"/c/{slug}/essays/{name}/").get_data(as_text=True) for name in (ESSAY_4, ESSAY_200)}
        db.session.remove()
        db.engine.dispose()
    return pages


PAGES = _snapshots()
app = Flask(__name__)
# Compiled once, as Flask's own template loader would: the ceiling pays for rendering, not for compiling.
PAGE = app.jinja_env.from_string("{{ page|safe }}")


@app.route("/c/<slug>/essays/<post_slug>/")
def essay(slug: str, post_slug: str):
    if post_slug not in PAGES:
        abort(404)
    return PAGE.render(page=PAGES[post_slug])


@app.route("/static/css/site.css")
def ready():
    return "ok"
