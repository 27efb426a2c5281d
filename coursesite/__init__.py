"""Coursesite: a course blog with required peer comments and participation grading."""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from flask import Flask

from coursesite.forms import CoursesiteRequest, IdConverter

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = Path(os.environ.get("COURSESITE_INSTANCE_PATH", PROJECT_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.request_class = CoursesiteRequest
    app.url_map.converters["int"] = IdConverter
    register_config(app, test_config)
    register_extensions(app)
    register_security(app)
    register_mail(app)
    register_templates(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    return app


def register_config(app: Flask, test_config: dict | None) -> None:
    from coursesite.config import build_config, engine_options, url_settings

    app.config.from_mapping(build_config(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
        if "SQLALCHEMY_ENGINE_OPTIONS" not in test_config:  # the database given here, not the environment's
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.update(url_settings(app.config["BASE_URL"]))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plugin otherwise


def register_extensions(app: Flask) -> None:
    from coursesite.database import configure_sqlite
    from coursesite.extensions import cache, csrf, db, limiter, login_manager, migrate
    from coursesite.models import MAX_ID, AnonymousUser, User
    from coursesite.participation import versions  # noqa: F401  (its session listeners raise the versions)
    from coursesite.security import login_to_continue

    db.init_app(app)
    # An absolute path: `flask db ...` and the tests work from any directory.
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.anonymous_user = AnonymousUser
    login_manager.unauthorized_handler(login_to_continue)

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # "<id>:<session fingerprint>": a changed password, or a logout, ends the sessions opened before it.
        user_id, _, fingerprint = str(session_id).partition(":")
        user = db.session.get(User, int(user_id)) if user_id.isdigit() and int(user_id) <= MAX_ID else None
        if user is None or fingerprint != user.session_fingerprint:
            return None
        return user

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)


def register_security(app: Flask) -> None:
    from coursesite.security import init_security
    from coursesite.static_assets import register_static_assets

    init_security(app)
    register_static_assets(app)


def register_mail(app: Flask) -> None:
    """Mail committed during a request goes once its response is sent (notifications/mail.py says why): the
    server closes the response after sending all of it."""
    from coursesite.notifications import mail

    @app.before_request
    def _hold_mail() -> None:
        mail.hold_committed_mail()

    @app.after_request
    def _send_mail_after_the_response(response):
        held = mail.held_mail()
        if held and response.direct_passthrough:
            mail.deliver_all(app, held)  # a file sent as it is (send_file) is never closed by Werkzeug
        elif held:
            response.call_on_close(partial(mail.deliver_all, app, held))
        return response

    @app.teardown_request
    def _send_mail_of_a_request_without_response(_error) -> None:
        # With PROPAGATE_EXCEPTIONS (debug), a view that committed and then raised has no response to close.
        held = mail.held_mail()
        if held:
            mail.deliver_all(app, held)


def register_templates(app: Flask) -> None:
    from coursesite.templating import init_templating

    init_templating(app)


def register_blueprints(app: Flask) -> None:
    from coursesite.auth.views import bp as auth_bp
    from coursesite.comments.views import bp as comments_bp
    from coursesite.courses import (  # noqa: F401 - each adds its routes to the courses blueprint
        assignment_views,
        exception_views,
        invitation_views,
        roster_views,
        work_views,
    )
    from coursesite.courses.views import bp as courses_bp
    from coursesite.dashboard.views import bp as dashboard_bp
    from coursesite.grades.views import bp as grades_bp
    from coursesite.posts.views import bp as posts_bp
    from coursesite.week.views import bp as week_bp

    for bp in (auth_bp, courses_bp, dashboard_bp, grades_bp, comments_bp, posts_bp, week_bp):
        app.register_blueprint(bp)
    from coursesite.courses.wxr_views import bp as wxr_bp
    from coursesite.privacy.admin_views import bp as admin_bp
    from coursesite.privacy.views import bp as privacy_bp

    for bp in (wxr_bp, privacy_bp, admin_bp):
        app.register_blueprint(bp)
    from coursesite.lti import init_lti

    init_lti(app)


def register_errors(app: Flask) -> None:
    from coursesite.errors import init_errors

    init_errors(app)


def register_cli(app: Flask) -> None:
    from coursesite.cli import init_cli

    init_cli(app)
