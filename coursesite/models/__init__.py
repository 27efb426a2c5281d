"""The one shared model layer."""

from sqlalchemy import DDL, event

from coursesite.extensions import db
from coursesite.models.assignment import Assignment, Excusal, Extension, SectionDeadline
from coursesite.models.audit import AccountAudit
from coursesite.models.comment import Comment, CommentReport, CommentRevision, Notification, PeerAssignment
from coursesite.models.course import Course, Enrollment, ParticipationVersion, Section
from coursesite.models.grade import Grade, GradeChange, RubricCriterion
from coursesite.models.invitation import CourseInvitation
from coursesite.models.post import Post, PostAutosave, PostRevision, PostTerm, Term, Upload
from coursesite.models.reminder import SentReminder, SentStaffDigest
from coursesite.models.types import MAX_ID, UTCDateTime, utcnow
from coursesite.models.user import AnonymousUser, User
from coursesite.models.wordpress import PendingImport, WordPressPerson

__all__ = [
    "MAX_ID",
    "AccountAudit",
    "AnonymousUser",
    "Assignment",
    "Comment",
    "CommentReport",
    "CommentRevision",
    "Course",
    "CourseInvitation",
    "Enrollment",
    "Excusal",
    "Extension",
    "Grade",
    "GradeChange",
    "Notification",
    "ParticipationVersion",
    "PeerAssignment",
    "PendingImport",
    "Post",
    "PostAutosave",
    "PostRevision",
    "PostTerm",
    "RubricCriterion",
    "Section",
    "SectionDeadline",
    "SentReminder",
    "SentStaffDigest",
    "Term",
    "UTCDateTime",
    "Upload",
    "User",
    "WordPressPerson",
    "utcnow",
]

# The trigram indexes (types.text_search_index) need PostgreSQL's pg_trgm, a trusted extension: the database's
# owner may create it. Migrations create it too (b8d2f4a6c1e3).
event.listen(db.metadata, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))
