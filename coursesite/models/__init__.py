"""The one shared model layer."""

from .assignment import Assignment, Excusal, Extension, SectionDeadline
from .audit import AccountAudit
from .comment import Comment, CommentReport, CommentRevision, Notification, PeerAssignment
from .course import Course, Enrollment, Section
from .grade import Grade, GradeChange, RubricCriterion
from .invitation import CourseInvitation
from .post import Post, PostAutosave, PostRevision, PostTerm, Term, Upload
from .reminder import SentReminder, SentStaffDigest
from .types import MAX_ID, UTCDateTime, utcnow
from .user import AnonymousUser, User
from .wordpress import PendingImport, WordPressPerson

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
