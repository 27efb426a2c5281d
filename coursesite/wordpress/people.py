"""Who wrote what on the imported blog: WordPress authors and commenters as people of this course.

An email from the file finds an account only when that account is a member of the course (the instructor
already knows who those are); anyone else, whatever account the email may belong to elsewhere on the site,
becomes a guest author: the name from the file kept as text, no password, no login, no email, not enrolled.
A site admin may link a person of the file to any account explicitly (`chosen`). Nobody is merged by name
alone. Guests are remembered per course by a digest of what WordPress knew (email, login, or a commenter's
name and website), so later imports of the same blog find them again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment, User, WordPressPerson
from coursesite.models.user import normalize_email
from coursesite.people import accounts
from coursesite.people.names import name_key
from coursesite.people.pseudonyms import names_in_course
from coursesite.text.tags import replace_tags
from coursesite.wordpress.content import plain_line
from coursesite.wordpress.parse import WxrComment, WxrDocument
from coursesite.wordpress.report import ImportReport, PersonInFile

GUEST_MARK = " (imported)"


def login_key(login: str) -> str:
    """The login as WordPress's importer matches it (sanitize_user, strict): stray characters dropped."""
    return " ".join(re.sub(r"[^A-Za-z0-9 _.@-]", "", replace_tags(login)).split())


def usable_email(email: str) -> str | None:
    email = normalize_email(email or "")
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(ch.isspace() for ch in email):
        return None
    return email


def person_ref(identity: str) -> str:
    """A short, stable name for a person of the file, for the preview's form fields."""
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _Who:
    identity: str  # "email:…", "login:…" or "commenter:…": what WordPress knew
    name: str
    email: str | None


class People:
    def __init__(self, course: Course, doc: WxrDocument, fallback: User, report: ImportReport,
                 chosen: dict[str, User] | None = None):
        self.course = course
        self.authors = doc.authors
        self.authors_by_id = {a.author_id: a for a in doc.authors.values() if a.author_id}
        self.authors_by_key = {login_key(a.login): a for a in doc.authors.values() if login_key(a.login)}
        self.fallback = fallback
        self.report = report
        self.chosen = chosen or {}
        self._members = _members_by_email(course)
        self._taken_names = names_in_course(course, with_guests=False)
        self._known: dict[str, User] = {}
        self._without_author = 0

    def author(self, login: str) -> User:
        """The account for a post's dc:creator (a wp:author login)."""
        wp_author = self.authors.get(login) or self.authors_by_key.get(login_key(login))
        login = wp_author.login if wp_author else login
        if not login:
            self._without_author += 1
            return self.fallback
        name = plain_line(wp_author.display_name if wp_author else "", 120) or plain_line(login, 120) or "Author"
        email = usable_email(wp_author.email) if wp_author else None
        return self._person(_Who(f"email:{email}" if email else f"login:{login}", name, email))

    def commenter(self, comment: WxrComment) -> User:
        wp_author = self.authors_by_id.get(comment.user_id) if comment.user_id else None
        if wp_author is not None:
            return self.author(wp_author.login)
        name = plain_line(comment.author, 120) or "Anonymous"
        email = usable_email(comment.email)
        identity = f"email:{email}" if email else f"commenter:{name}\n{comment.url.strip()}"
        return self._person(_Who(identity, name, email))

    def notes(self) -> list[str]:
        if not self._without_author:
            return []
        return [f"Items naming no author: {self._without_author}, credited to {self.fallback.display_name}"]

    def _person(self, who: _Who) -> User:
        if who.identity not in self._known:
            self._known[who.identity] = self._resolve(who)
        return self._known[who.identity]

    def _resolve(self, who: _Who) -> User:
        ref = person_ref(who.identity)
        shown = f"{who.name} <{who.email}>" if who.email else who.name
        user = self.chosen.get(ref)
        if user is not None:
            self.report.add_person(PersonInFile(ref, shown, who.email, "chosen", user.display_name))
            self.report.people_matched.append(f"{shown}: linked to {user.display_name} <{user.email}>")
            return user
        user = self._members.get(who.email) if who.email else None
        if user is not None:
            self.report.add_person(PersonInFile(ref, shown, who.email, "member", user.display_name))
            self.report.people_matched.append(f"{shown}: {user.display_name}, a member of this course")
            return user
        return self._guest(who, ref, shown)

    def _guest(self, who: _Who, ref: str, shown: str) -> User:
        digest = hashlib.sha256(who.identity.encode()).hexdigest()
        user = db.session.scalar(
            select(User)
            .join(WordPressPerson, WordPressPerson.user_id == User.id)
            .where(WordPressPerson.course_id == self.course.id, WordPressPerson.identity == digest)
        )
        if user is not None:
            self.report.add_person(PersonInFile(ref, shown, who.email, "earlier guest", user.display_name))
            self.report.people_matched.append(f"{shown}: the guest author from an earlier import")
            return user
        # A guest never takes the name a member of the course is shown by.
        name = who.name + GUEST_MARK if name_key(who.name) in self._taken_names else who.name
        user = accounts.create_guest(name)
        db.session.add(WordPressPerson(course_id=self.course.id, identity=digest, user_id=user.id))
        self.report.add_person(PersonInFile(ref, shown, who.email, "guest", user.display_name))
        self.report.people_created.append(shown if name == who.name else f"{shown}, shown as {user.display_name}")
        return user


def _members_by_email(course: Course) -> dict[str, User]:
    """The course's active members by email: the only accounts an import finds on its own."""
    members = db.session.scalars(
        select(User).join(Enrollment, Enrollment.user_id == User.id).where(
            Enrollment.course_id == course.id, Enrollment.ended_at.is_(None), User.email.is_not(None)
        )
    )
    return {user.email: user for user in members}

