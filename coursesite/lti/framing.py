"""Coursesite inside the LMS's frame: after a launch, the session cookie crosses sites and the LMS may frame."""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, has_request_context, session
from flask.sessions import SecureCookieSessionInterface

from coursesite.security import CONTENT_SECURITY_POLICY

# The LMS pages that may frame Coursesite, kept in the session by a launch.
FRAMED = "lti_frame_origins"
# The pages an LMS frames before any launch is checked (the cookie check, a refused launch) hold no action
# worth hijacking, and the LMS page framing them is not known yet (Canvas's issuer is not the school's host).
ANY_FRAME_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d+)?$")


def _framed_over_https() -> bool:
    # SameSite=None needs Secure, which plain-http development cannot give: there the cookie stays Lax.
    return (has_request_context() and current_app.config.get("PREFERRED_URL_SCHEME") == "https"
            and bool(session.get(FRAMED)))


class LaunchedSessionCookies(SecureCookieSessionInterface):
    """SameSite=None; Secure for a session an LTI launch opened over https, so it still comes with requests made
    inside the LMS's frame; every other session keeps the configured (Lax) cookie."""

    def get_cookie_samesite(self, app: Flask):
        return "None" if _framed_over_https() else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return True if _framed_over_https() else super().get_cookie_secure(app)


def frame_ancestors(origins, policy: str | None = None) -> str:
    allowed = " ".join(o for o in origins or [] if isinstance(o, str) and _ORIGIN.match(o))
    ancestors = f"frame-ancestors 'self' {allowed}".strip()
    return (policy or CONTENT_SECURITY_POLICY).replace("frame-ancestors 'none'", ancestors)


def init_framing(app: Flask) -> None:
    app.session_interface = LaunchedSessionCookies()

    @app.after_request
    def _let_the_lms_frame(response: Response) -> Response:
        # Browsers ignore X-Frame-Options when the policy names frame-ancestors.
        if has_request_context() and session.get(FRAMED):
            response.headers["Content-Security-Policy"] = frame_ancestors(session[FRAMED],
                                                                         response.headers.get("Content-Security-Policy"))
        return response
