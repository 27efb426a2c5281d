"""pylti1p3's tool configuration, read from the platforms site admins registered (coursesite/lti/models.py)."""

from __future__ import annotations

import logging

from cryptography.fernet import InvalidToken
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.registration import Registration
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.lti import keys
from coursesite.lti.models import LtiDeployment, LtiPlatform

log = logging.getLogger(__name__)
KEY_UNREADABLE = ("Coursesite's LTI key cannot be read since the site's secret key changed: a site administrator "
                  "runs `flask --app wsgi lti rotate-key`.")


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The registration of `issuer` for `client_id`; without a client id (an LMS may leave it out of the login
    request), the issuer's only registration."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id is not None:
        return db.session.scalar(query.where(LtiPlatform.client_id == client_id))
    found = db.session.scalars(query.limit(2)).all()
    return found[0] if len(found) == 1 else None


def registration_of(platform: LtiPlatform) -> Registration:
    """The platform as pylti1p3 takes it. Without the tool's private key when it cannot be read (SECRET_KEY
    changed since it was made): launches still work; what signs (services, deep linking) says to rotate."""
    signer = keys.signing_key()
    registration = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_auth_audience(platform.auth_audience)
        .set_key_set_url(platform.key_set_url)
        .set_tool_public_key(signer.public_pem)
    )
    try:
        registration.set_tool_private_key(keys.private_pem(signer))
    except InvalidToken:
        log.error("the LTI tool key cannot be decrypted with this SECRET_KEY: run `flask --app wsgi lti rotate-key`")
    return registration


def signing_registration(platform: LtiPlatform) -> Registration:
    """The registration for what Coursesite signs: refused with a clear message when its key cannot be read."""
    registration = registration_of(platform)
    if registration.get_tool_private_key() is None:
        raise LtiException(KEY_UNREADABLE)
    return registration


class DatabaseToolConf(ToolConfAbstract):
    """Every issuer may have many client ids (one per registration), so lookups go by issuer and client id."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args, **kwargs) -> Registration | None:
        platform = find_platform(iss, None)
        return registration_of(platform) if platform else None

    def find_registration_by_params(self, iss: str, client_id: str | None, *args, **kwargs) -> Registration | None:
        platform = find_platform(iss, client_id)
        return registration_of(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str | None, *args,
                                  **kwargs) -> Deployment | None:
        platform = find_platform(iss, client_id)
        if platform is None or not isinstance(deployment_id, str):
            return None
        found = db.session.scalar(select(LtiDeployment.id).where(
            LtiDeployment.platform_id == platform.id, LtiDeployment.deployment_id == deployment_id))
        return Deployment().set_deployment_id(deployment_id) if found else None
