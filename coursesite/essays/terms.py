"""Categories and tags of a course blog, the WordPress way: typed as a comma-separated list."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Post, PostTerm, Term

TERM_KINDS = ("category", "tag")
MAX_TERMS = 10
MAX_TERM_CHARS = 60


class TermError(ValueError):
    pass


def slugify(text: str, fallback: str = "item", max_length: int = 80) -> str:
    """'Décolonisation & Empire' -> 'decolonisation-empire': lower-case ASCII letters, digits, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or fallback


def parse_term_names(text: str | None) -> list[str]:
    """'war, Empire,  war ' -> ['war', 'Empire']: trimmed, de-duplicated by slug, order kept."""
    names: list[str] = []
    seen: set[str] = set()
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > MAX_TERM_CHARS:
            raise TermError(f"Keep each name under {MAX_TERM_CHARS} characters.")
        key = slugify(name, fallback=name.lower())
        if key not in seen:
            seen.add(key)
            names.append(name)
    if len(names) > MAX_TERMS:
        raise TermError(f"Use at most {MAX_TERMS}.")
    return names


def term_slug(name: str) -> str:
    # Names in scripts without ASCII letters still need an address: keep their lower-case letters.
    slug = slugify(name, fallback="")
    if slug:
        return slug
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-")[:80] or "term"


def _term(course_id: int, kind: str, name: str) -> Term:
    slug = term_slug(name)
    term = db.session.scalar(select(Term).where(Term.course_id == course_id, Term.kind == kind, Term.slug == slug))
    if term is None:
        term = Term(course_id=course_id, kind=kind, name=name, slug=slug)
        db.session.add(term)
        db.session.flush()
    return term


def set_terms(post: Post, kind: str, names: list[str]) -> None:
    """Make the post's terms of `kind` exactly `names`, creating terms on first use."""
    if kind not in TERM_KINDS:
        raise ValueError(kind)
    wanted = {_term(post.course_id, kind, name).id for name in names}
    links = db.session.scalars(
        select(PostTerm).join(Term, Term.id == PostTerm.term_id).where(PostTerm.post_id == post.id, Term.kind == kind)
    ).all()
    for link in links:
        if link.term_id not in wanted:
            db.session.delete(link)
    for term_id in wanted - {link.term_id for link in links}:
        db.session.add(PostTerm(post_id=post.id, term_id=term_id))
    db.session.flush()
    db.session.expire(post, ["terms"])


def names_of(post: Post, kind: str) -> str:
    return ", ".join(term.name for term in post.terms if term.kind == kind)
