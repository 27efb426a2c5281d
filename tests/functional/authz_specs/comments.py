"""Who may use each comments route (docs/design.md#who-may-do-what)."""

from tests.functional.authz_specs import Spec


def _comment(w):
    return {"slug": w.course.slug, "comment_id": w.comment.id}


SPECS = [
    Spec("comments.create", "POST", lambda w: {"slug": w.course.slug, "post_slug": w.peer_post.slug},
         anonymous=302, student=302, outsider=403, ta=302, instructor=302, admin=403,
         data={"body": "A considered comment on this essay."}),
    # The address a refused comment was shown at, opened again: the essay's form, for whoever may read it.
    Spec("comments.create", "GET", lambda w: {"slug": w.course.slug, "post_slug": w.peer_post.slug},
         anonymous=302, student=302, outsider=302, ta=302, instructor=302, admin=302, visitor_sent_to="#respond"),
    Spec("comments.edit", "GET", _comment,
         anonymous=302, student=403, outsider=403, ta=403, instructor=403, admin=403),
    Spec("comments.edit", "POST", _comment,
         anonymous=302, student=403, outsider=403, ta=403, instructor=403, admin=403, data={"body": "Changed"}),
    Spec("comments.delete", "POST", _comment,
         anonymous=302, student=403, outsider=403, ta=403, instructor=403, admin=403),
    Spec("comments.report", "POST", _comment,
         anonymous=302, student=302, outsider=403, ta=302, instructor=302, admin=403, data={"reason": "Unkind"}),
    Spec("comments.hide", "POST", _comment,
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=302, data={"reason": "Off topic"}),
    Spec("comments.unhide", "POST", _comment,
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=302),
    Spec("comments.approve", "POST", _comment,
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=302),
    Spec("comments.reject", "POST", _comment,
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=302),
    Spec("comments.queue", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=403, outsider=403, ta=200, instructor=200, admin=200),
    Spec("comments.my_comments", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=200, outsider=403, ta=200, instructor=200, admin=403),
    Spec("comments.readers", "GET", lambda w: {"slug": w.course.slug, "assignment_id": w.assignment.id},
         anonymous=302, student=403, outsider=403, ta=200, instructor=200, admin=403),
    Spec("comments.readers", "POST", lambda w: {"slug": w.course.slug, "assignment_id": w.assignment.id},
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=403, data={"action": "assign"}),
    Spec("comments.notifications", "GET", lambda w: {},
         anonymous=302, student=200, outsider=200, ta=200, instructor=200, admin=200),
    Spec("comments.notifications", "POST", lambda w: {},
         anonymous=302, student=302, outsider=302, ta=302, instructor=302, admin=302, data={}),
    # A notification_id that names no notification marks none read (not all of them).
    Spec("comments.notifications", "POST", lambda w: {},
         anonymous=302, student=400, outsider=400, ta=400, instructor=400, admin=400,
         data={"notification_id": "99999999999999999999999"}),
    Spec("comments.post_feed", "GET", lambda w: {"slug": w.course.slug, "post_slug": w.post.slug},
         anonymous=200, student=200, outsider=200, ta=200, instructor=200, admin=200),
    Spec("comments.course_feed", "GET", lambda w: {"slug": w.course.slug},
         anonymous=200, student=200, outsider=200, ta=200, instructor=200, admin=200),
    Spec("comments.course_feed", "GET", lambda w: {"slug": w.members_course.slug},
         anonymous=404, student=200, outsider=404, ta=200, instructor=200, admin=200),
    Spec("comments.suspend", "POST", lambda w: {"slug": w.course.slug, "enrollment_id": w.enrollment.id},
         anonymous=302, student=403, outsider=403, ta=302, instructor=302, admin=302, data={"suspended": "1"}),
]
