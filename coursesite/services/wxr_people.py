"""Who wrote what on the imported blog: WordPress authors and commenters as accounts of this site.

Emails decide (lower-cased): a person whose email has an account is that account. Nobody is merged by
name alone: without an email a WordPress author is known by their login, a commenter by name and website,
and each becomes a guest of this course (no password, no login, no email sent, not enrolled) that later
imports of the same blog find again.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from ..extensions import db
from ..models import Course, User, WordPressPerson
from ..models.user import normalize_email
from . import accounts
from .wxr_content import plain_line
from .wxr_parse import WxrComment, WxrDocument
from .wxr_report import ImportReport


def login_key(login: str) -> str:
    """The login as WordPress's importer matches it (sanitize_user, strict): stray characters dropped."""
    return " ".join(re.sub(r"[^A-Za-z0-9 _.@-]", "", re.sub(r"<[^>]*>", "", login)).split())


def usable_email(email: str) -> str | None:
    email = normalize_email(email or "")
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(ch.isspace() for ch in email):
        return None
    return email


class People:
    def __init__(self, course: Course, doc: WxrDocument, fallback: User, report: ImportReport):
        self.course = course
        self.authors = doc.authors
        self.authors_by_id = {a.author_id: a for a in doc.authors.values() if a.author_id}
        self.authors_by_key = {login_key(a.login): a for a in doc.authors.values() if login_key(a.login)}
        self.fallback = fallback
        self.report = report
        self._known: dict[str, User] = {}
        self._without_author = 0

    def author(self, login: str) -> User:
        """The account for a post's dc:creator (a wp:author login)."""
        wp_author = self.authors.get(login) or self.authors_by_key.get(login_key(login))
        login = wp_author.login if wp_author else login
        if not login:
            self._without_author += 1
            return self.fallback
        key = f"login:{login}"
        if key not in self._known:
            name = plain_line(wp_author.display_name if wp_author else "", 120) or plain_line(login, 120) or "Author"
            email = usable_email(wp_author.email) if wp_author else None
            self._known[key] = self._by_email(email, name) if email else self._guest(key, name)
        return self._known[key]

    def commenter(self, comment: WxrComment) -> User:
        wp_author = self.authors_by_id.get(comment.user_id) if comment.user_id else None
        if wp_author is not None:
            return self.author(wp_author.login)
        name = plain_line(comment.author, 120) or "Anonymous"
        email = usable_email(comment.email)
        if email:
            return self._by_email(email, name)
        key = f"commenter:{name}\n{comment.url.strip()}"
        if key not in self._known:
            self._known[key] = self._guest(key, name)
        return self._known[key]

    def notes(self) -> list[str]:
        if not self._without_author:
            return []
        return [f"{self._without_author} item(s) named no author; they are credited to {self.fallback.display_name}"]

    def _by_email(self, email: str, name: str) -> User:
        key = f"email:{email}"
        if key in self._known:
            return self._known[key]
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_guest(name, email)
            self.report.people_created.append(f"{name} <{email}>")
        else:
            self.report.people_matched.append(f"{user.display_name} <{email}>")
        self._known[key] = user
        return user

    def _guest(self, identity: str, name: str) -> User:
        digest = hashlib.sha256(identity.encode()).hexdigest()
        user = db.session.scalar(
            select(User)
            .join(WordPressPerson, WordPressPerson.user_id == User.id)
            .where(WordPressPerson.course_id == self.course.id, WordPressPerson.identity == digest)
        )
        if user is not None:
            self.report.people_matched.append(f"{user.display_name} (guest from an earlier import)")
            return user
        user = accounts.create_guest(name)
        db.session.add(WordPressPerson(course_id=self.course.id, identity=digest, user_id=user.id))
        self.report.people_created.append(f"{name} (no email)")
        return user
