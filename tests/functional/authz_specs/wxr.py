"""WordPress import and export: instructors and site admins only (docs/design.md#who-may-do-what)."""

from tests.functional.authz_specs import Spec

SPECS = [
    Spec("wxr.import_wxr", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200),
    # Without a file the form comes back with its error; nothing is imported.
    Spec("wxr.import_wxr", "POST", lambda w: {"slug": w.course.slug},
         anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200, data=None),
    # An unknown preview token sends the instructor back to the upload form.
    Spec("wxr.confirm_import", "POST", lambda w: {"slug": w.course.slug},
         anonymous=302, student=403, outsider=403, ta=403, instructor=302, admin=302, data={"token": "unknown"}),
    Spec("wxr.export_wxr", "GET", lambda w: {"slug": w.course.slug},
         anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200),
    Spec("wxr.export_wxr", "GET", lambda w: {"slug": w.members_course.slug},
         anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200),
]
