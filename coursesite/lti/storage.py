"""Where pylti1p3 keeps a launch's state, nonce and launch data: a database table shared by every worker."""

from __future__ import annotations

from datetime import timedelta

from pylti1p3.contrib.flask import FlaskSessionService
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from sqlalchemy import delete

from coursesite.extensions import db
from coursesite.lti.models import LtiLaunchValue
from coursesite.models import utcnow

DEFAULT_LIFETIME = 3600


class DatabaseLaunchStorage(LaunchDataStorage):
    # No cookie of its own: the state cookie pylti1p3 sets is the one a launch must bring back.
    _session_cookie_name = None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str):
        row = db.session.get(LtiLaunchValue, self._prepare_key(key))
        return row.value if row is not None and row.expires_at > utcnow() else None

    def set_value(self, key: str, value, exp: int | None = None) -> None:
        expires_at = utcnow() + timedelta(seconds=exp or DEFAULT_LIFETIME)
        db.session.merge(LtiLaunchValue(key=self._prepare_key(key), value=value, expires_at=expires_at))
        db.session.flush()

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def take_value(self, key: str) -> bool:
        """Remove the value; True only for the one request that removed it while it was still valid."""
        removed = db.session.execute(delete(LtiLaunchValue).where(
            LtiLaunchValue.key == self._prepare_key(key), LtiLaunchValue.expires_at > utcnow()))
        return removed.rowcount == 1


class OneTimeNonceSessionService(FlaskSessionService):
    """A nonce is good for one launch only: checking it spends it, so a replayed id_token is refused."""

    def check_nonce(self, nonce: str) -> bool:
        storage = self.data_storage
        key = self._get_key("nonce", nonce)
        return storage.take_value(key) if isinstance(storage, DatabaseLaunchStorage) else False


def forget_expired() -> int:
    removed = db.session.execute(delete(LtiLaunchValue).where(LtiLaunchValue.expires_at <= utcnow()))
    return removed.rowcount

