"""Checking a launch with pylti1p3, one step at a time, so each failure gets its own clear answer."""

from __future__ import annotations

from dataclasses import dataclass

import jwt
import requests
from flask import url_for
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import LtiException

from coursesite.lti.storage import DatabaseLaunchStorage, OneTimeNonceSessionService
from coursesite.lti.tool_config import DatabaseToolConf

PLATFORM_TIMEOUT_SECONDS = 10


class PlatformSession(requests.Session):
    """requests with a time limit: an LMS that does not answer must not hold a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", PLATFORM_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


@dataclass(frozen=True)
class LaunchRefused(Exception):
    status: int
    title: str
    message: str


NOT_A_LAUNCH = LaunchRefused(400, "Not an LTI launch", "This address opens Coursesite from an LMS. "
                             "Go back to your course in the LMS and open the Coursesite link there.")
STATE_LOST = LaunchRefused(
    400, "The launch could not be matched to its sign-in",
    "Your browser did not bring back the cookie set when the launch started: it may block cookies inside the "
    "LMS page, or the launch took longer than five minutes. Open the link again from the LMS; if this page "
    "comes back, choose “Open in a new window” when it is offered.")
REPLAYED = LaunchRefused(400, "This launch was already used",
                         "Each launch from the LMS can be used once. Open the link again from the LMS.")
UNKNOWN_PLATFORM = LaunchRefused(
    403, "This LMS is not registered",
    "The launch came from an LMS (issuer and client id) that this Coursesite does not know. "
    "A site administrator registers it on the LTI platforms page.")
UNKNOWN_DEPLOYMENT = LaunchRefused(
    403, "Unknown deployment",
    "The LMS is registered, but not this deployment of Coursesite in it. A site administrator adds its "
    "deployment id on the LTI platforms page.")
EXPIRED = LaunchRefused(401, "The launch has expired",
                        "The LMS's launch is only good for a few minutes. Open the link again from the LMS.")
BAD_SIGNATURE = LaunchRefused(401, "The launch's signature is not valid",
                              "The launch was not signed by a key of the registered LMS, so nothing was done.")
KEY_SET_DOWN = LaunchRefused(
    502, "The LMS's keys could not be read",
    "Coursesite asks the LMS for the keys that check its launches, and did not get a usable answer. "
    "Try again in a few minutes; if it goes on, a site administrator should check the platform's key set URL.")
BAD_MESSAGE = LaunchRefused(400, "The launch is incomplete",
                            "The LMS's message lacks something an LTI 1.3 launch must have, so nothing was done.")


def _signature_refusal(error: Exception) -> LaunchRefused:
    cause = error.__cause__
    if isinstance(cause, jwt.ExpiredSignatureError):
        return EXPIRED
    if isinstance(cause, requests.RequestException | ValueError) or str(error).startswith("Invalid response"):
        return KEY_SET_DOWN
    return BAD_SIGNATURE


def _tools():
    request = FlaskRequest()
    return request, OneTimeNonceSessionService(request), DatabaseLaunchStorage()


def oidc_login() -> FlaskOIDCLogin:
    request, sessions, storage = _tools()
    return FlaskOIDCLogin(request, DatabaseToolConf(), session_service=sessions, launch_data_storage=storage)


def _message_launch() -> FlaskMessageLaunch:
    request, sessions, storage = _tools()
    launch = FlaskMessageLaunch(request, DatabaseToolConf(), session_service=sessions,
                                launch_data_storage=storage, requests_session=PlatformSession())
    # Expiry and issue time are required, not only checked when present; the audience is checked as the
    # registration's client id (validate_registration). An issue time a little ahead of this server's clock (an
    # LMS's clock runs fast) is no reason to refuse: the expiry bounds the launch.
    launch.set_jwt_verify_options({"verify_aud": False, "verify_iat": False, "require": ["exp", "iat"]})
    return launch.set_auto_validation(enable=False)


_STEPS = (
    ("validate_state", STATE_LOST),
    ("validate_jwt_format", NOT_A_LAUNCH),
    ("validate_nonce", REPLAYED),
    ("validate_registration", UNKNOWN_PLATFORM),
    ("validate_jwt_signature", None),
    ("validate_deployment", UNKNOWN_DEPLOYMENT),
    ("validate_message", BAD_MESSAGE),
)


def checked_launch() -> FlaskMessageLaunch:
    """The launch, with every check of pylti1p3's validate() passed (state, nonce spent once, registration and
    audience, signature against the LMS's key set, expiry, deployment, message); else LaunchRefused."""
    launch = _message_launch()
    if not FlaskRequest().get_param("id_token"):
        raise NOT_A_LAUNCH
    for step, refusal in _STEPS:
        try:
            getattr(launch, step)()
        except LtiException as error:
            raise refusal or _signature_refusal(error) from error
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            # A key set that is JSON but not a key set, or claims of the wrong shape.
            raise (KEY_SET_DOWN if step == "validate_jwt_signature" else refusal or BAD_MESSAGE) from error
    launch.save_launch_data()
    return launch


def saved_launch(launch_id: str) -> FlaskMessageLaunch:
    request, sessions, storage = _tools()
    return FlaskMessageLaunch.from_cache(launch_id, request, DatabaseToolConf(), session_service=sessions,
                                         launch_data_storage=storage, requests_session=PlatformSession())


def launch_url() -> str:
    return url_for("lti.launch", _external=True)
