"""The tool's signing keys: made, encrypted at rest, rotated, and published as a JSON Web Key Set."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import current_app
from pylti1p3.registration import Registration
from sqlalchemy import delete, select

from coursesite.extensions import db
from coursesite.lti.models import LtiToolKey
from coursesite.models import utcnow


def _fernet() -> Fernet:
    # Derived from SECRET_KEY: a database copy alone does not give away the private key. Changing SECRET_KEY
    # means `flask lti rotate-key` (and giving the LMSs time to fetch the new key set).
    material = hashlib.sha256(b"coursesite-lti-tool-key:" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(material))


def _new_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return private_pem, public_pem


def create_key() -> LtiToolKey:
    private_pem, public_pem = _new_pair()
    kid = Registration.get_jwk(public_pem)["kid"]  # the thumbprint, as pylti1p3 names the key it signs with
    key = LtiToolKey(kid=kid, public_pem=public_pem,
                     private_pem_encrypted=_fernet().encrypt(private_pem.encode()).decode())
    db.session.add(key)
    db.session.flush()
    return key


def signing_key() -> LtiToolKey:
    """The newest unretired key, made on first use."""
    key = db.session.scalar(
        select(LtiToolKey).where(LtiToolKey.retired_at.is_(None)).order_by(LtiToolKey.id.desc()).limit(1)
    )
    return key or create_key()


def private_pem(key: LtiToolKey) -> str:
    return _fernet().decrypt(key.private_pem_encrypted.encode()).decode()


def rotate() -> tuple[LtiToolKey, list[str]]:
    """A new signing key; the current one is retired but stays published; keys retired before it go.
    Returns the new key and the kids removed from the key set."""
    current = signing_key()
    earlier = db.session.scalars(select(LtiToolKey.kid).where(LtiToolKey.retired_at.is_not(None))).all()
    db.session.execute(delete(LtiToolKey).where(LtiToolKey.retired_at.is_not(None)))
    current.retired_at = utcnow()
    return create_key(), list(earlier)


def published_keys() -> list[LtiToolKey]:
    signing_key()
    return list(db.session.scalars(select(LtiToolKey).order_by(LtiToolKey.id.desc())))


def key_set() -> dict:
    """The public halves only: the signing key and the one retired last."""
    return {"keys": [{**Registration.get_jwk(key.public_pem), "kid": key.kid} for key in published_keys()]}
