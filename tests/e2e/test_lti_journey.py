"""An LMS page frames Coursesite: its course page posts the LTI login into an iframe, its sign-in endpoint posts
the signed launch back, and the student lands, inside the frame, on the essay editor of the linked assignment.

The LMS is a small HTTP server in this process on 127.0.0.1 (its key set, course page and OIDC endpoint); the
live server fetches its key set from there.
"""

from __future__ import annotations

import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from playwright.sync_api import expect

from tests import lti_platform as lp
from tests.e2e.helpers import DEMO_SLUG, in_live_server
from tests.live_server import HOST, free_port

CLIENT_ID = "e2e-client"
DEPLOYMENT_ID = "e2e-deployment"


class FakeLms(BaseHTTPRequestHandler):
    tool_url = ""
    origin = ""
    assignment_id = 0
    pem, public = lp.platform_key()

    def log_message(self, *args):  # quiet
        pass

    def _send(self, body: str, content_type: str = "text/html") -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        if url.path == "/jwks":
            self._send(json.dumps({"keys": [{**self.public, "kid": "e2e-key", "alg": "RS256"}]}), "application/json")
        elif url.path == "/course":
            self._send(self._course_page())
        elif url.path == "/auth":
            self._send(self._launch_form(parse_qs(url.query)))
        else:
            self.send_error(404)

    def _course_page(self) -> str:
        fields = {"iss": self.origin, "login_hint": "e2e-student", "client_id": CLIENT_ID,
                  "target_link_uri": self.tool_url + "/lti/launch", "lti_deployment_id": DEPLOYMENT_ID}
        inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items())
        return (f"<!doctype html><title>LMS course</title><h1>History 101 in the LMS</h1>"
                f'<form id="start" method="post" action="{self.tool_url}/lti/login" target="tool">{inputs}</form>'
                f'<iframe name="tool" title="Coursesite" width="1200" height="800"></iframe>'
                f"<script>document.getElementById('start').submit();</script>")

    def _launch_form(self, query: dict) -> str:
        now = int(time.time())
        body = {
            "iss": self.origin, "aud": CLIENT_ID, "sub": "e2e-student", "nonce": query["nonce"][0],
            "iat": now, "exp": now + 300, "name": "Efua E2E",
            lp.LTI + "message_type": "LtiResourceLinkRequest", lp.LTI + "version": "1.3.0",
            lp.LTI + "deployment_id": DEPLOYMENT_ID, lp.LTI + "roles": [lp.LEARNER],
            lp.LTI + "target_link_uri": self.tool_url + "/lti/launch",
            lp.LTI + "context": {"id": "e2e-course", "title": "History 101"},
            lp.LTI + "resource_link": {"id": "e2e-link"},
            lp.LTI + "custom": {"coursesite_assignment": str(self.assignment_id)},
            lp.LTI + "launch_presentation": {"return_url": self.origin + "/course"},
        }
        token = jwt.encode(body, self.pem, algorithm="RS256", headers={"kid": "e2e-key"})
        redirect_uri = query["redirect_uri"][0]
        assert redirect_uri == self.tool_url + "/lti/launch"
        return (f'<!doctype html><form id="back" method="post" action="{html.escape(redirect_uri)}">'
                f'<input type="hidden" name="id_token" value="{token}">'
                f'<input type="hidden" name="state" value="{html.escape(query["state"][0])}"></form>'
                f"<script>document.getElementById('back').submit();</script>")


SETUP = """
from sqlalchemy import select
from coursesite import create_app
from coursesite.extensions import db
from coursesite.lti.models import LtiContext, LtiPlatform
from coursesite.models import Assignment, Course, utcnow
app = create_app()
with app.app_context():
    course = db.session.scalar(select(Course).where(Course.slug == {slug!r}))
    platform = db.session.scalar(select(LtiPlatform).where(LtiPlatform.client_id == {client!r}))
    db.session.add(LtiContext(platform_id=platform.id, context_id="e2e-course", course_id=course.id, ags_scopes=[]))
    assignment = db.session.scalars(select(Assignment).where(Assignment.course_id == course.id,
                                                             Assignment.opens_at <= utcnow())
                                    .order_by(Assignment.post_due_at.desc())).first()
    db.session.commit()
    print(assignment.id)
"""


@pytest.fixture(scope="module")
def lms(live_server):
    port = free_port()
    FakeLms.origin, FakeLms.tool_url = f"http://{HOST}:{port}", live_server.url
    server = ThreadingHTTPServer((HOST, port), FakeLms)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    in_live_server(live_server, [
        "-m", "flask", "--app", "wsgi", "lti", "register", "--issuer", FakeLms.origin, "--client-id", CLIENT_ID,
        "--auth-login-url", FakeLms.origin + "/auth", "--auth-token-url", FakeLms.origin + "/token",
        "--key-set-url", FakeLms.origin + "/jwks", "--deployment-id", DEPLOYMENT_ID])
    FakeLms.assignment_id = int(in_live_server(
        live_server, ["-c", SETUP.format(slug=DEMO_SLUG, client=CLIENT_ID)]).split()[-1])
    yield FakeLms
    server.shutdown()
    server.server_close()


def test_student_launched_in_the_lms_frame_lands_on_the_essay_editor(new_context, lms):
    page = new_context().new_page()
    page.goto(lms.origin + "/course")
    frame = page.frame_locator("iframe[name=tool]")
    expect(frame.get_by_label("Assignment")).to_have_value(str(lms.assignment_id), timeout=20_000)
    tool_frame = next(f for f in page.frames if f.name == "tool")
    assert f"/c/{DEMO_SLUG}/posts/new?assignment={lms.assignment_id}" in tool_frame.url
    expect(frame.get_by_role("link", name="Efua E2E")).to_be_visible()
