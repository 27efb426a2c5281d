"""Signed, expiring, single-use links (password reset, account invitation).

A token carries a fingerprint of the password hash: setting a password spends every earlier token.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from coursesite.extensions import db
from coursesite.models import User


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"coursesite-{purpose}")


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": user.password_fingerprint})


def read_token(token: str, purpose: str, max_age: int) -> User | None:
    """The user the token was made for, or None if it is forged, expired or already used."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    # An anonymised account has no password, like an invited one: its old links must not bring it back.
    if user is None or user.is_anonymised or data.get("f") != user.password_fingerprint:
        return None
    return user
