"""Helpers for the WXR tests: the fixture files, an independent count of what each holds, and row counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - trusted test fixtures, read to count independently
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import (
    Comment,
    CommentRevision,
    Course,
    Enrollment,
    Post,
    PostRevision,
    PostTerm,
    Term,
    User,
    WordPressPerson,
)
from coursesite.wordpress.importer import ImportOptions, import_wxr
from coursesite.wordpress.parse import parse_wxr

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wxr"
GOOD_FILES = sorted(p.name for p in FIXTURES.glob("*.xml") if p.name != "malformed.xml")
TABLES = (User, Course, Enrollment, Post, PostRevision, Comment, CommentRevision, Term, PostTerm, WordPressPerson)


@dataclass
class Expected:
    posts: dict[int, str]  # wp post id -> title
    comments: dict[int, int]  # wp comment id -> wp parent id
    comments_by_post: dict[int, int]


def wp_namespace(path: Path) -> str:
    for _event, (prefix, uri) in ET.iterparse(path, events=("start-ns",)):  # noqa: S314
        if prefix == "wp":
            return uri
    raise AssertionError(f"{path.name} declares no wp namespace")


def expected(path: Path) -> Expected:
    """Published, not password-protected posts; their approved comments that are not pings."""
    wp = f"{{{wp_namespace(path)}}}"
    root = ET.parse(path).getroot()  # noqa: S314
    posts, comments, by_post = {}, {}, {}
    for item in root.iter("item"):
        if (item.findtext(f"{wp}post_type"), item.findtext(f"{wp}status")) != ("post", "publish"):
            continue
        if (item.findtext(f"{wp}post_password") or "").strip():
            continue
        post_id = int(item.findtext(f"{wp}post_id"))
        posts[post_id] = (item.findtext("title") or "").strip()
        by_post[post_id] = 0
        for c in item.iter(f"{wp}comment"):
            kind = (c.findtext(f"{wp}comment_type") or "").strip()
            if c.findtext(f"{wp}comment_approved").strip() == "1" and kind not in {"pingback", "trackback"}:
                comments[int(c.findtext(f"{wp}comment_id"))] = int(c.findtext(f"{wp}comment_parent") or 0)
                by_post[post_id] += 1
    return Expected(posts, comments, by_post)


def run_import(course, importer, name_or_bytes, **options):
    data = name_or_bytes if isinstance(name_or_bytes, bytes) else (FIXTURES / name_or_bytes).read_bytes()
    return import_wxr(parse_wxr(data), importer=importer, options=ImportOptions(**options), course=course)


def row_counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def course_posts(course) -> list[Post]:
    return list(db.session.scalars(select(Post).where(Post.course_id == course.id).order_by(Post.id)))


def course_comments(course) -> list[Comment]:
    return list(db.session.scalars(
        select(Comment).join(Post, Post.id == Comment.post_id).where(Post.course_id == course.id)
        .order_by(Comment.created_at, Comment.id)
    ))
