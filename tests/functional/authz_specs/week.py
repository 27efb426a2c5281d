"""This week: a student's own page in each course they study in (staff are sent to the dashboard), and all
of a person's courses on one page (one course, or none, is a redirect)."""

from tests.functional.authz_specs import Spec

SPECS = [
    Spec("week.course", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=200, outsider=403, ta=302, instructor=302, admin=403),
    Spec("week.course", "GET", lambda w: {"slug": w.members_course.slug},
         anonymous=302, student=200, outsider=403, ta=302, instructor=302, admin=403),
    Spec("week.all_courses", "GET", anonymous=302, student=200, outsider=302, ta=302, instructor=302, admin=302),
]
