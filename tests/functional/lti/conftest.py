"""The in-process LMS (tests/lti_platform.py) every LTI test talks to, registered with the app."""

import pytest
import responses

from tests import lti_platform as lp


@pytest.fixture
def lms(app):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        platform = lp.Platform(mock)
        platform.register(app.test_cli_runner())
        yield platform
