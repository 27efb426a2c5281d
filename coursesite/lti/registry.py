"""Registering an LMS (a platform) and what to paste into it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.lti.models import LtiDeployment, LtiPlatform


@dataclass(frozen=True)
class PlatformDetails:
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployment_ids: tuple[str, ...]
    auth_audience: str | None = None


def register(details: PlatformDetails) -> tuple[LtiPlatform, list[str]]:
    """Add the platform, or update its addresses; add its deployments not known yet. Returns the platform and
    the deployment ids added."""
    platform = db.session.scalar(select(LtiPlatform).where(
        LtiPlatform.issuer == details.issuer, LtiPlatform.client_id == details.client_id))
    if platform is None:
        platform = LtiPlatform(issuer=details.issuer, client_id=details.client_id)
        db.session.add(platform)
    platform.auth_login_url = details.auth_login_url
    platform.auth_token_url = details.auth_token_url
    platform.key_set_url = details.key_set_url
    platform.auth_audience = details.auth_audience or None
    known = set(platform.deployment_ids)
    added = [d for d in dict.fromkeys(details.deployment_ids) if d not in known]
    platform.deployments.extend(LtiDeployment(deployment_id=d) for d in added)
    db.session.flush()
    return platform, added


def platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.issuer, LtiPlatform.client_id)))


def tool_values() -> dict[str, str]:
    """The addresses an LMS administrator pastes in, built from COURSESITE_BASE_URL."""
    return {
        "login_url": url_for("lti.login", _external=True),
        "launch_url": url_for("lti.launch", _external=True),
        "redirect_uri": url_for("lti.launch", _external=True),
        "jwks_url": url_for("lti.jwks", _external=True),
        "domain": url_for("courses.index", _external=True).split("/")[2],
        "base_url": url_for("courses.index", _external=True).rstrip("/"),
    }
