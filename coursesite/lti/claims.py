"""Reading an LTI 1.3 id_token's claims: roles, context, resource link, services."""

from __future__ import annotations

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
ROLES = LTI + "roles"
CUSTOM = LTI + "custom"
DEPLOYMENT_ID = LTI + "deployment_id"
MESSAGE_TYPE = LTI + "message_type"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
GROUPS = "https://purl.imsglobal.org/spec/lti-gs/claim/groupsservice"
DEEP_LINKING = "LtiDeepLinkingRequest"

# The LIS membership roles an LMS sends, by their last part: ".../membership#Instructor", the simple "Learner",
# or a sub-role ".../membership/Instructor#TeachingAssistant". Administrator, Mentor and the rest give nothing.
_ROLE_OF = {"TeachingAssistant": "ta", "Instructor": "instructor", "Learner": "student"}


def _role_name(uri: str) -> str:
    return uri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def course_role(roles) -> str | None:
    """instructor, ta or student, the highest the LMS gives in this context; None when none applies."""
    names = {_role_name(r) for r in roles or [] if isinstance(r, str)}
    for name in ("Instructor", "TeachingAssistant", "Learner"):
        if name == "Instructor" and "TeachingAssistant" in names:
            continue  # a TA's roles often carry the Instructor parent role too
        if name in names:
            return _ROLE_OF[name]
    return None


def text(claims: dict, name: str, key: str | None = None) -> str:
    value = claims.get(name)
    if key is not None:
        value = value.get(key) if isinstance(value, dict) else None
    return value.strip() if isinstance(value, str) else ""


def display_name(claims: dict) -> str:
    name = text(claims, "name") or " ".join(filter(None, (text(claims, "given_name"), text(claims, "family_name"))))
    return name[:120] or "LMS user"


def verified_email(claims: dict) -> str | None:
    """The email only when the LMS says it verified it; without that claim, no email is trusted."""
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.lower() == "true"):
        return text(claims, "email").lower() or None
    return None


def custom(claims: dict, key: str) -> str:
    return text(claims, CUSTOM, key)
