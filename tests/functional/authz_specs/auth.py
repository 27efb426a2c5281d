"""Accounts: the pages anyone reaches; signed-in people are sent on from login and sign-up."""

from tests.functional.authz_specs import Spec

EVERYONE_200 = dict(anonymous=200, student=200, outsider=200, ta=200, instructor=200, admin=200)
EVERYONE_302 = dict(anonymous=302, student=302, outsider=302, ta=302, instructor=302, admin=302)
VISITORS_ONLY = dict(anonymous=200, student=302, outsider=302, ta=302, instructor=302, admin=302)
SIGNED_IN_ONLY = dict(anonymous=302, student=200, outsider=200, ta=200, instructor=200, admin=200)

SPECS = [
    Spec("auth.login", "GET", **VISITORS_ONLY),
    Spec("auth.login", "POST", **VISITORS_ONLY, data={"email": "nobody@example.org", "password": "wrong password"}),
    Spec("auth.logout", "POST", **EVERYONE_302),
    Spec("auth.signup", "GET", **VISITORS_ONLY),
    Spec("auth.signup", "POST", **VISITORS_ONLY, data={"email": "not an email"}),
    Spec("auth.account", "GET", **SIGNED_IN_ONLY),
    Spec("auth.account", "POST", **SIGNED_IN_ONLY, data={"profile-display_name": ""}),
    Spec("auth.reset_request", "GET", **EVERYONE_200),
    Spec("auth.reset_request", "POST", **EVERYONE_200, data={"email": ""}),
    # A forged or used link sends everyone to ask for a new one.
    Spec("auth.reset", "GET", lambda w: {"token": "forged"}, **EVERYONE_302),
    Spec("auth.reset", "POST", lambda w: {"token": "forged"}, **EVERYONE_302, data={"password": "x" * 12}),
    Spec("auth.invitation", "GET", lambda w: {"token": "forged"}, **EVERYONE_302),
    Spec("auth.invitation", "POST", lambda w: {"token": "forged"}, **EVERYONE_302, data={"password": "x" * 12}),
]
