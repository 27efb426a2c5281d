"""The app works under OpenTelemetry's official Flask and SQLAlchemy instrumentation: every route (the
authorization matrix's table) answers as specified, never 500, and every SQL statement run appears as a span.

Operators turn this instrumentation on in production; a statement run around SQLAlchemy's execution path
(before_cursor_execute with no cursor, no "after" event) made it fail with a 500."""

from __future__ import annotations

import pytest
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import event

from coursesite.extensions import db
from tests.conftest import AuthActions
from tests.functional.authz_specs import Spec, build_world, load_specs
from tests.functional.security.test_authorization import _resolve, _url

SPECS = load_specs()
MEMBER_ROLES = ("student", "ta", "instructor", "admin")


def roles_for(spec: Spec) -> list[str]:
    """A visitor, and the first person the route serves (its success path, which reads and writes most)."""
    served = next((role for role in MEMBER_ROLES if spec.expected(role) < 400), "student")
    return ["anonymous", served]
SQL_SCOPE = "opentelemetry.instrumentation.sqlalchemy"


@pytest.fixture(scope="module")
def tracing():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrumented: list = []
    yield exporter, provider, instrumented
    SQLAlchemyInstrumentor().uninstrument()
    for app in instrumented:
        FlaskInstrumentor.uninstrument_app(app)


@pytest.fixture
def app_config(base_config, tmp_path):
    # A configuration of its own, so the instrumented app (and engine) is not the one other modules share.
    return {**base_config, "UPLOAD_FOLDER": str(tmp_path / "uploads"), "OPENTELEMETRY_UNDER_TEST": True}


@pytest.fixture
def traced(app, tracing):
    exporter, provider, instrumented = tracing
    if app not in instrumented:
        FlaskInstrumentor().instrument_app(app, tracer_provider=provider)
        SQLAlchemyInstrumentor().instrument(engine=db.engine, tracer_provider=provider, skip_dep_check=True)
        instrumented.append(app)
    exporter.clear()
    return exporter


class StatementCounter:
    """Statements as SQLAlchemy reports them: started, and finished."""

    def __init__(self, engine):
        self.engine, self.started, self.finished = engine, 0, 0

    def _before(self, *args) -> None:
        self.started += 1

    def _after(self, *args) -> None:
        self.finished += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def _sql_spans(exporter) -> list:
    return [span for span in exporter.get_finished_spans()
            if span.instrumentation_scope.name == SQL_SCOPE and span.name != "connect"]


@pytest.mark.parametrize("spec", SPECS, ids=[f"{s.id} {i}" for i, s in enumerate(SPECS)])
def test_every_route_works_and_every_statement_is_traced(app, traced, spec: Spec):
    for role in roles_for(spec):
        world = build_world()
        client = app.test_client()
        user = world.user(role)
        if user is not None:
            assert AuthActions(client).login(user).status_code == 302
        url = _url(app, spec, world)
        kwargs = {}
        if spec.json is not None:
            kwargs["json"] = _resolve(spec.json, world)
        elif spec.data is not None:
            kwargs["data"] = _resolve(spec.data, world)
        traced.clear()
        with StatementCounter(db.engine) as statements:
            response = client.open(url, method=spec.method, **kwargs)
        assert response.status_code == spec.expected(role), f"{spec.method} {url} as {role}: {response.status_code}"
        assert statements.started == statements.finished, "a statement began and never finished"
        assert len(_sql_spans(traced)) == statements.finished, f"{spec.method} {url} as {role}"
        assert any(span.instrumentation_scope.name.endswith("flask") for span in traced.get_finished_spans())
