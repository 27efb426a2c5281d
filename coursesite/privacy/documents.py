"""A person's records as the files of their data export: JSON for programs, Markdown for people.

docs/data-export.md documents every file and field; change both together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from coursesite.models import Comment, Post
from coursesite.privacy.records import CommentRecord, CourseRecords, EssayRecord, GradeRecord, PersonRecords

FORMAT_VERSION = 1
EssayLink = Callable[[Post], str]


def when(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, or None."""
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def account_document(records: PersonRecords) -> dict:
    user = records.user
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": when(records.exported_at),
        "scope": records.scope.slug if records.scope is not None else "site",
        "account": {
            "id": user.id,
            "display_name": user.display_name,
            "email": None if user.is_anonymised else user.email,
            "created_at": when(user.created_at),
            "anonymised_at": when(user.anonymised_at),
            "notify_email": user.notify_email,
        },
        "courses": [c.course.slug for c in records.courses],
    }


def course_document(records: CourseRecords, images: int) -> dict:
    course, enrollment = records.course, records.enrollment
    return {
        "slug": course.slug,
        "title": course.title,
        "term": course.term,
        "timezone": course.timezone,
        "membership": None if enrollment is None else {
            "role": enrollment.role,
            "course_display_name": enrollment.course_name,
            "section": enrollment.section.name if enrollment.section else None,
            "joined_at": when(enrollment.joined_at),
            "ended_at": when(enrollment.ended_at),
        },
        "counts": {"essays": len(records.essays), "comments": len(records.comments), "grades": len(records.grades),
                   "images": images},
    }


def essay_document(record: EssayRecord, link: EssayLink, revision_files: list[str]) -> dict:
    post = record.post
    return {
        "id": post.id,
        "title": post.title,
        "slug": post.slug,
        "url": link(post),
        "assignment": post.assignment.title if post.assignment else None,
        "status": post.status,
        "word_count": post.word_count,
        "version": post.version,
        "created_at": when(post.created_at),
        "published_at": when(post.published_at),
        "updated_at": when(post.updated_at),
        "deleted_at": when(post.deleted_at),
        "categories_and_tags": [term.name for term in post.terms],
        "revisions": [
            {"file": name, "version": r.version, "title": r.title, "status": r.status, "word_count": r.word_count,
             "saved_at": when(r.created_at)}
            for name, r in zip(revision_files, record.revisions, strict=True)
        ],
    }


def essay_markdown(title: str, body: str) -> str:
    return f"# {title or 'Untitled'}\n\n{body.rstrip()}\n"


def _essay_answered(post: Post, link: EssayLink) -> dict:
    # The essay's title and address only: its author is another person, whose data this is not.
    return {"id": post.id, "title": post.title, "url": link(post)}


def comment_document(record: CommentRecord, link: EssayLink) -> dict:
    comment: Comment = record.comment
    return {
        "id": comment.id,
        "essay": _essay_answered(record.essay, link),
        "in_reply_to_comment_id": comment.parent_id,
        "body": comment.body,
        "word_count": comment.word_count,
        "status": comment.status,
        "created_at": when(comment.created_at),
        "edited_at": when(comment.edited_at),
        "deleted_at": when(comment.deleted_at),
        "revisions": [{"body": r.body, "word_count": r.word_count, "saved_at": when(r.created_at)}
                      for r in record.revisions],
    }


def comments_markdown(records: list[CommentRecord]) -> str:
    parts = ["# My comments\n"]
    for record in records:
        comment = record.comment
        heading = f"## On “{record.essay.title}”, {when(comment.created_at)}"
        notes = [f"Edited {when(comment.edited_at)}." if comment.edited_at else "",
                 f"Status: {comment.status}." if comment.status != "visible" else "",
                 "Deleted." if comment.deleted_at else ""]
        note = " ".join(n for n in notes if n)
        parts.append(f"{heading}\n\n{note + chr(10) + chr(10) if note else ''}{comment.body.rstrip()}\n")
    return "\n".join(parts)


def grade_document(record: GradeRecord) -> dict:
    result = record.result
    return {
        "assignment": record.assignment_title,
        "assignment_id": record.assignment_id,
        "released_at": when(record.released_at),
        "excused": result.excused,
        "total": result.total,
        "possible": result.rules.possible,
        "essay": result.essay_after_penalty,
        "essay_before_penalty": result.essay,
        "essay_possible": result.rules.post_points,
        "late_penalty_percent": result.penalty.percent,
        "late_penalty": result.penalty.explanation or None,
        "comments": result.comment_value,
        "comments_possible": result.rules.comment_points,
        "rubric": [{"criterion": title, "points": awarded, "possible": possible}
                   for title, awarded, possible in record.rubric],
        "feedback": record.feedback,
    }


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def grades_markdown(records: list[GradeRecord]) -> str:
    parts = ["# My released grades\n"]
    for record in records:
        result = record.result
        if result.excused:
            lines = ["Excused."]
        else:
            lines = [f"- Total: {_points(result.total)} of {_points(result.rules.possible)}",
                     f"- Essay: {_points(result.essay_after_penalty)} of {_points(result.rules.post_points)}"]
            lines += [f"  - {title}: {_points(awarded)} of {_points(possible)}"
                      for title, awarded, possible in record.rubric]
            if result.penalty.explanation:
                lines.append(f"- Late penalty: {result.penalty.explanation}")
            lines.append(f"- Comments: {_points(result.comment_value)} of {_points(result.rules.comment_points)}")
        feedback = f"\n\n### Feedback\n\n{record.feedback.rstrip()}" if record.feedback.strip() else ""
        parts.append(f"## {record.assignment_title}\n\n" + "\n".join(lines) + feedback + "\n")
    return "\n".join(parts)


README = """# Your Coursesite data

This archive holds what you wrote and what was released to you on Coursesite, exported {exported_at}.

- `account.json`: your account.
- `courses/<course>/course.json`: the course and your membership in it.
- `courses/<course>/essays/<id>-<slug>/essay.md`: each essay as it stands now; `essay.json` its details;
  `revisions/` every saved version, oldest first.
- `courses/<course>/comments.md` and `comments.json`: your comments, with the essay each answers.
- `courses/<course>/grades.md` and `grades.json`: your released grades and feedback (unreleased grades are
  not included).
- `courses/<course>/images/`: the images you uploaded, each named as the end of its address in your essays.

Text is Markdown; times are in UTC (ISO 8601). The format is described in Coursesite's documentation
(docs/data-export.md).
"""
