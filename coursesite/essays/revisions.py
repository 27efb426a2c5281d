"""Every saved version of an essay, and what changed between two of them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Post, PostRevision


@dataclass(frozen=True)
class DiffLine:
    """One row of a side-by-side comparison: kind is 'same', 'removed', 'added' or 'changed'."""

    kind: str
    old_number: int | None
    old_text: str
    new_number: int | None
    new_text: str


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """Line-by-line differences, for a table a screen reader can read row by row."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    rows: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [DiffLine("same", i + 1, old_lines[i], j + 1, new_lines[j]) for i, j in
                     zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(olds), len(news))):
            i = olds[k] if k < len(olds) else None
            j = news[k] if k < len(news) else None
            kind = "changed" if i is not None and j is not None else ("removed" if j is None else "added")
            rows.append(DiffLine(kind, None if i is None else i + 1, "" if i is None else old_lines[i],
                                 None if j is None else j + 1, "" if j is None else new_lines[j]))
    return rows


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(kind, text)] with kind 'same', 'del' or 'ins': the words of one changed line, for <del>/<ins>."""
    a, b = old.split(" "), new.split(" ")
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("ins", " ".join(b[j1:j2])))
    return parts


def trim_context(rows: list[DiffLine], context: int = 2) -> list[DiffLine | None]:
    """Keep changed rows and `context` rows around them; None marks a gap of unchanged lines."""
    keep = [False] * len(rows)
    for index, row in enumerate(rows):
        if row.kind != "same":
            for near in range(max(0, index - context), min(len(rows), index + context + 1)):
                keep[near] = True
    trimmed: list[DiffLine | None] = []
    for index, row in enumerate(rows):
        if keep[index]:
            trimmed.append(row)
        elif trimmed and trimmed[-1] is not None or (not trimmed and index == 0):
            trimmed.append(None)
    return trimmed


def revisions_of(post: Post) -> list[PostRevision]:
    """Oldest first."""
    return list(
        db.session.scalars(
            select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id.asc())
        )
    )


def as_it_stood(revisions: list[PostRevision], moment: datetime) -> PostRevision | None:
    """The last published version saved by `moment` (the essay as it stood at a deadline)."""
    standing = [r for r in revisions if r.created_at <= moment and r.status == "published"]
    return standing[-1] if standing else None


def edited_after(revisions: list[PostRevision], moment: datetime) -> bool:
    """Whether the text changed after `moment`, once it had been published by then."""
    standing = as_it_stood(revisions, moment)
    if standing is None:
        return False
    return any(r.created_at > moment and (r.title, r.body) != (standing.title, standing.body) for r in revisions)
