"""My grades: any member of the course (staff see an empty page of their own); not site admins, who are not
members, nor students of other courses."""

from tests.functional.authz_specs import Spec

SPECS = [
    Spec("grades.my_grades", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=200, outsider=403, ta=200, instructor=200, admin=403),
]
