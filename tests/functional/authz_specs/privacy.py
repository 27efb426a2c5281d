"""Each person's own data: the privacy page is public; a person downloads only their own data (a course's part
needs membership); the site administration (find, export, anonymise accounts) is for site admins only."""

from tests.functional.authz_specs import Spec

EVERYONE_200 = dict(anonymous=200, student=200, outsider=200, ta=200, instructor=200, admin=200)
SIGNED_IN_ONLY = dict(anonymous=302, student=200, outsider=200, ta=200, instructor=200, admin=200)
MEMBERS_ONLY = dict(anonymous=302, student=200, outsider=403, ta=200, instructor=200, admin=403)
SITE_ADMINS_ONLY = dict(anonymous=302, student=403, outsider=403, ta=403, instructor=403, admin=200)


def _someone(w):
    return {"user_id": w.other_student.id}


SPECS = [
    Spec("privacy.page", "GET", **EVERYONE_200),
    Spec("privacy.my_data", "GET", **SIGNED_IN_ONLY),
    Spec("privacy.my_course_data", "GET", lambda w: {"slug": w.course.slug}, **MEMBERS_ONLY),
    Spec("privacy.my_course_data", "GET", lambda w: {"slug": w.members_course.slug}, **MEMBERS_ONLY),
    Spec("admin.accounts", "GET", **SITE_ADMINS_ONLY),
    Spec("admin.account", "GET", _someone, **SITE_ADMINS_ONLY),
    Spec("admin.account_data", "GET", _someone, **SITE_ADMINS_ONLY),
    # Without its confirmation the admin gets the page back, asking for it; nobody else gets that far.
    Spec("admin.anonymise", "POST", _someone, **SITE_ADMINS_ONLY, data={}),
]
