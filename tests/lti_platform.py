"""An LMS in the test process: it signs launches with its own RSA key, and answers pylti1p3's HTTP calls (key
set, token, scores, memberships) through the `responses` library, which replaces requests' transport.

Nothing outside is reached: `responses` refuses every URL it was not told about.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import jwt
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

ISSUER = "https://lms.example.edu"
CLIENT_ID = "coursesite-client-1"
DEPLOYMENT_ID = "deployment-1"
AUTH_LOGIN_URL = ISSUER + "/api/lti/authorize_redirect"
AUTH_TOKEN_URL = ISSUER + "/login/oauth2/token"
KEY_SET_URL = ISSUER + "/api/lti/security/jwks"
LINEITEMS_URL = ISSUER + "/api/lti/courses/7/line_items"
MEMBERSHIPS_URL = ISSUER + "/api/lti/courses/7/names_and_roles"
GROUPS_URL = ISSUER + "/api/lti/courses/7/groups"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR, LEARNER = ROLE + "Instructor", ROLE + "Learner"
TA = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
AGS_SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-ags/scope/score"]


def _rsa_pem() -> tuple[str, dict]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    public = json.loads(JWK.from_pem(pem.encode()).export_public())
    return pem, public


_KEYS: dict[str, tuple[str, dict]] = {}


def platform_key(name: str = "platform") -> tuple[str, dict]:
    """A test RSA key (made once per test session) and its public JWK."""
    if name not in _KEYS:
        _KEYS[name] = _rsa_pem()
    return _KEYS[name]


class Platform:
    """The LMS. `mock` is the active responses.RequestsMock; received scores land in `scores`."""

    def __init__(self, mock: responses.RequestsMock, kid: str = "lms-key-1"):
        self.mock, self.kid = mock, kid
        self.pem, public = platform_key()
        self.jwks = {"keys": [{**public, "kid": kid, "alg": "RS256", "use": "sig"}]}
        self.scores: list[tuple[str, dict]] = []
        self.token_requests: list[dict] = []
        self.members: list[dict] = []
        self.groups: list[dict] = []
        mock.add_callback(responses.GET, KEY_SET_URL, callback=lambda r: (200, {}, json.dumps(self.jwks)))
        mock.add_callback(responses.POST, AUTH_TOKEN_URL, callback=self._token)
        mock.add_callback(responses.GET, MEMBERSHIPS_URL, callback=self._memberships)
        mock.add_callback(responses.GET, GROUPS_URL, callback=lambda r: (200, {}, json.dumps({"groups": self.groups})))

    def _token(self, request):
        form = {k: v[0] for k, v in parse_qs(request.body).items()}
        self.token_requests.append(form)
        return 200, {}, json.dumps({"access_token": "lms-token", "token_type": "Bearer", "expires_in": 3600})

    def _memberships(self, request):
        body = {"id": MEMBERSHIPS_URL, "context": {"id": "ctx-7"}, "members": self.members}
        return 200, {"Content-Type": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"}, json.dumps(body)

    def line_item(self, url: str, status: int = 200) -> None:
        """Accept scores posted to `url`/scores (or answer `status`)."""
        def take(request):
            self.scores.append((request.url, json.loads(request.body)))
            return status, {}, "{}"
        self.mock.add_callback(responses.POST, url + "/scores", callback=take)

    def register(self, runner) -> None:
        args = ["lti", "register", "--issuer", ISSUER, "--client-id", CLIENT_ID, "--auth-login-url", AUTH_LOGIN_URL,
                "--auth-token-url", AUTH_TOKEN_URL, "--key-set-url", KEY_SET_URL, "--deployment-id", DEPLOYMENT_ID]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output

    # The browser's part: OIDC login at the tool, the LMS's answer posted back.

    def login(self, client, **params):
        query = {"iss": ISSUER, "login_hint": "hint-1", "target_link_uri": "http://coursesite.test/lti/launch",
                 "client_id": CLIENT_ID, "lti_message_hint": "msg-1", "lti1p3_new_window": "1", **params}
        return client.get("/lti/login", query_string=query)

    def claims(self, nonce: str, *, sub: str = "lms-user-1", roles=(LEARNER,), context_id: str = "ctx-7",
               resource_link_id: str | None = "link-1", message_type: str = "LtiResourceLinkRequest",
               **extra) -> dict:
        now = int(time.time())
        body = {
            "iss": ISSUER, "aud": CLIENT_ID, "sub": sub, "nonce": nonce, "iat": now, "exp": now + 300,
            "name": "Lee Learner", "given_name": "Lee", "family_name": "Learner",
            LTI + "message_type": message_type, LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT_ID, LTI + "target_link_uri": "http://coursesite.test/lti/launch",
            LTI + "roles": list(roles),
            LTI + "context": {"id": context_id, "label": "HIST 101", "title": "History 101"},
            LTI + "launch_presentation": {"return_url": ISSUER + "/courses/7"},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {"scope": AGS_SCOPES,
                                                                       "lineitems": LINEITEMS_URL},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": MEMBERSHIPS_URL, "service_versions": ["2.0"]},
            "https://purl.imsglobal.org/spec/lti-gs/claim/groupsservice": {
                "context_groups_url": GROUPS_URL, "scope": ["https://purl.imsglobal.org/spec/lti-gs/scope/contextgroup.readonly"],
                "service_versions": ["1.0"]},
        }
        if resource_link_id is not None:
            body[LTI + "resource_link"] = {"id": resource_link_id, "title": "Essay 1"}
        if message_type == "LtiDeepLinkingRequest":
            body.pop(LTI + "resource_link", None)
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": ISSUER + "/courses/7/deep_linking_response",
                "accept_types": ["ltiResourceLink"], "accept_presentation_document_targets": ["iframe", "window"],
                "data": "dl-data-1"}
        body.update(extra)
        return {k: v for k, v in body.items() if v is not None}

    def sign(self, body: dict, pem: str | None = None, kid: str | None = None) -> str:
        return jwt.encode(body, pem or self.pem, algorithm="RS256", headers={"kid": kid or self.kid})

    def launch(self, client, *, sign=None, tamper=None, **claims):
        """Log in, then post the signed id_token with the state, as the browser would. Returns the response."""
        login = self.login(client)
        assert login.status_code == 302, login.get_data(as_text=True)
        auth = parse_qs(urlsplit(login.headers["Location"]).query)
        body = self.claims(auth["nonce"][0], **claims)
        if tamper:
            tamper(body)
        token = (sign or self.sign)(body)
        self.last_post = {"id_token": token, "state": auth["state"][0]}
        return client.post("/lti/launch", data=self.last_post)


def new_id() -> str:
    return uuid.uuid4().hex
