"""Every model either raises its course's content version when it changes, or is known not to show."""

from coursesite.extensions import db
from coursesite.models import Comment, User
from coursesite.services import content_version as cv


def test_every_model_is_classified():
    classified = {*cv.BY_COURSE, *cv.BY_ASSIGNMENT, *cv.BY_POST, *cv.NOT_SHOWN, Comment, User}
    models = {mapper.class_ for mapper in db.Model.registry.mappers}
    assert models - classified == set(), "add the new model to services/content_version.py"


def test_no_model_is_both_shown_and_not():
    shown = {*cv.BY_COURSE, *cv.BY_ASSIGNMENT, *cv.BY_POST, Comment, User}
    assert shown & set(cv.NOT_SHOWN) == set()
