"""LTI 1.3: the login and launch answer any browser (the LMS's signed id_token decides, see test_lti_launch.py);
the pages a launch leads to exist only with a launch waiting in the session; registering an LMS is for site
admins."""

from tests.functional.authz_specs import Spec

EVERYONE = ("anonymous", "student", "outsider", "ta", "instructor", "admin")


def everyone(status: int) -> dict:
    return {role: status for role in EVERYONE}


# Scores sent to the LMS: as releasing grades (instructors and site admins); the roster sync: as the roster.
RELEASERS = dict(anonymous=302, student=403, outsider=403, ta=403, instructor=200, admin=200)
RELEASERS_POST = {**RELEASERS, "instructor": 302, "admin": 302}
ROSTER_POST = RELEASERS_POST


def _assignment(w):
    return {"slug": w.course.slug, "assignment_id": w.assignment.id}


def _course(w):
    return {"slug": w.course.slug}


ADMINS_ONLY = dict(anonymous=302, student=403, outsider=403, ta=403, instructor=403, admin=200)

SPECS = [
    # Without lti1p3_new_window: the page that checks the browser keeps cookies before going on.
    Spec("lti.login", "GET", **everyone(200)),
    Spec("lti.login", "POST", **everyone(200), data={"iss": "https://lms.example.edu", "login_hint": "h"}),
    Spec("lti.launch", "POST", **everyone(400), data={"state": "forged"}),
    Spec("lti.jwks", "GET", **everyone(200)),
    Spec("lti.link_course", "GET", **everyone(404)),
    Spec("lti.link_course", "POST", **everyone(404), data={"course": "new"}),
    Spec("lti.deep_link", "GET", **everyone(404)),
    Spec("lti.deep_link", "POST", **everyone(404), data={"new_title": "Forged"}),
    Spec("lti.platforms", "GET", **ADMINS_ONLY),
    Spec("lti.platforms", "POST", **ADMINS_ONLY, data={"issuer": ""}),
    Spec("lti.assignment_scores", "GET", _assignment, **RELEASERS),
    Spec("lti.send_scores", "POST", _assignment, **RELEASERS_POST),
    # Not linked to an LMS course: sent back to the roster with a message.
    Spec("lti.sync_roster", "POST", _course, **ROSTER_POST),
]
