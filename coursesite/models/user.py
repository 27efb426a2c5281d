from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates
from werkzeug.security import check_password_hash, generate_password_hash

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow

NOTIFY_CHOICES = ("digest", "instant", "off")
# The name an anonymised account goes by everywhere names appear (bylines, threads, feeds, exports).
FORMER_NAME = "Former student"


def normalize_email(email: str) -> str:
    return email.strip().lower()


# A hash of no one's password per hashing method, made on first use: see check_nobodys_password().
_NOBODYS_HASHES: dict[str, str] = {}


def check_nobodys_password(password: str) -> bool:
    """Check a password as dearly as a real one, and fail: a sign-in to an email with no account (or no
    password) then takes as long as one with a wrong password, so timing does not tell which accounts exist."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _NOBODYS_HASHES:
        _NOBODYS_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_NOBODYS_HASHES[method], password)
    return False


def password_fingerprint(password_hash: str | None, session_generation: int = 0) -> str:
    """Changes whenever the password does: spends reset links and ends other sessions. With the account's
    session generation (raised at every logout) it is the sessions' fingerprint: logging out ends them too."""
    material = password_hash or "unset"
    if session_generation:  # generation 0 keeps the sessions opened before logging out could end them
        material = f"{material}#{session_generation}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique index is case-insensitive on every backend.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    can_create_courses: Mapped[bool] = mapped_column(default=False)
    # Imported authors (WordPress) who have no login until an instructor invites them.
    is_guest: Mapped[bool] = mapped_column(default=False)
    notify_email: Mapped[str] = mapped_column(String(10), default="digest")
    # Reminders before one's own deadlines (email and a notice here), and staff's weekly course digest.
    wants_reminders: Mapped[bool] = mapped_column(default=True, server_default="1")
    wants_staff_digest: Mapped[bool] = mapped_column(default=True, server_default="1")
    # Raised at logout: every session and remember-me cookie opened before it ends (see session_fingerprint).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a site admin anonymised the account: it keeps its essays and comments, under FORMER_NAME.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @validates("email")
    def _normalize_email(self, key: str, value: str | None) -> str | None:
        return normalize_email(value) if value else None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return check_nobodys_password(password)
        return check_password_hash(self.password_hash, password)

    @property
    def password_fingerprint(self) -> str:
        return password_fingerprint(self.password_hash)

    @property
    def session_fingerprint(self) -> str:
        return password_fingerprint(self.password_hash, self.session_generation)

    def get_id(self) -> str:  # Flask-Login: the session and remember-me cookie hold this
        return f"{self.id}:{self.session_fingerprint}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this account stops working, on every device."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login: guests and anonymised accounts cannot log in
        return not self.is_guest and self.password_hash is not None and self.anonymised_at is None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def initials(self) -> str:
        parts = [p for p in self.display_name.split() if p[:1].isalnum()]
        letters = "".join(p[0] for p in parts[:2]) or self.display_name[:1]
        return letters.upper() or "?"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class AnonymousUser(AnonymousUserMixin):
    """The visitor: answers every question a signed-in user does, so checks never branch on None."""

    id = None
    is_admin = False
    can_create_courses = False
    display_name = "Visitor"
    email = None
